// The operation the IDE opens with: credentials across the region, with their regional standard.
export const DEFAULT_IDE_QUERY = `# Credentials across the region, with their regional standard.
# They need a token: put {"authorization": "Bearer <token>"} in the Headers pane below,
# with a token from \`npm run -s mint-token -- officer NB\` in the demo.
query RegionalCredentials {
  credentials(first: 5) {
    totalCount
    edges {
      node {
        id
        issuer { code name country }
        status
        qualification { title eqfLevel regionalStandard { code occupation { iscoCode title } } }
      }
    }
  }
}
`;
