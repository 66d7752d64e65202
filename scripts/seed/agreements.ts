// Reference data for the registry: standards' competencies and titles, and the demo's agreements,
// chosen so that every recognition outcome occurs between the demo municipalities.
import type { RegionData } from '../../common/region-records';
import type { AgreementSeed } from '../../subgraphs/registry/modules/agreements/records';
import type { RegistrySeed, StandardDetails } from '../../subgraphs/registry/seed';

/** Titles in the region's languages and core competencies, by ISCO-08 unit group. */
export const STANDARD_DETAILS: StandardDetails = {
  '7115': {
    de: 'Tischler/in',
    pl: 'Stolarz',
    cs: 'Truhlář',
    competencies: ['Read joinery drawings', 'Machine and join timber', 'Fit doors, windows and stairs'],
  },
  '7411': {
    de: 'Elektroniker/in',
    pl: 'Elektryk',
    cs: 'Elektrikář',
    competencies: [
      'Install low-voltage circuits',
      'Test and certify installations',
      'Work safely on live systems',
    ],
  },
  '7126': {
    de: 'Anlagenmechaniker/in SHK',
    pl: 'Hydraulik',
    cs: 'Instalatér',
    competencies: ['Install water and heating pipework', 'Pressure-test systems', 'Fit sanitary appliances'],
  },
  '7212': {
    de: 'Schweißer/in',
    pl: 'Spawacz',
    cs: 'Svářeč',
    competencies: [
      'Weld by MIG/MAG and TIG',
      'Read welding procedure specifications',
      'Cut metal with flame and plasma',
    ],
  },
  '5321': {
    de: 'Pflegehelfer/in',
    pl: 'Opiekun medyczny',
    cs: 'Ošetřovatel',
    competencies: [
      'Assist with personal care',
      'Observe and report vital signs',
      'Apply hygiene and infection control',
    ],
  },
  '5120': {
    de: 'Koch/Köchin',
    pl: 'Kucharz',
    cs: 'Kuchař',
    competencies: ['Prepare dishes to recipe', 'Apply food safety (HACCP)', 'Plan mise en place'],
  },
  '7231': {
    de: 'Kfz-Mechatroniker/in',
    pl: 'Mechanik pojazdów samochodowych',
    cs: 'Automechanik',
    competencies: ['Diagnose vehicle faults', 'Service engines and brakes', 'Use diagnostic equipment'],
  },
  '7112': {
    de: 'Maurer/in',
    pl: 'Murarz',
    cs: 'Zedník',
    competencies: ['Lay brick and block', 'Set out walls from drawings', 'Mix mortar and render'],
  },
  '3221': {
    de: 'Pflegefachassistent/in',
    pl: 'Pielęgniarka',
    cs: 'Praktická sestra',
    competencies: [
      'Plan and document nursing care',
      'Administer medication under delegation',
      'Support patients and families',
    ],
  },
  '8332': {
    de: 'Berufskraftfahrer/in',
    pl: 'Kierowca zawodowy',
    cs: 'Řidič nákladních vozidel',
    competencies: ['Drive heavy goods vehicles', 'Secure loads', 'Comply with driving-time rules'],
  },
  '7512': {
    de: 'Bäcker/in',
    pl: 'Piekarz',
    cs: 'Pekař',
    competencies: ['Prepare doughs', 'Operate ovens', 'Apply food safety'],
  },
  '5141': {
    de: 'Friseur/in',
    pl: 'Fryzjer',
    cs: 'Kadeřník',
    competencies: ['Cut and style hair', 'Colour hair', 'Advise clients'],
  },
  '7127': {
    de: 'Mechatroniker/in für Kältetechnik',
    pl: 'Mechanik chłodnictwa',
    cs: 'Mechanik chladicích zařízení',
    competencies: ['Install refrigeration circuits', 'Handle refrigerants (F-gas)', 'Commission HVAC units'],
  },
  '7233': {
    de: 'Land- und Baumaschinenmechatroniker/in',
    pl: 'Mechanik maszyn rolniczych',
    cs: 'Mechanik zemědělských strojů',
    competencies: ['Service hydraulic systems', 'Repair diesel engines', 'Diagnose machine electronics'],
  },
};

/** The demo's agreements: in force, multilateral, awaiting ratification, suspended, with measures, lapsed. */
export const DEMO_AGREEMENTS: AgreementSeed[] = [
  {
    id: 'AG-001',
    title: 'Northbank–Southbank building trades',
    parties: [
      { municipality: 'NB', ratifiedOn: '2019-02-01' },
      { municipality: 'SB', ratifiedOn: '2019-03-15' },
    ],
    standards: [],
    iscoGroups: ['711', '741'],
    minEqfLevel: 4,
    partialFromEqfLevel: 3,
    validFrom: '2019-01-01',
    validUntil: '2029-12-31',
    suspendedOn: null,
    terminatedOn: null,
    measures: [],
  },
  {
    id: 'AG-002',
    title: 'Three-town care accord',
    parties: [
      { municipality: 'NB', ratifiedOn: '2020-01-10' },
      { municipality: 'SB', ratifiedOn: '2020-02-20' },
      { municipality: 'RV', ratifiedOn: '2020-03-30' },
    ],
    standards: ['RS-5321-4', 'RS-3221-5'],
    iscoGroups: [],
    minEqfLevel: 4,
    partialFromEqfLevel: null,
    validFrom: '2020-01-01',
    validUntil: null,
    suspendedOn: null,
    terminatedOn: null,
    measures: [
      {
        from: 'SB',
        to: 'NB',
        measures: [
          { kind: 'LANGUAGE_LEVEL', level: 'B2' },
          { kind: 'ADAPTATION_PERIOD', months: 3 },
        ],
      },
      {
        from: 'RV',
        to: 'NB',
        measures: [
          { kind: 'LANGUAGE_LEVEL', level: 'B2' },
          { kind: 'ADAPTATION_PERIOD', months: 3 },
        ],
      },
      { from: 'NB', to: 'RV', measures: [{ kind: 'APTITUDE_TEST' }] },
    ],
  },
  {
    id: 'AG-003',
    title: 'Southbank–Riverside vehicle and machinery mechanics',
    parties: [
      { municipality: 'SB', ratifiedOn: null },
      { municipality: 'RV', ratifiedOn: '2025-04-01' },
    ],
    standards: [],
    iscoGroups: ['723'],
    minEqfLevel: 3,
    partialFromEqfLevel: null,
    validFrom: '2025-01-01',
    validUntil: null,
    suspendedOn: null,
    terminatedOn: null,
    measures: [],
  },
  {
    id: 'AG-004',
    title: 'Northbank–Riverside hospitality and food trades',
    parties: [
      { municipality: 'NB', ratifiedOn: '2018-05-01' },
      { municipality: 'RV', ratifiedOn: '2018-06-01' },
    ],
    standards: [],
    iscoGroups: ['51', '751'],
    minEqfLevel: 3,
    partialFromEqfLevel: null,
    validFrom: '2018-06-01',
    validUntil: null,
    suspendedOn: '2025-09-01',
    terminatedOn: null,
    measures: [],
  },
  {
    id: 'AG-005',
    title: 'Northbank–Southbank metal and mechanical trades',
    parties: [
      { municipality: 'NB', ratifiedOn: '2021-11-01' },
      { municipality: 'SB', ratifiedOn: '2021-12-01' },
    ],
    standards: [],
    iscoGroups: ['72'],
    minEqfLevel: 3,
    partialFromEqfLevel: null,
    validFrom: '2022-01-01',
    validUntil: '2031-12-31',
    suspendedOn: null,
    terminatedOn: null,
    measures: [
      { from: 'SB', to: 'NB', measures: [{ kind: 'BRIDGE_COURSE', hours: 120 }, { kind: 'APTITUDE_TEST' }] },
      { from: 'NB', to: 'SB', measures: [{ kind: 'BRIDGE_COURSE', hours: 60 }] },
    ],
  },
  {
    id: 'AG-006',
    title: 'Northbank–Southbank electricians (2015, superseded)',
    parties: [
      { municipality: 'NB', ratifiedOn: '2015-01-15' },
      { municipality: 'SB', ratifiedOn: '2015-02-01' },
    ],
    standards: ['RS-7411-4'],
    iscoGroups: [],
    minEqfLevel: 3,
    partialFromEqfLevel: null,
    validFrom: '2015-01-01',
    validUntil: null,
    suspendedOn: null,
    terminatedOn: '2021-06-30',
    measures: [],
  },
];

/** The demo's registry: the region's members, standards and mappings, with the demo's details and agreements. */
export function demoRegistrySeed(region: RegionData): RegistrySeed {
  return { region, standardDetails: STANDARD_DETAILS, agreements: DEMO_AGREEMENTS };
}
