// An Apollo Server plugin that counts each GraphQL operation by name and outcome, with its latency.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { CODES } from '../schema/errors';
import type { ProcessMetrics } from './metrics';

/** The outcome label: OK, or the code of the first error (codes come from schema/errors.ts). */
function outcomeOf(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string {
  const first = errors?.[0];
  if (!first) return 'OK';
  const code = first.extensions?.code;
  return typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? code : CODES.INTERNAL_SERVER_ERROR;
}

export function operationMetricsPlugin<C extends BaseContext>(
  metrics: ProcessMetrics | undefined,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      if (!metrics) return;
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ request, operationName, response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.observeOperation(operationName ?? request.operationName ?? '', outcomeOf(errors), seconds);
        },
      };
    },
  };
}
