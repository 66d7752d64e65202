// Reference data of the demo region: real ISCO-08 unit groups, EQF levels, fictional municipalities.
import type { MunicipalityInfo } from '../../common/region-records';

export const OCCUPATIONS = [
  { iscoCode: '7115', title: 'Carpenters and joiners', eqf: 4 },
  { iscoCode: '7411', title: 'Building and related electricians', eqf: 4 },
  { iscoCode: '7126', title: 'Plumbers and pipe fitters', eqf: 4 },
  { iscoCode: '7212', title: 'Welders and flame cutters', eqf: 3 },
  { iscoCode: '5321', title: 'Health care assistants', eqf: 4 },
  { iscoCode: '5120', title: 'Cooks', eqf: 3 },
  { iscoCode: '7231', title: 'Motor vehicle mechanics and repairers', eqf: 4 },
  { iscoCode: '7112', title: 'Bricklayers and related workers', eqf: 3 },
  { iscoCode: '3221', title: 'Nursing associate professionals', eqf: 5 },
  { iscoCode: '8332', title: 'Heavy truck and lorry drivers', eqf: 3 },
  { iscoCode: '7512', title: 'Bakers, pastry-cooks and confectionery makers', eqf: 3 },
  { iscoCode: '5141', title: 'Hairdressers', eqf: 3 },
  { iscoCode: '7127', title: 'Air conditioning and refrigeration mechanics', eqf: 4 },
  { iscoCode: '7233', title: 'Agricultural and industrial machinery mechanics and repairers', eqf: 4 },
] as const;

export const DEMO_MUNICIPALITIES: readonly MunicipalityInfo[] = [
  { code: 'NB', name: 'Northbank', country: 'DE' },
  { code: 'SB', name: 'Southbank', country: 'PL' },
  { code: 'RV', name: 'Riverside', country: 'CZ' },
];

export const EMPLOYERS = [
  'Oderbau GmbH',
  'Bridgeworks Sp. z o.o.',
  'Riverside Care s.r.o.',
  'Twin Towns Logistics',
  'Harbour Kitchens',
  'Valley Electrics',
  'Greenline Motors',
  'Old Mill Bakery',
  'St. Anne Hospital',
  'Crossing Construction',
];

export const FIRST_NAMES = [
  'Anna',
  'Jan',
  'Marta',
  'Piotr',
  'Eva',
  'Lukas',
  'Sofia',
  'Tomas',
  'Lena',
  'Karel',
  'Ida',
  'Max',
];
export const LAST_NAMES = [
  'Nowak',
  'Schmidt',
  'Novak',
  'Kowalski',
  'Weber',
  'Dvorak',
  'Fischer',
  'Wojcik',
  'Svoboda',
  'Becker',
];
