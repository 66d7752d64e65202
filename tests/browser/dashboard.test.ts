// The dashboard in a real browser: it loads from the gateway alone, follows a filter change, and
// its Sankey, time series, table and totals show exactly the GraphQL API's numbers.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { type InProcessRegion, startRegion } from '../support/in-process';

const region = generateRegion({
  seed: 21,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 80,
  placementsPerMunicipality: 600,
});
const ARTIFACTS = join(__dirname, '..', 'artifacts');
let r: InProcessRegion;
let browser: Browser;
let page: Page;
const requested: string[] = [];

const API = `query($from: [ID!], $to: [ID!], $isco: String, $granularity: Granularity) {
  workforceFlows(from: $from, to: $to, isco: $isco, granularity: $granularity) {
    threshold
    cells { from { code } to { code } occupation { iscoCode } period placements suppressed }
    corridors { from { code } to { code } placements suppressed }
    timeSeries { period placements suppressed }
    totals { placements cells suppressedCells }
    recognition { outcome placements share suppressed }
  }
}`;

/**
 * Debian's chromium where it is installed; otherwise the Chromium build shipped as an npm package
 * (@sparticuz/chromium, unpacked on first use), so a fresh machine needs nothing from apt.
 */
async function browserExecutable(): Promise<string> {
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  const packaged = await import('@sparticuz/chromium');
  return packaged.default.executablePath();
}
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

beforeAll(async () => {
  r = await startRegion({ region });
  browser = await chromium.launch({
    executablePath: await browserExecutable(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  page.on('request', (req) => requested.push(req.url()));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await r?.close();
});

/** What the page's charts and table show, read from echarts and the DOM. */
async function shown() {
  return page.evaluate(() => {
    const g = globalThis as unknown as {
      echarts: { getInstanceByDom(el: Element | null): { getOption(): Record<string, unknown> } };
      document: {
        getElementById(id: string): Element | null;
        querySelector(s: string): Element | null;
        querySelectorAll(s: string): ArrayLike<Element>;
      };
    };
    const sankey = g.echarts.getInstanceByDom(g.document.getElementById('sankey')).getOption() as {
      series: { links: { source: string; target: string; value: number }[] }[];
    };
    const series = g.echarts.getInstanceByDom(g.document.getElementById('series')).getOption() as {
      xAxis: { data: string[] }[];
      series: { data: (number | null)[] }[];
    };
    const rows = Array.from(g.document.querySelectorAll('#cells tbody tr')).map((tr) =>
      Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? ''),
    );
    const total = g.document.querySelector('#summary [data-name="Placements"] b')?.textContent;
    const recognition = Array.from(g.document.querySelectorAll('#recognition tbody tr')).map((tr) => ({
      outcome: (tr as unknown as { dataset: { outcome?: string } }).dataset.outcome,
      cells: Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? ''),
      bar: (tr.querySelector('.bar') as unknown as { style: { width: string } } | null)?.style.width,
    }));
    return {
      links: sankey.series[0]?.links ?? [],
      periods: series.xAxis[0]?.data ?? [],
      points: series.series[0]?.data ?? [],
      rows,
      total,
      recognition,
    };
  });
}

describe('workforce-flows dashboard', () => {
  it('shows the API’s numbers after a filter change, and loads nothing from outside the gateway', async () => {
    await page.goto(`${r.gateway.url}/dashboard`);
    await page.waitForSelector('body[data-state="ready"]');
    const before = await shown();
    expect(before.periods[0]).toMatch(/^\d{4}$/);

    await page.selectOption('#isco', '7');
    await page.waitForSelector('body[data-state="ready"]');
    await page.selectOption('#granularity', 'QUARTER');
    await page.waitForSelector('body[data-state="ready"]');
    const after = await shown();

    const api = await r.query(API, { isco: '7', granularity: 'QUARTER' });
    expect(api.errors).toBeUndefined();
    const report = api.data.workforceFlows;
    expect(after.periods).toEqual(report.timeSeries.map((p: { period: string }) => p.period));
    expect(after.points).toEqual(
      report.timeSeries.map((p: { placements: number | null; suppressed: boolean }) =>
        p.suppressed ? null : p.placements,
      ),
    );
    const published = report.corridors.filter((c: { suppressed: boolean }) => !c.suppressed);
    expect(after.links).toEqual(
      published.map((c: { from: { code: string }; to: { code: string }; placements: number }) => ({
        source: `${c.from.code} issued`,
        target: `${c.to.code} work`,
        value: c.placements,
      })),
    );
    expect(after.rows).toHaveLength(Math.min(500, report.cells.length));
    report.cells.slice(0, after.rows.length).forEach(
      (
        c: {
          from: { code: string };
          occupation: { iscoCode: string };
          period: string;
          placements: number | null;
          suppressed: boolean;
        },
        i: number,
      ) => {
        const row = after.rows[i] as string[];
        expect(row[0]).toContain(`(${c.from.code})`);
        expect(row[2]?.startsWith(c.occupation.iscoCode)).toBe(true);
        expect(row[3]).toBe(c.period);
        expect(row[4]).toBe(
          c.suppressed ? `< ${report.threshold}` : (c.placements as number).toLocaleString('en'),
        );
      },
    );
    expect(after.total).toBe((report.totals.placements as number).toLocaleString('en'));
    expect(await page.getAttribute('#csv', 'href')).toBe('/dashboard/flows.csv?isco=7&granularity=QUARTER');

    // The recognition table: one row per outcome, the API's counts and shares, in its order.
    const outcomes = report.recognition as {
      outcome: string;
      placements: number | null;
      share: number | null;
      suppressed: boolean;
    }[];
    expect(after.recognition.map((row) => row.outcome)).toEqual(outcomes.map((o) => o.outcome));
    outcomes.forEach((o, i) => {
      const row = after.recognition[i];
      expect(row?.cells[1]).toBe(
        o.suppressed ? `< ${report.threshold}` : (o.placements as number).toLocaleString('en'),
      );
      expect(row?.cells[2]).toBe(o.share === null ? '—' : `${(o.share * 100).toFixed(1)} %`);
      // The bar's width is the share, in percent of the column (none when withheld).
      expect(Number.parseFloat(row?.bar ?? '')).toBeCloseTo((o.share ?? 0) * 100, 2);
    });
    expect(outcomes.filter((o) => !o.suppressed && (o.placements ?? 0) > 0).length).toBeGreaterThanOrEqual(3);
    const csvHref = await page.getAttribute('#csv-recognition', 'href');
    expect(csvHref).toBe('/dashboard/flows.csv?isco=7&granularity=QUARTER&view=recognition');
    const csv = await (await fetch(`${r.gateway.url}${csvHref}`)).text();
    expect(csv.trimEnd().split('\r\n')).toEqual([
      'outcome,placements,share,suppressed',
      ...outcomes.map((o) => [o.outcome, o.placements ?? '', o.share ?? '', o.suppressed].join(',')),
    ]);

    const origin = new URL(r.gateway.url).origin;
    expect(requested.filter((u) => !u.startsWith(origin))).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });
});
