// Writes each request's accesses to the owner's audit log before the answer leaves; a request
// whose accesses cannot be logged gets no data.

import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../../../common/logger';
import { CODES } from '../../../schema/errors';
import type { MunicipalContext } from '../context';
import type { MunicipalTrust } from '../municipal-trust';

export function auditPlugin(
  subgraph: string,
  trust: MunicipalTrust,
  log: Logger,
): ApolloServerPlugin<MunicipalContext> {
  const now = trust.now ?? (() => new Date());
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, operation, operationName, response }) {
          const entries = ctx.access.entries({
            at: now().toISOString(),
            requestId: ctx.requestId,
            subject: ctx.caller.subject,
            role: ctx.caller.role,
            home: ctx.caller.municipality,
            purpose: ctx.caller.purpose,
            operation: `${subgraph}: ${operation?.operation ?? 'operation'} ${operationName ?? ''}`.trim(),
          });
          try {
            await trust.audit.append(entries);
          } catch (e) {
            log.error({ err: e }, 'audit append failed; withholding the answer');
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                data: null,
                errors: [
                  {
                    message: 'The municipality could not record this access, so it released nothing',
                    extensions: {
                      code: CODES.INTERNAL_SERVER_ERROR,
                      municipality: ctx.store.municipalities.join('+'),
                    },
                  },
                ] as never,
              };
            }
          }
        },
      };
    },
  };
}
