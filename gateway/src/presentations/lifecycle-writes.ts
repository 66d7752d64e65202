// Drops the gateway's status lists when a suspension, reinstatement or revocation passes through it,
// so the very next presentation of that credential is checked against the new list.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { StatusListCache } from './status-cache';

const LIFECYCLE_WRITE = /\bmutation\b[\s\S]*\b(suspendCredential|reinstateCredential|revokeCredential)\b/;

export function invalidatingOnLifecycleWrites(
  source: GraphQLDataSource,
  lists: StatusListCache,
): GraphQLDataSource {
  return {
    async process(request: GraphQLDataSourceProcessOptions) {
      const result = await source.process(request);
      if (LIFECYCLE_WRITE.test(request.request.query ?? '')) lists.invalidate();
      return result;
    },
  };
}
