// The standard workload's nested query: users → reviews → product → reviews → author …, plus top products.
export const STANDARD_QUERY = `query TestQuery {
  users {
    id username name
    reviews {
      id body
      product {
        inStock name price shippingEstimate upc weight
        reviews {
          id body
          author {
            id username name
            reviews { id body product { inStock name price shippingEstimate upc weight } }
          }
        }
      }
    }
  }
  topProducts {
    inStock name price shippingEstimate upc weight
    reviews {
      id body
      author {
        id username name
        reviews { id body product { inStock name price shippingEstimate upc weight } }
      }
    }
  }
}`;
