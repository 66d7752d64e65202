// The benchmark's telemetry helpers: the trace sink counts and discards exports, the OTEL_* variables
// ask for ratio sampling over OTLP/HTTP, and the scraper reads /metrics until stopped.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  observation,
  SAMPLE_RATIO,
  scrapeEvery,
  startTraceSink,
  tracingEnv,
} from '../../bench/lib/telemetry';
import { tracingRequested } from '../../common/tracing';

/** Polls `check` until it holds, within a generous bound for a loaded machine. */
async function eventually(check: () => boolean, boundMs = 60_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('trace sink', () => {
  it('answers each OTLP export with 200 and counts its requests and bytes', async () => {
    const sink = await startTraceSink();
    try {
      expect(sink.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/traces$/);
      for (const body of ['{"resourceSpans":[]}', 'x'.repeat(1000)]) {
        const res = await fetch(sink.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({});
      }
      expect(sink.received()).toEqual({ exports: 2, bytes: 20 + 1000 });
    } finally {
      await sink.close();
    }
  });
});

describe('tracing variables', () => {
  it('ask for parent-based trace-id ratio sampling exported as OTLP/HTTP JSON, which the project reads as tracing on', () => {
    const env = tracingEnv('http://127.0.0.1:1/v1/traces', 0.1);
    expect(env).toEqual({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:1/v1/traces',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
    expect(tracingRequested(env)).toBe(true);
  });

  it('mark an observed row and sample it at 10 % by default', () => {
    const o = observation({
      url: 'http://sink/v1/traces',
      received: () => ({ exports: 0, bytes: 0 }),
      close: async () => {},
    });
    expect(SAMPLE_RATIO).toBe(0.1);
    expect(o.env.OBSERVED).toBe('1');
    expect(o.env.OTEL_TRACES_SAMPLER_ARG).toBe('0.1');
  });
});

describe('metrics scraper', () => {
  it('reads /metrics one scrape at a time until stopped, counting answers that are not 200 as failures', async () => {
    let served = 0;
    const server = createServer((req, res) => {
      served += 1;
      res.statusCode = req.url === '/metrics' ? 200 : 404;
      res.end('crossgate_http_requests_total 1\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const good = scrapeEvery(`http://127.0.0.1:${port}/metrics`, 10);
      await eventually(() => served >= 3);
      const counted = good.stop();
      expect(counted.failures).toBe(0);
      expect(counted.scrapes).toBeGreaterThanOrEqual(2);
      const bad = scrapeEvery(`http://127.0.0.1:${port}/nowhere`, 10);
      const before = served;
      await eventually(() => served >= before + 2);
      const refused = bad.stop();
      expect(refused.scrapes).toBe(0);
      expect(refused.failures).toBeGreaterThanOrEqual(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
