// The workforce-flows dashboard in the browser: filters → one GraphQL query → Sankey, series, table.
import { $, graphql } from '/shared/page.js';

const FLOWS = `query DashboardFlows($from: [ID!], $to: [ID!], $isco: String, $period: PeriodRange, $granularity: Granularity) {
  workforceFlows(from: $from, to: $to, isco: $isco, period: $period, granularity: $granularity) {
    threshold
    cells { from { code } to { code } occupation { iscoCode } period placements suppressed }
    corridors { from { code } to { code } placements suppressed }
    timeSeries { period placements suppressed }
    totals { placements suppressed cells suppressedCells }
    recognition { outcome placements share suppressed }
  }
}`;
const OUTCOME_LABELS = {
  HOME: 'Work in the issuing municipality',
  RECOGNISED: 'Recognised',
  CONDITIONAL: 'Recognised with measures',
  PARTIAL: 'Partial access',
  NOT_RECOGNISED: 'Not recognised',
  UNKNOWN: 'Not confirmed by the issuer',
};
const DIRECTORY = '{ municipalities { code name } occupations { iscoCode title } }';
const MAX_ROWS = 500;
const names = {};
const titles = {};
const sankey = echarts.init($('sankey'));
const series = echarts.init($('series'));
let generation = 0;

function checked(id) {
  const all = [...$(id).querySelectorAll('input')];
  const on = all.filter((i) => i.checked).map((i) => i.value);
  return on.length === all.length ? undefined : on;
}

function filters() {
  const from = $('periodFrom').value;
  const to = $('periodTo').value;
  return {
    from: checked('from'),
    to: checked('to'),
    isco: $('isco').value || undefined,
    period: from || to ? { from: from || undefined, to: to || undefined } : undefined,
    granularity: $('granularity').value,
  };
}

function csvHref(v, view) {
  const q = new URLSearchParams();
  if (v.from) q.set('from', v.from.join(','));
  if (v.to) q.set('to', v.to.join(','));
  if (v.isco) q.set('isco', v.isco);
  if (v.period?.from) q.set('periodFrom', v.period.from);
  if (v.period?.to) q.set('periodTo', v.period.to);
  q.set('granularity', v.granularity);
  if (view) q.set('view', view);
  return `/dashboard/flows.csv?${q}`;
}

const label = (code) => `${names[code] || code} (${code})`;
const percent = (share) => `${(share * 100).toFixed(1)} %`;

function renderRecognition(rows, threshold) {
  const body = $('recognition').querySelector('tbody');
  body.innerHTML = '';
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.dataset.outcome = r.outcome;
    const cells = [
      OUTCOME_LABELS[r.outcome] || r.outcome,
      r.suppressed ? `< ${threshold}` : r.placements.toLocaleString('en'),
      r.share === null ? '—' : percent(r.share),
    ];
    cells.forEach((v, i) => {
      const td = document.createElement('td');
      td.textContent = v;
      if (i > 0) td.className = r.suppressed ? 'num suppressed' : 'num';
      tr.append(td);
    });
    const bar = document.createElement('td');
    bar.className = 'bar-col';
    bar.setAttribute('aria-hidden', 'true');
    const fill = document.createElement('span');
    fill.className = `bar outcome-${r.outcome.toLowerCase()}`;
    fill.style.width = r.share === null ? '0' : `${(r.share * 100).toFixed(2)}%`;
    bar.append(fill);
    tr.append(bar);
    body.append(tr);
  }
}
const count = (x, threshold) => (x.suppressed ? `< ${threshold}` : x.placements.toLocaleString('en'));

function render(report) {
  const t = report.threshold;
  $('summary').innerHTML = '';
  for (const [name, value] of [
    ['Placements', count(report.totals, t)],
    ['Cells', report.totals.cells.toLocaleString('en')],
    ['Withheld cells', report.totals.suppressedCells.toLocaleString('en')],
    ['Threshold', t],
  ]) {
    const div = document.createElement('div');
    div.innerHTML = `<b></b><span></span>`;
    div.querySelector('b').textContent = value;
    div.querySelector('span').textContent = name;
    div.dataset.name = name;
    $('summary').append(div);
  }
  const links = report.corridors
    .filter((c) => !c.suppressed && c.placements > 0)
    .map((c) => ({ source: `${c.from.code} issued`, target: `${c.to.code} work`, value: c.placements }));
  const nodes = [...new Set(links.flatMap((l) => [l.source, l.target]))].map((name) => ({ name }));
  sankey.setOption(
    {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'sankey',
          data: nodes,
          links,
          emphasis: { focus: 'adjacency' },
          label: {
            formatter: (p) => `${label(p.name.split(' ')[0])} ${p.name.endsWith('issued') ? '→' : '←'}`,
          },
          lineStyle: { color: 'gradient', curveness: 0.5 },
        },
      ],
    },
    true,
  );
  series.setOption(
    {
      tooltip: { trigger: 'axis' },
      grid: { left: 56, right: 16, top: 24, bottom: 48 },
      xAxis: { type: 'category', data: report.timeSeries.map((p) => p.period) },
      yAxis: { type: 'value', name: 'placements' },
      series: [
        {
          type: report.timeSeries.length > 24 ? 'line' : 'bar',
          name: 'Placements',
          data: report.timeSeries.map((p) => (p.suppressed ? null : p.placements)),
          itemStyle: { color: '#1f5f99' },
        },
      ],
    },
    true,
  );
  renderRecognition(report.recognition, t);
  const body = $('cells').querySelector('tbody');
  body.innerHTML = '';
  for (const c of report.cells.slice(0, MAX_ROWS)) {
    const tr = document.createElement('tr');
    const values = [
      label(c.from.code),
      label(c.to.code),
      `${c.occupation.iscoCode} ${titles[c.occupation.iscoCode] || ''}`,
      c.period,
      count(c, t),
    ];
    values.forEach((v, i) => {
      const td = document.createElement('td');
      td.textContent = v;
      if (i === 4) td.className = c.suppressed ? 'num suppressed' : 'num';
      tr.append(td);
    });
    body.append(tr);
  }
  $('more').textContent =
    report.cells.length > MAX_ROWS
      ? `Showing ${MAX_ROWS} of ${report.cells.length} cells; download the CSV for all of them.`
      : '';
}

async function refresh() {
  const mine = ++generation;
  const v = filters();
  $('csv').href = csvHref(v);
  $('csv-recognition').href = csvHref(v, 'recognition');
  document.body.dataset.state = 'loading';
  $('status').textContent = 'Loading…';
  try {
    const answer = await graphql(FLOWS, v);
    if (mine !== generation) return;
    render(answer.data.workforceFlows);
    $('status').textContent = answer.errors
      ? `Partial answer: ${answer.errors.map((e) => e.message).join('; ')}`
      : '';
    document.body.dataset.state = 'ready';
  } catch (e) {
    if (mine !== generation) return;
    $('status').textContent = `Could not load flows: ${e.message}`;
    document.body.dataset.state = 'error';
  }
}

async function start() {
  const { data } = await graphql(DIRECTORY);
  for (const m of data.municipalities) names[m.code] = m.name;
  for (const o of data.occupations) titles[o.iscoCode] = o.title;
  for (const id of ['from', 'to']) {
    for (const m of data.municipalities) {
      const l = document.createElement('label');
      l.innerHTML = '<input type="checkbox" checked> <span></span>';
      l.querySelector('input').value = m.code;
      l.querySelector('input').name = id;
      l.querySelector('span').textContent = m.name;
      $(id).append(l);
    }
  }
  const majors = [...new Set(data.occupations.map((o) => o.iscoCode[0]))].sort();
  for (const d of majors) $('isco').append(new Option(`Major group ${d}`, d));
  for (const o of data.occupations) $('isco').append(new Option(`${o.iscoCode} ${o.title}`, o.iscoCode));
  $('filters').addEventListener('change', refresh);
  window.addEventListener('resize', () => {
    sankey.resize();
    series.resize();
  });
  await refresh();
}

start().catch((e) => {
  $('status').textContent = `Could not start: ${e.message}`;
  document.body.dataset.state = 'error';
});
