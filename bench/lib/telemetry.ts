// What an observed gateway row needs: an OTLP/HTTP sink that discards the traces it receives, the
// standard OTEL_* variables that point a gateway at it, and a scraper of the gateway's /metrics.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Started } from './processes';

/** Share of traces kept by the observed rows (parent-based trace-id ratio). */
export const SAMPLE_RATIO = 0.1;
/** How often the bench scrapes an observed gateway's /metrics. */
export const SCRAPE_MS = 1000;

export interface TraceSink {
  /** The OTLP traces endpoint (…/v1/traces). */
  url: string;
  /** Export requests and body bytes received so far. */
  received(): { exports: number; bytes: number };
  close(): Promise<void>;
}

/** An OTLP/HTTP traces endpoint on loopback that reads each export, counts it, answers 200 and keeps nothing. */
export async function startTraceSink(): Promise<TraceSink> {
  let exports = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      exports += 1;
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    received: () => ({ exports, bytes }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The standard OpenTelemetry variables of a traced gateway: OTLP over HTTP (JSON, the
 * `@opentelemetry/exporter-trace-otlp-http` exporter) to `endpoint`, parent-based trace-id ratio
 * sampling at `ratio`.
 */
export function tracingEnv(endpoint: string, ratio: number): Record<string, string> {
  return {
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(ratio),
  };
}

export interface Scraper {
  /** Stops scraping; how many scrapes answered 200 and how many did not. */
  stop(): { scrapes: number; failures: number };
}

/** GETs `url` every `everyMs` (one at a time, as Prometheus does) until stopped, reading each answer whole. */
export function scrapeEvery(url: string, everyMs: number): Scraper {
  let scrapes = 0;
  let failures = 0;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const res = await fetch(url);
      await res.text();
      if (res.status === 200) scrapes += 1;
      else failures += 1;
    } catch {
      failures += 1;
    } finally {
      busy = false;
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { scrapes, failures };
    },
  };
}

/** What an observed row is given: the tracing variables and the scrape interval. */
export interface Observation {
  env: Record<string, string>;
  scrapeMs: number;
}

/** The observation of rows traced at `ratio` into `sink` and scraped every `scrapeMs`. */
export const observation = (sink: TraceSink, ratio = SAMPLE_RATIO, scrapeMs = SCRAPE_MS): Observation => ({
  env: { OBSERVED: '1', ...tracingEnv(sink.url, ratio) },
  scrapeMs,
});

/** The started gateway, its /metrics (at `metricsUrl`) scraped until it is stopped. */
export function scrapedWhileRunning(started: Started, metricsUrl: string, everyMs: number): Started {
  const scraper = scrapeEvery(metricsUrl, everyMs);
  return {
    ...started,
    async stop() {
      scraper.stop();
      await started.stop();
    },
  };
}
