// Writes each request's accesses to the owner's audit log before the answer leaves; a request
// whose accesses cannot be logged gets no data.

import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../../../common/logger';
import { CODES } from '../../../schema/errors';
import type { MunicipalContext } from '../context';
import type { MunicipalTrust } from '../municipal-trust';
import type { AuditEntryInput } from './chain';

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

/**
 * Entries for a request refused before GraphQL: a call unsigned, forged, stale or replayed, or a
 * caller's token this owner could not verify. Nothing the sender chose is taken as who called.
 */
export function refusalEntries(
  municipalities: readonly string[],
  header: (name: string) => string | undefined,
  path: string,
  reason: string,
  trust: MunicipalTrust,
): AuditEntryInput[] {
  const at = (trust.now ?? (() => new Date()))().toISOString();
  return municipalities.map((municipality) => ({
    at,
    municipality,
    requestId: (header('x-request-id') ?? '').slice(0, 100),
    subject: 'unverified',
    role: 'anonymous',
    home: null,
    purpose: null,
    operation: `${path.slice(1)}: refused before execution`,
    fields: [],
    recordIds: [],
    decision: 'denied',
    reason,
  }));
}
