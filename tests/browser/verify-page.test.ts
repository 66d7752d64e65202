// The employer's verify page and the officer's print page in a real browser, at desktop and phone
// widths: they load from the gateway alone; the verify page verifies a presented SD-JWT VC, shows the
// API's recognition and saves the signed attestation, which then checks offline against the
// registry's directory; the print page saves a credential as a file and draws its QR code; the IDE
// (GraphiQL) loads every file from the gateway and runs its default query.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { CredentialData } from '../../common/region-records';
import { CODES } from '../../schema/errors';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { checkAttestation, openSavedDirectory } from '../../scripts/verifier/attestation';
import { type InProcessRegion, startRegion } from '../support/in-process';

const region = generateRegion({
  seed: 22,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 60,
  placementsPerMunicipality: 10,
});
const ARTIFACTS = join(__dirname, '..', 'artifacts');
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/** The two widths every page is driven at: a desktop by clicks, a 390 px phone by taps. */
const DESKTOP = { viewport: { width: 1280, height: 900 }, acceptDownloads: true };
const PHONE = {
  ...DESKTOP,
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 3,
};
let r: InProcessRegion;
let browser: Browser;
let employerToken: string;

async function browserExecutable(): Promise<string> {
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  const packaged = await import('@sparticuz/chromium');
  return packaged.default.executablePath();
}

beforeAll(async () => {
  r = await startRegion({ region });
  employerToken = await r.token({ subject: 'employer-7', role: 'employer' });
  browser = await chromium.launch({
    executablePath: await browserExecutable(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
  });
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await r?.close();
});

const live = (c: CredentialData) => c.status === 'ACTIVE' && c.validUntil === null && c.municipality === 'SB';

/** An SD-JWT VC issued by Southbank, presented without the holder's name. */
async function presentation(): Promise<{ text: string; outcome: string }> {
  const c = region.credentials.find(live);
  if (!c) throw new Error('seed lacks an open-ended SB credential');
  const officer = await r.token({ subject: 'officer-sb', role: 'officer', municipality: 'SB' });
  const doc = await r.query(
    'query($id: ID!) { credentialDocument(id: $id, format: SD_JWT_VC) { document } }',
    { id: `SB:${c.localId}` },
    { authorization: `Bearer ${officer}` },
  );
  const text = `${doc.data.credentialDocument.document.split('~')[0]}~`;
  const api = await r.query(
    'query($p: String!) { verifyPresentation(presentation: $p, in: "NB") { valid recognition { outcome } } }',
    { p: text },
    { authorization: `Bearer ${employerToken}` },
  );
  expect(api.data.verifyPresentation.valid).toBe(true);
  return { text, outcome: api.data.verifyPresentation.recognition.outcome };
}

async function verifyIn(context: BrowserContext, name: string, tap: boolean) {
  const { text, outcome } = await presentation();
  const page = await context.newPage();
  const requested: string[] = [];
  page.on('request', (req) => requested.push(req.url()));
  await page.goto(`${r.gateway.url}/verify`);
  await page.fill('#token', employerToken);
  await page.dispatchEvent('#token', 'change');
  await page.waitForSelector('#destination option[value="NB"]', { state: 'attached', timeout: 120_000 });
  await page.fill('#presentation', text);
  await page.selectOption('#destination', 'NB');
  if (tap) await page.tap('#verify');
  else await page.click('#verify');
  await page.waitForSelector('#result:not([hidden])', { timeout: 120_000 });
  expect(await page.textContent('#verdict')).toBe('Valid credential');
  expect(await page.textContent('#recognition')).toContain(outcome);
  expect(await page.textContent('#credential')).toContain('issued by');
  const download = page.waitForEvent('download', { timeout: 120_000 });
  if (tap) await page.tap('#save');
  else await page.click('#save');
  const saved = await download;
  expect(saved.suggestedFilename()).toMatch(/^attestation-.+\.jws$/);
  const directory = await openSavedDirectory(
    await (await fetch(`${r.gateway.url}/directory`)).text(),
    r.keys.registry.all().map((k) => k.publicJwk),
  );
  const kept = await checkAttestation(readFileSync(await saved.path(), 'utf8'), directory);
  expect(kept).toMatchObject({ ok: true, check: { method: 'verifyPresentation', destination: 'NB' } });
  expect(kept.ok && kept.recognition?.outcome).toBe(outcome);
  // Readable without zooming: nothing wider than the viewport, body text at least 16 px.
  const layout = await page.evaluate(() => {
    const d = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number }; body: object } }
    ).document;
    const style = (
      globalThis as unknown as { getComputedStyle(e: object): { fontSize: string } }
    ).getComputedStyle(d.body);
    return { scrollWidth: d.documentElement.scrollWidth, fontSize: Number.parseFloat(style.fontSize) };
  });
  expect(layout.scrollWidth).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);
  expect(layout.fontSize).toBeGreaterThanOrEqual(16);
  const origin = new URL(r.gateway.url).origin;
  expect(requested.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:'))).toEqual([]);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `verify-${name}.png`), fullPage: true });
  await page.close();
}

/** Nothing wider than the viewport, and body text of at least 16 px. */
async function layoutOf(page: Page) {
  return page.evaluate(() => {
    const d = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number }; body: object } }
    ).document;
    const style = (
      globalThis as unknown as { getComputedStyle(e: object): { fontSize: string } }
    ).getComputedStyle(d.body);
    return { scrollWidth: d.documentElement.scrollWidth, fontSize: Number.parseFloat(style.fontSize) };
  });
}

async function printIn(context: BrowserContext, name: string, tap: boolean) {
  const c = region.credentials.find(live);
  if (!c) throw new Error('seed lacks an open-ended SB credential');
  const id = `SB:${c.localId}`;
  const officer = await r.token({ subject: 'officer-sb', role: 'officer', municipality: 'SB' });
  const page = await context.newPage();
  const requested: string[] = [];
  page.on('request', (req) => requested.push(req.url()));
  await page.goto(`${r.gateway.url}/print`);
  await page.fill('#token', officer);
  await page.dispatchEvent('#token', 'change');
  await page.fill('#credential-id', id);
  await page.selectOption('#format', 'SD_JWT_VC');
  if (tap) await page.tap('#fetch');
  else await page.click('#fetch');
  await page.waitForSelector('#result:not([hidden])', { timeout: 120_000 });
  expect(await page.textContent('#title')).toContain(id);
  // The QR code is drawn: an SVG with real modules, at a readable size.
  const qr = await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
    const svg = d.querySelector('#qr svg') as {
      getBoundingClientRect(): { width: number; height: number };
      querySelectorAll(s: string): { getAttribute(n: string): string | null }[];
    } | null;
    if (!svg) return null;
    const box = svg.getBoundingClientRect();
    const paths = [...svg.querySelectorAll('path')].map((p) => p.getAttribute('d') ?? '');
    return { width: box.width, height: box.height, drawn: paths.reduce((n, d) => n + d.length, 0) };
  });
  expect(qr).not.toBeNull();
  expect(qr?.width).toBeGreaterThanOrEqual(200);
  expect(qr?.height).toBeCloseTo(qr?.width ?? 0, 0);
  expect(qr?.drawn).toBeGreaterThan(5000);
  const download = page.waitForEvent('download', { timeout: 120_000 });
  if (tap) await page.tap('#download');
  else await page.click('#download');
  const saved = await download;
  expect(saved.suggestedFilename()).toBe(`credential-SB-${c.localId}.sd-jwt`);
  const text = readFileSync(await saved.path(), 'utf8');
  expect(text.split('~')[0]?.split('.')).toHaveLength(3);
  expect(text.endsWith('~')).toBe(true);
  // The QR code holds that same document.
  expect(await page.textContent('#qr-caption')).toContain(`(${text.length} characters)`);
  const layout = await layoutOf(page);
  expect(layout.scrollWidth).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);
  expect(layout.fontSize).toBeGreaterThanOrEqual(16);
  const origin = new URL(r.gateway.url).origin;
  expect(requested.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:'))).toEqual([]);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `print-${name}.png`), fullPage: true });
  await page.close();
}

describe("the officer's print page", () => {
  it('saves a credential as a file and draws its QR code on a desktop', async () => {
    const context = await browser.newContext(DESKTOP);
    await printIn(context, 'desktop', false);
    await context.close();
  }, 300_000);

  it('refuses to draw a text that no QR code can hold, with a coded error', async () => {
    const answer = await fetch(`${r.gateway.url}/print/qr.svg`, { method: 'POST', body: 'x'.repeat(2954) });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe(CODES.BAD_REQUEST);
    expect(body.errors[0]?.message).toContain('2954 bytes');
  }, 60_000);

  it('does the same on a 390 px phone, by taps', async () => {
    const context = await browser.newContext(PHONE);
    await printIn(context, 'phone', true);
    await context.close();
  }, 300_000);
});

describe('the verify page', () => {
  it('verifies a presented credential on a desktop', async () => {
    const context = await browser.newContext(DESKTOP);
    await verifyIn(context, 'desktop', false);
    await context.close();
  }, 300_000);

  it('verifies a presented credential on a 390 px phone, by taps', async () => {
    const context = await browser.newContext(PHONE);
    await verifyIn(context, 'phone', true);
    await context.close();
  }, 300_000);
});

describe('the IDE', () => {
  it('opens GraphiQL from the gateway alone, every file of it served, and runs the default query', async () => {
    const context = await browser.newContext(DESKTOP);
    // What the Headers pane holds once an officer pasted a token there, as the README says.
    const officer = await r.token({ subject: 'officer-nb', role: 'officer', municipality: 'NB' });
    await context.setExtraHTTPHeaders({ authorization: `Bearer ${officer}` });
    const page = await context.newPage();
    const origin = new URL(r.gateway.url).origin;
    const failed: string[] = [];
    const errors: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const requested: string[] = [];
    page.on('request', (req) => requested.push(req.url()));
    await page.goto(`${r.gateway.url}/graphql`);
    await page.waitForSelector('.graphiql-container', { timeout: 120_000 });
    const [answer] = await Promise.all([
      page.waitForResponse((res) => res.url().endsWith('/graphql') && res.request().method() === 'POST', {
        timeout: 120_000,
      }),
      page.click('.graphiql-execute-button'),
    ]);
    const body = (await answer.json()) as {
      data?: { credentials?: { totalCount: number } };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    expect(body.data?.credentials?.totalCount).toBe(region.credentials.length);
    await page.waitForFunction(
      (n) => (document.querySelector('.result-window')?.textContent ?? '').includes(`"totalCount": ${n}`),
      region.credentials.length,
      { timeout: 120_000 },
    );
    expect({ failed, errors }).toEqual({ failed: [], errors: [] });
    expect(requested.filter((u) => !u.startsWith(origin))).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'ide-desktop.png') });
    await context.close();
  }, 300_000);
});
