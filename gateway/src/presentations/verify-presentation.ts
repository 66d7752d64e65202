// verifyPresentation at the gateway: the presented credential checked against its issuer's published
// key and status lists; the answer has verifyCredential's shape, so the registry adds recognition.
import { randomUUID } from 'node:crypto';
import { type PresentationCheck, verifyPresented } from '../../../common/credentials/verify-presented';
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
    async answer(args) {
      const check = await verifyPresented(String(args.presentation), {
        issuerKeys: (m) => deps.keys.keysOf(m).catch(() => null),
        statusBits: (m, url, purpose) => deps.statusLists.bits(m, url, purpose),
        today: deps.today(),
      });
      return verificationOf(check, String(args.in));
    },
  };
}
