// The workload "an employer verifies a presented SD-JWT VC in another municipality": the presentation
// a holder makes (the name withheld), the request to the gateway, and the checks of both answers.

export const PRESENTATION_WORKLOAD = 'employer verifies a presented SD-JWT VC in another municipality';
export const CODE_WORKLOAD = 'employer verifies the same credential by id and code (verifyCredential)';

/** What both verifications select: the answer an employer reads, recognition included. */
const SELECTION = `valid failure status
    credential { issuer { code name country } holderName validUntil
      qualification { title eqfLevel regionalStandard { code title eqfLevel occupation { iscoCode title } } } }
    recognition { outcome reason measures { kind months hours level } basis { agreement { id title } clause } }`;

export const PRESENTATION_QUERY = `query($presentation: String!, $in: ID!) {
  verifyPresentation(presentation: $presentation, in: $in) { ${SELECTION} }
}`;

export const CODE_QUERY = `query($id: ID!, $code: String!, $in: ID!) {
  verifyCredential(id: $id, code: $code, in: $in) { ${SELECTION} }
}`;

/** The credential document an officer of the issuer asks for, to hand to the holder. */
export const DOCUMENT_QUERY = `query($id: ID!) {
  credentialDocument(id: $id, format: SD_JWT_VC) { document }
}`;

/**
 * The holder's presentation of an issued SD-JWT VC (RFC 9901): the issuer-signed JWT and the
 * disclosures kept, each followed by `~`. The issuer makes no holder binding, so there is no key
 * binding JWT; `keep` says which disclosed claims (by name) the holder shows.
 */
export function presentationOf(issued: string, keep: (claim: string) => boolean): string {
  const [jwt, ...disclosures] = issued.split('~');
  if (jwt?.split('.').length !== 3) throw new Error('not an SD-JWT: no issuer-signed JWT first');
  const kept = disclosures.filter((d) => {
    if (d === '') return false;
    const decoded = JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[];
    return typeof decoded[1] === 'string' && keep(decoded[1]);
  });
  return `${[jwt, ...kept].join('~')}~`;
}

/** The request bodies of the two workloads. */
export function presentationBodies(input: {
  presentation: string;
  credentialId: string;
  credentialCode: string;
  verifyIn: string;
}): { presentation: string; code: string } {
  return {
    presentation: JSON.stringify({
      query: PRESENTATION_QUERY,
      variables: { presentation: input.presentation, in: input.verifyIn },
    }),
    code: JSON.stringify({
      query: CODE_QUERY,
      variables: { id: input.credentialId, code: input.credentialCode, in: input.verifyIn },
    }),
  };
}

interface VerificationAnswer {
  data?: Record<
    string,
    {
      valid?: boolean;
      status?: string;
      credential?: { holderName?: string } | null;
      recognition?: { outcome?: string } | null;
    } | null
  >;
  errors?: { message: string }[];
}

/**
 * Why an answer is not the valid verification the workload must measure (null when it is): no
 * errors, valid and ACTIVE, a credential and a recognition outcome; for a presentation without the
 * name disclosure, no holder name.
 */
export function answerProblem(
  answer: VerificationAnswer,
  field: 'verifyPresentation' | 'verifyCredential',
  nameWithheld: boolean,
): string | null {
  if (answer.errors?.length) return `errors: ${answer.errors.map((e) => e.message).join('; ')}`;
  const v = answer.data?.[field];
  if (!v) return `no ${field} in the answer`;
  if (v.valid !== true || v.status !== 'ACTIVE')
    return `${field} is not valid and ACTIVE: ${JSON.stringify(v)}`;
  if (!v.credential) return `${field} shows no credential`;
  if (!v.recognition?.outcome) return `${field} has no recognition outcome`;
  if (nameWithheld && v.credential.holderName !== '') return 'the holder withheld the name, yet it was shown';
  return null;
}
