// The recognition decision table: every outcome and reason, boundary dates, several parties and
// conflicting agreements, on the pure function alone.
import {
  type AgreementFacts,
  decideRecognition,
  inForce,
  type RecognitionInput,
} from '../../subgraphs/registry/modules/recognition/decide';

const agreement = (over: Partial<AgreementFacts> = {}): AgreementFacts => ({
  id: 'AG-1',
  title: 'Northbank-Southbank trades',
  parties: [
    { municipality: 'SB', ratifiedOn: '2020-01-01' },
    { municipality: 'NB', ratifiedOn: '2020-03-01' },
  ],
  standards: [],
  iscoGroups: ['7'],
  minEqfLevel: 3,
  partialFromEqfLevel: null,
  validFrom: '2020-01-01',
  validUntil: '2030-12-31',
  suspendedOn: null,
  terminatedOn: null,
  measures: [],
  ...over,
});

const input = (
  over: Partial<RecognitionInput> = {},
  credential: Partial<RecognitionInput['credential']> = {},
) =>
  ({
    credential: {
      issuer: 'SB',
      status: 'ACTIVE',
      validFrom: '2022-01-01',
      validUntil: '2028-12-31',
      eqfLevel: 4,
      ...credential,
    },
    standard: { code: 'RS-7411-4', iscoCode: '7411', eqfLevel: 4 },
    destination: 'NB',
    at: '2025-06-01',
    agreements: [agreement()],
    ...over,
  }) satisfies RecognitionInput;

const measures = [
  { from: 'SB', to: 'NB', measures: [{ kind: 'ADAPTATION_PERIOD' as const, months: 6 }] },
  { from: 'NB', to: 'SB', measures: [{ kind: 'LANGUAGE_LEVEL' as const, level: 'B1' }] },
];

describe('the recognition decision table', () => {
  const table: [string, RecognitionInput, string, string | null, string | null][] = [
    [
      'a valid credential covered by an agreement in force',
      input(),
      'RECOGNISED',
      null,
      'scope.iscoGroups:7',
    ],
    [
      'a credential whose standard is listed by code',
      input({ agreements: [agreement({ iscoGroups: [], standards: ['RS-7411-4'] })] }),
      'RECOGNISED',
      null,
      'scope.standards:RS-7411-4',
    ],
    [
      'a valid credential in its issuing municipality, without any agreement',
      input({ destination: 'SB', agreements: [] }),
      'RECOGNISED',
      null,
      'issuer',
    ],
    [
      'an agreement with measures in the credential’s direction',
      input({ agreements: [agreement({ measures })] }),
      'CONDITIONAL',
      null,
      'measures:SB->NB',
    ],
    [
      'a level below the minimum but within partial access',
      input({ agreements: [agreement({ minEqfLevel: 5, partialFromEqfLevel: 4 })] }),
      'PARTIAL',
      'LEVEL_TOO_LOW',
      'scope.partialFromEqfLevel',
    ],
    ['a revoked credential', input({}, { status: 'REVOKED' }), 'NOT_RECOGNISED', 'REVOKED', null],
    ['a suspended credential', input({}, { status: 'SUSPENDED' }), 'NOT_RECOGNISED', 'SUSPENDED', null],
    ['a credential past its validity', input({ at: '2029-01-01' }), 'NOT_RECOGNISED', 'EXPIRED', null],
    [
      'a date before the credential’s validity',
      input({ at: '2021-12-31' }),
      'NOT_RECOGNISED',
      'NOT_YET_VALID',
      null,
    ],
    ['no agreement between the two', input({ agreements: [] }), 'NOT_RECOGNISED', 'NO_AGREEMENT', null],
    [
      'an agreement between other municipalities only',
      input({
        agreements: [
          agreement({
            parties: [
              { municipality: 'SB', ratifiedOn: '2020-01-01' },
              { municipality: 'RV', ratifiedOn: '2020-01-01' },
            ],
          }),
        ],
      }),
      'NOT_RECOGNISED',
      'NO_AGREEMENT',
      null,
    ],
    [
      'an agreement one party has not ratified',
      input({
        agreements: [
          agreement({
            parties: [
              { municipality: 'SB', ratifiedOn: '2020-01-01' },
              { municipality: 'NB', ratifiedOn: null },
            ],
          }),
        ],
      }),
      'NOT_RECOGNISED',
      'AGREEMENT_NOT_IN_FORCE',
      'status',
    ],
    [
      'a suspended agreement',
      input({ agreements: [agreement({ suspendedOn: '2024-01-01' })] }),
      'NOT_RECOGNISED',
      'AGREEMENT_NOT_IN_FORCE',
      'status',
    ],
    [
      'an agreement outside the credential’s occupation',
      input({ agreements: [agreement({ iscoGroups: ['53'] })] }),
      'NOT_RECOGNISED',
      'OUT_OF_SCOPE',
      'scope',
    ],
    [
      'a level below the minimum with no partial access',
      input({ agreements: [agreement({ minEqfLevel: 5 })] }),
      'NOT_RECOGNISED',
      'LEVEL_TOO_LOW',
      'scope.minEqfLevel',
    ],
    [
      'an unmapped qualification',
      input({ standard: null }),
      'NOT_RECOGNISED',
      'UNMAPPED_QUALIFICATION',
      null,
    ],
  ];

  it.each(table)('%s', (_name, given, outcome, reason, clause) => {
    const d = decideRecognition(given);
    expect(d.outcome).toBe(outcome);
    expect(d.reason).toBe(reason);
    expect(d.basis?.clause ?? null).toBe(clause);
    expect(d.explanation.length).toBeGreaterThan(10);
  });

  it('covers every outcome and every reason', () => {
    const decisions = table.map(([, given]) => decideRecognition(given));
    expect(new Set(decisions.map((d) => d.outcome))).toEqual(
      new Set(['RECOGNISED', 'CONDITIONAL', 'PARTIAL', 'NOT_RECOGNISED']),
    );
    expect(new Set(decisions.map((d) => d.reason).filter(Boolean))).toEqual(
      new Set([
        'REVOKED',
        'SUSPENDED',
        'EXPIRED',
        'NOT_YET_VALID',
        'NO_AGREEMENT',
        'AGREEMENT_NOT_IN_FORCE',
        'OUT_OF_SCOPE',
        'LEVEL_TOO_LOW',
        'UNMAPPED_QUALIFICATION',
      ]),
    );
  });

  it('returns the measures of the credential’s direction only', () => {
    expect(decideRecognition(input({ agreements: [agreement({ measures })] })).measures).toEqual([
      { kind: 'ADAPTATION_PERIOD', months: 6 },
    ]);
    const reverse = decideRecognition(
      input({ destination: 'SB', agreements: [agreement({ measures })] }, { issuer: 'NB' }),
    );
    expect(reverse.measures).toEqual([{ kind: 'LANGUAGE_LEVEL', level: 'B1' }]);
  });

  it('uses the standard’s level when the issuer records none', () => {
    const a = agreement({ minEqfLevel: 4 });
    expect(decideRecognition(input({ agreements: [a] }, { eqfLevel: null })).outcome).toBe('RECOGNISED');
  });
});

describe('boundary dates', () => {
  it('recognises on the first and the last day of the credential’s validity, not a day outside', () => {
    expect(decideRecognition(input({ at: '2022-01-01' })).outcome).toBe('RECOGNISED');
    expect(decideRecognition(input({ at: '2028-12-31' })).outcome).toBe('RECOGNISED');
    expect(decideRecognition(input({ at: '2021-12-31' })).reason).toBe('NOT_YET_VALID');
    expect(decideRecognition(input({ at: '2029-01-01' })).reason).toBe('EXPIRED');
  });

  it('puts an agreement in force on the day the last party ratifies', () => {
    const a = agreement({
      parties: [
        { municipality: 'SB', ratifiedOn: '2023-01-01' },
        { municipality: 'NB', ratifiedOn: '2023-05-10' },
      ],
    });
    expect(inForce(a, '2023-05-09')).toBe(false);
    expect(inForce(a, '2023-05-10')).toBe(true);
    expect(decideRecognition(input({ at: '2023-05-09', agreements: [a] })).reason).toBe(
      'AGREEMENT_NOT_IN_FORCE',
    );
    expect(decideRecognition(input({ at: '2023-05-10', agreements: [a] })).outcome).toBe('RECOGNISED');
  });

  it('keeps an agreement in force on the first and last day of its window only', () => {
    const a = agreement({ validFrom: '2024-01-01', validUntil: '2024-12-31' });
    expect([
      inForce(a, '2023-12-31'),
      inForce(a, '2024-01-01'),
      inForce(a, '2024-12-31'),
      inForce(a, '2025-01-01'),
    ]).toEqual([false, true, true, false]);
  });

  it('ends an agreement on its suspension or termination day', () => {
    expect(inForce(agreement({ suspendedOn: '2025-06-01' }), '2025-05-31')).toBe(true);
    expect(inForce(agreement({ suspendedOn: '2025-06-01' }), '2025-06-01')).toBe(false);
    expect(inForce(agreement({ terminatedOn: '2025-06-01' }), '2025-06-01')).toBe(false);
  });
});

describe('agreements with several parties', () => {
  const multilateral = agreement({
    id: 'AG-M',
    title: 'Three-town care accord',
    parties: [
      { municipality: 'NB', ratifiedOn: '2021-01-01' },
      { municipality: 'SB', ratifiedOn: '2021-02-01' },
      { municipality: 'RV', ratifiedOn: '2021-03-01' },
    ],
  });

  it('binds every pair of its parties', () => {
    for (const [issuer, destination] of [
      ['SB', 'NB'],
      ['RV', 'NB'],
      ['NB', 'RV'],
    ] as const) {
      const d = decideRecognition(input({ destination, agreements: [multilateral] }, { issuer }));
      expect(d).toMatchObject({ outcome: 'RECOGNISED', basis: { agreementId: 'AG-M' } });
    }
  });

  it('is not in force for anyone until the last of its parties has ratified', () => {
    const pending = {
      ...multilateral,
      parties: multilateral.parties.map((p) => (p.municipality === 'RV' ? { ...p, ratifiedOn: null } : p)),
    };
    const d = decideRecognition(input({ agreements: [pending] }));
    expect(d.reason).toBe('AGREEMENT_NOT_IN_FORCE');
    expect(d.explanation).toMatch(/not yet ratified by RV/);
  });
});

describe('conflicting agreements', () => {
  it('applies the most favourable and names it and the others', () => {
    const strict = agreement({ id: 'AG-A', title: 'Strict', measures });
    const lenient = agreement({ id: 'AG-B', title: 'Lenient' });
    const d = decideRecognition(input({ agreements: [strict, lenient] }));
    expect(d.outcome).toBe('RECOGNISED');
    expect(d.basis?.agreementId).toBe('AG-B');
    expect(d.explanation).toMatch(/most favourable of 2/);
    expect(d.explanation).toMatch(/AG-A: CONDITIONAL/);
  });

  it('prefers the lighter measures between two conditional agreements', () => {
    const heavy = agreement({
      id: 'AG-H',
      measures: [{ from: 'SB', to: 'NB', measures: [{ kind: 'ADAPTATION_PERIOD', months: 12 }] }],
    });
    const light = agreement({
      id: 'AG-L',
      measures: [{ from: 'SB', to: 'NB', measures: [{ kind: 'BRIDGE_COURSE', hours: 80 }] }],
    });
    expect(decideRecognition(input({ agreements: [heavy, light] })).basis?.agreementId).toBe('AG-L');
    expect(decideRecognition(input({ agreements: [light, heavy] })).basis?.agreementId).toBe('AG-L');
  });

  it('prefers an agreement in force over one that is not, whatever their order', () => {
    const lapsed = agreement({ id: 'AG-0', terminatedOn: '2024-01-01' });
    const partial = agreement({ id: 'AG-9', minEqfLevel: 5, partialFromEqfLevel: 3 });
    const d = decideRecognition(input({ agreements: [lapsed, partial] }));
    expect(d.outcome).toBe('PARTIAL');
    expect(d.basis?.agreementId).toBe('AG-9');
  });

  it('explains a refusal by the failure closest to recognition', () => {
    const lapsed = agreement({ id: 'AG-0', terminatedOn: '2024-01-01' });
    const narrow = agreement({ id: 'AG-1', iscoGroups: ['5'] });
    const low = agreement({ id: 'AG-2', minEqfLevel: 6 });
    const refused = decideRecognition(input({ agreements: [narrow, lapsed] }));
    expect(refused).toMatchObject({ reason: 'AGREEMENT_NOT_IN_FORCE', basis: { agreementId: 'AG-0' } });
    expect(refused.explanation).toMatch(/terminated on 2024-01-01/);
    expect(decideRecognition(input({ agreements: [narrow, lapsed, low] })).reason).toBe('LEVEL_TOO_LOW');
  });

  it('calls an agreement that does not cover the standard out of scope, in force or not', () => {
    const narrowAndLapsed = agreement({ iscoGroups: ['5'], terminatedOn: '2024-01-01' });
    expect(decideRecognition(input({ agreements: [narrowAndLapsed] })).reason).toBe('OUT_OF_SCOPE');
  });
});
