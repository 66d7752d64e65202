// verifyPresentation at the gateway: the presented credential checked against its issuer's published
// key and status lists; the answer has verifyCredential's shape, so the registry adds recognition and
// countersigns the gateway's statement of the check into the attestation.
import { randomUUID } from 'node:crypto';
import { signStatement } from '../../../common/credentials/attestation';
import { type PresentationCheck, verifyPresented } from '../../../common/credentials/verify-presented';
import type { MemberKeyring } from '../../../common/member-keys';
import type { Caller } from '../../../schema/caller';
import { crossgateError } from '../../../schema/errors';
import { municipalityCodeArgument } from '../../../schema/ids';
import type { GatewayAnswer } from '../fanout/merge-gateway';
import type { IssuerKeys } from './issuer-keys';
import type { StatusListCache } from './status-cache';

export interface PresentationVerifierDeps {
  keys: IssuerKeys;
  statusLists: StatusListCache;
  /** Today's date, YYYY-MM-DD. */
  today: () => string;
  /** The gateway's own keys: it states what it checked (no owner is asked), the registry countersigns. */
  keyring: MemberKeyring;
  /** The signature clock (ms). */
  now: () => number;
}

const municipality = (code: string) => ({ __typename: 'Municipality', code });

/** The Verification of a check: the credential shown whenever its issuer's signature held. */
export function verificationOf(check: PresentationCheck, destination: string) {
  const facts = check.facts;
  const shown = check.valid || ['REVOKED', 'SUSPENDED', 'EXPIRED', 'NOT_YET_VALID'].includes(check.failure);
  return {
    __typename: 'Verification',
    id: randomUUID(),
    valid: check.valid,
    destination,
    status: check.status,
    failure: check.valid ? null : check.failure,
    credential:
      facts && shown
        ? {
            __typename: 'VerifiedCredential',
            id: facts.credentialId,
            issuer: municipality(facts.municipality),
            qualification: {
              __typename: 'Qualification',
              ...facts.qualification,
              municipality: municipality(facts.municipality),
            },
            validFrom: facts.validFrom,
            validUntil: facts.validUntil,
            // Empty when the holder did not disclose it: the contract's field is non-null.
            holderName: facts.holderName ?? '',
          }
        : null,
  };
}

export function presentationVerifier(deps: PresentationVerifierDeps): GatewayAnswer {
  return {
    validate(args) {
      municipalityCodeArgument(args.in, 'in');
      if (typeof args.presentation !== 'string') {
        throw crossgateError('BAD_USER_INPUT', 'presentation must be the presented credential as text', {
          argumentName: 'presentation',
        });
      }
    },
    async answer(args, context, selected) {
      const check = await verifyPresented(String(args.presentation), {
        issuerKeys: (m) => deps.keys.keysOf(m).catch(() => null),
        statusBits: (m, url, purpose) => deps.statusLists.bits(m, url, purpose),
        today: deps.today(),
      });
      const verification = verificationOf(check, String(args.in));
      const facts = check.valid ? check.facts : null;
      // Signed only when asked for (the planner asks for it when the client wants the attestation).
      const statement =
        facts && selected.has('statement')
          ? await signStatement(deps.keyring.current, {
              method: 'verifyPresentation',
              verification: verification.id,
              credential: facts.credentialId,
              issuer: facts.municipality,
              valid: true,
              status: check.status,
              destination: verification.destination,
              verifier: (context as { caller?: Caller } | undefined)?.caller?.subject ?? 'anonymous',
              checkedAt: new Date(deps.now()).toISOString(),
            })
          : null;
      return { ...verification, statement };
    },
  };
}
