// The domain workloads' queries: employer verification (verifyCredential with its recognition), a region-wide list, 100 credentials.
/** What an employer asks: is the presented credential genuine, and is it recognised in `inCode`? */
export const verificationQuery = (id: string, code: string, inCode: string) => `{
  verifyCredential(id: "${id}", code: "${code}", in: "${inCode}") {
    valid status
    credential { issuer { code name country } holderName validUntil
      qualification { title eqfLevel regionalStandard { code title eqfLevel occupation { iscoCode title } } } }
    recognition { outcome reason measures { kind months hours level } basis { agreement { id title } clause } }
  }
}`;

export const REGION_LIST_QUERY = `{
  credentials(first: 20) { totalCount edges { node { id status validFrom } } }
}`;

export const HUNDRED_VIA_GATEWAY = `{
  credentials(first: 100) {
    edges { node { id status validFrom qualification { title eqfLevel regionalStandard { code title } } } }
  }
}`;

/** The municipal part of HUNDRED_VIA_GATEWAY, asked of the subgraph directly. */
export const HUNDRED_SUBGRAPH_ALONE = `{
  credentials(first: 100) { edges { node { id status validFrom qualification { id title eqfLevel } } } }
}`;

export const FLOWS_QUERY = `{
  workforceFlows(granularity: YEAR) {
    cells { from { code } to { code } occupation { iscoCode } period placements suppressed }
    totals { placements suppressed cells suppressedCells }
  }
}`;
