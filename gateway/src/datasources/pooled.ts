// A plain subgraph data source over the pooled HTTP client: one URL, no fan-out, reads deduplicated.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CODES, type ErrorCode } from '../../../schema/errors';
import { type GraphQLPayload, isRead, type SubgraphHttpClient } from './http-client';

export interface PooledDataSourceOptions {
  name: string;
  url: string;
  http: SubgraphHttpClient;
  timeoutMs: number;
  headers?: (body: string, context: unknown) => Record<string, string>;
}

export class PooledDataSource implements GraphQLDataSource {
  constructor(private readonly options: PooledDataSourceOptions) {}

  async process(request: GraphQLDataSourceProcessOptions): Promise<GraphQLPayload> {
    const { name, url, http, timeoutMs, headers } = this.options;
    const body = JSON.stringify({ query: request.request.query, variables: request.request.variables ?? {} });
    const outcome = await http.post(url, body, headers?.(body, request.context) ?? {}, timeoutMs, {
      idempotent: isRead(request.request.query ?? ''),
    });
    if (outcome.ok) return outcome.payload;
    const code: ErrorCode =
      outcome.reason === 'timeout' ? CODES.SUBGRAPH_TIMEOUT : CODES.SUBGRAPH_UNAVAILABLE;
    return {
      errors: [
        {
          message: outcome.reason === 'timeout' ? `${name} did not answer in time` : `${name} is unavailable`,
          extensions: { code },
        },
      ],
    };
  }
}
