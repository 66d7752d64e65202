// The domain workloads' queries: employer verification, a region-wide list, 100 credentials.
export const verificationQuery = (id: string) => `{
  credential(id: "${id}") {
    id status validFrom validUntil
    issuer { code name country }
    qualification { title eqfLevel regionalStandard { code title eqfLevel occupation { iscoCode title } } }
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
