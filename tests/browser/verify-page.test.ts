// The employer's verify page in a real browser, at desktop and phone widths: it loads from the
// gateway alone, verifies a presented SD-JWT VC, shows the API's recognition, and saves the signed
// attestation, which then checks offline against the registry's directory.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import type { CredentialData } from '../../common/region-records';
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

describe('the verify page', () => {
  it('verifies a presented credential on a desktop', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    await verifyIn(context, 'desktop', false);
    await context.close();
  }, 300_000);

  it('verifies a presented credential on a 390 px phone, by taps', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 3,
      acceptDownloads: true,
    });
    await verifyIn(context, 'phone', true);
    await context.close();
  }, 300_000);
});
