// The standard workload's four subgraphs (accounts, inventory, products, reviews): SDL and resolvers.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { type GraphQLSchema, parse } from 'graphql';
import { PRODUCTS, type Product, REVIEWS, type Review, USERS, type User } from './data';

export const STANDARD_SUBGRAPHS = ['accounts', 'inventory', 'products', 'reviews'] as const;
export type StandardSubgraph = (typeof STANDARD_SUBGRAPHS)[number];

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@shareable"])';

export const STANDARD_SDL: Record<StandardSubgraph, string> = {
  accounts: `${LINK}
    type Query { me: User users: [User] user(id: ID!): User }
    type User @key(fields: "id") { id: ID! name: String username: String birthday: Int }`,
  inventory: `${LINK}
    type Product @key(fields: "upc") {
      upc: String!
      weight: Int @external
      price: Int @external
      inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight")
    }`,
  products: `${LINK}
    type Query { topProducts(first: Int = 5): [Product] }
    type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }`,
  reviews: `${LINK}
    type Review @key(fields: "id") { id: ID! body: String author: User product: Product }
    type User @key(fields: "id") { id: ID! reviews: [Review] }
    type Product @key(fields: "upc") { upc: String! reviews: [Review] }`,
};

const byId = <T, K extends keyof T>(list: readonly T[], key: K) => new Map(list.map((r) => [r[key], r]));
const users = byId(USERS, 'id');
const products = byId(PRODUCTS, 'upc');

const RESOLVERS: Record<StandardSubgraph, object> = {
  accounts: {
    Query: {
      me: () => USERS[0],
      users: () => USERS,
      user: (_: unknown, a: { id: string }) => users.get(a.id),
    },
    User: { __resolveReference: (ref: { id: string }) => users.get(ref.id) },
  },
  inventory: {
    Product: {
      __resolveReference: (ref: Product) => ref,
      inStock: (p: Product) => Number(p.upc) % 3 !== 0,
      shippingEstimate: (p: Product) => (p.price > 250 ? 0 : Math.ceil(p.weight / 2)),
    },
  },
  products: {
    Query: { topProducts: (_: unknown, a: { first: number }) => PRODUCTS.slice(0, a.first) },
    Product: { __resolveReference: (ref: { upc: string }) => products.get(ref.upc) },
  },
  reviews: {
    Review: {
      author: (r: Review) => ({ __typename: 'User', id: r.authorId }),
      product: (r: Review) => ({ __typename: 'Product', upc: r.productUpc }),
    },
    User: {
      __resolveReference: (ref: { id: string }) => ref,
      reviews: (u: User) => REVIEWS.filter((r) => r.authorId === u.id),
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => ref,
      reviews: (p: Product) => REVIEWS.filter((r) => r.productUpc === p.upc),
    },
  },
};

export function standardSchema(name: StandardSubgraph): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: parse(STANDARD_SDL[name]), resolvers: RESOLVERS[name] as never });
}
