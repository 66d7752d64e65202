// Workforce flows as CSV for analysts: the same query and suppression as the GraphQL API.
import { crossgateError } from '../../../schema/errors';

export type CsvView = 'cells' | 'corridors' | 'series';

export const FLOWS_QUERY = `query DashboardFlows($from: [ID!], $to: [ID!], $isco: String, $period: PeriodRange, $granularity: Granularity) {
  workforceFlows(from: $from, to: $to, isco: $isco, period: $period, granularity: $granularity) {
    granularity threshold
    cells { from { code } to { code } occupation { iscoCode } period placements suppressed }
    corridors { from { code } to { code } placements suppressed }
    timeSeries { period placements suppressed }
    totals { placements suppressed cells suppressedCells }
  }
}`;

/** The GraphQL variables and CSV view named by a query string such as `?to=SB&isco=7&granularity=YEAR`. */
export function flowRequestFromSearch(search: URLSearchParams): {
  variables: Record<string, unknown>;
  view: CsvView;
} {
  const list = (name: string) => {
    const v = search.get(name);
    return v ? v.split(',').filter(Boolean) : undefined;
  };
  const periodFrom = search.get('periodFrom') || undefined;
  const periodTo = search.get('periodTo') || undefined;
  const view = (search.get('view') ?? 'cells') as CsvView;
  if (!['cells', 'corridors', 'series'].includes(view)) {
    throw crossgateError(
      'BAD_USER_INPUT',
      `view must be cells, corridors or series; received ${JSON.stringify(view).slice(0, 20)}`,
      {
        argumentName: 'view',
      },
    );
  }
  return {
    view,
    variables: {
      from: list('from'),
      to: list('to'),
      isco: search.get('isco') || undefined,
      period: periodFrom || periodTo ? { from: periodFrom, to: periodTo } : undefined,
      granularity: search.get('granularity') || undefined,
    },
  };
}

interface Counted {
  placements: number | null;
  suppressed: boolean;
}
interface ReportJson {
  cells: (Counted & {
    from: { code: string };
    to: { code: string };
    occupation: { iscoCode: string };
    period: string;
  })[];
  corridors: (Counted & { from: { code: string }; to: { code: string } })[];
  timeSeries: (Counted & { period: string })[];
}

const field = (v: string | number | boolean | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const line = (values: (string | number | boolean | null)[]) => `${values.map(field).join(',')}\r\n`;

/** RFC 4180 CSV; a suppressed count is an empty field with suppressed=true. */
export function flowsCsv(report: ReportJson, view: CsvView): string {
  if (view === 'corridors') {
    return (
      line(['from', 'to', 'placements', 'suppressed']) +
      report.corridors.map((c) => line([c.from.code, c.to.code, c.placements, c.suppressed])).join('')
    );
  }
  if (view === 'series') {
    return (
      line(['period', 'placements', 'suppressed']) +
      report.timeSeries.map((p) => line([p.period, p.placements, p.suppressed])).join('')
    );
  }
  return (
    line(['from', 'to', 'isco_code', 'period', 'placements', 'suppressed']) +
    report.cells
      .map((c) => line([c.from.code, c.to.code, c.occupation.iscoCode, c.period, c.placements, c.suppressed]))
      .join('')
  );
}
