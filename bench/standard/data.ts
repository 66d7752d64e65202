// The standard workload's fixed records: 6 users, 9 products, 11 reviews, held in memory; STANDARD_SCALE
// multiplies users and reviews (the larger answer size).
export interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}
export interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
export interface Review {
  id: string;
  body: string;
  authorId: string;
  productUpc: string;
}

const SCALE = Math.max(1, Math.floor(Number(process.env.STANDARD_SCALE ?? 1)));

const FIRST_USERS: readonly User[] = [
  { id: '1', name: 'Ada Brandt', username: 'ada', birthday: 1_020_000 },
  { id: '2', name: 'Bogdan Nowak', username: 'bogdan', birthday: 1_030_000 },
  { id: '3', name: 'Clara Weiss', username: 'clara', birthday: 1_040_000 },
  { id: '4', name: 'Dusan Horak', username: 'dusan', birthday: 1_050_000 },
  { id: '5', name: 'Eva Kowalska', username: 'eva', birthday: 1_060_000 },
  { id: '6', name: 'Filip Dvorak', username: 'filip', birthday: 1_070_000 },
];

/** The six users, then (at a larger scale) numbered copies of them. */
export const USERS: readonly User[] = Array.from({ length: FIRST_USERS.length * SCALE }, (_, i) => {
  const u = FIRST_USERS[i % FIRST_USERS.length] as User;
  const copy = Math.floor(i / FIRST_USERS.length);
  return copy === 0
    ? u
    : {
        id: String(i + 1),
        name: `${u.name} ${copy + 1}`,
        username: `${u.username}${copy + 1}`,
        birthday: u.birthday + i,
      };
});

const PRODUCT_NAMES = ['Table', 'Couch', 'Chair', 'Lamp', 'Shelf', 'Desk', 'Bench', 'Stool', 'Rug'];
export const PRODUCTS: readonly Product[] = PRODUCT_NAMES.map((name, i) => ({
  upc: String(i + 1),
  name,
  price: 100 + i * 37,
  weight: 5 + i * 3,
}));

export const REVIEWS: readonly Review[] = Array.from({ length: 11 * SCALE }, (_, i) => ({
  id: String(i + 1),
  body: `Review ${i + 1}: ${PRODUCT_NAMES[i % PRODUCT_NAMES.length]} as described, delivered on time.`,
  authorId: String((i % USERS.length) + 1),
  productUpc: String((i % PRODUCTS.length) + 1),
}));
