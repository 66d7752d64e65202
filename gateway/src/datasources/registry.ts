// The registry's data source: one endpoint, pooled HTTP, reference answers kept, errors cleaned of internal addresses.

import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CODES } from '../../../schema/errors';
import { type GraphQLPayload, isRead, type SubgraphHttpClient } from './http-client';
import { type ReferenceCache, referenceFetchKey } from './reference-cache';

export class RegistryDataSource implements GraphQLDataSource {
  constructor(
    private readonly url: () => string,
    private readonly http: SubgraphHttpClient,
    private readonly timeoutMs: number,
    private readonly headers?: (body: string, context: unknown) => Record<string, string>,
    private readonly reference?: ReferenceCache,
  ) {}

  async process(request: GraphQLDataSourceProcessOptions): Promise<GraphQLPayload> {
    const key = this.reference
      ? referenceFetchKey(request.request.query ?? '', request.request.variables)
      : null;
    const kept = key ? this.reference?.lookup(key) : undefined;
    if (kept) return kept;
    const payload = await this.call(request);
    this.reference?.observe(payload);
    if (key) this.reference?.keep(key, payload);
    return payload;
  }

  private async call(request: GraphQLDataSourceProcessOptions): Promise<GraphQLPayload> {
    const body = JSON.stringify({ query: request.request.query, variables: request.request.variables ?? {} });
    const outcome = await this.http.post(
      this.url(),
      body,
      this.headers?.(body, request.context) ?? {},
      this.timeoutMs,
      { idempotent: isRead(request.request.query ?? '') },
    );
    if (outcome.ok) return outcome.payload;
    return {
      errors: [
        {
          message:
            outcome.reason === 'timeout'
              ? 'The registry did not answer in time'
              : 'The registry is unavailable',
          extensions: {
            code: outcome.reason === 'timeout' ? CODES.REGISTRY_TIMEOUT : CODES.REGISTRY_UNAVAILABLE,
          },
        },
      ],
    };
  }
}
