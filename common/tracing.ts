// OpenTelemetry tracing: the SDK configured by the standard OTEL_* variables, a server span per
// request continuing the caller's W3C traceparent, and client and SQL spans below it. Attributes
// name routes, members and statements, never a person or a record id.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Attributes,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { Sampler, SpanProcessor } from '@opentelemetry/sdk-trace-base';

const tracer = () => trace.getTracer('crossgate');

export interface TracingOptions {
  serviceName: string;
  /** Overrides the exporter chosen by OTEL_TRACES_EXPORTER (tests pass an in-memory one). */
  spanProcessors?: SpanProcessor[];
  sampler?: Sampler;
}

/** Whether the environment asks for traces: an OTLP endpoint or an explicit exporter, SDK not disabled. */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  if (env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(
    env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_TRACES_EXPORTER,
  );
}

/**
 * Starts the OpenTelemetry SDK for this process and returns its shutdown. Traces only: metrics are
 * Prometheus' (/metrics), so OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER default to none here.
 */
export async function startTracing(options: TracingOptions): Promise<() => Promise<void>> {
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    instrumentations: [],
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    ...(options.sampler ? { sampler: options.sampler } : {}),
  });
  sdk.start();
  return () => sdk.shutdown();
}

function ended<T>(span: Span, work: Promise<T>): Promise<T> {
  return work.then(
    (value) => {
      span.end();
      return value;
    },
    (error: Error) => {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.name });
      span.end();
      throw error;
    },
  );
}

/** Runs a request's handling inside a server span whose parent is the caller's traceparent, if any. */
export function inServerSpan<T>(
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  processKind: string | undefined,
  handle: () => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), req.headers);
  const method = req.method ?? 'GET';
  const attributes: Attributes = { 'http.request.method': method, 'http.route': route };
  if (processKind) attributes['crossgate.process_kind'] = processKind;
  return tracer().startActiveSpan(
    `${method} ${route}`,
    { kind: SpanKind.SERVER, attributes },
    parent,
    (span) =>
      ended(
        span,
        handle().finally(() => {
          span.setAttribute('http.response.status_code', res.statusCode);
          if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        }),
      ),
  );
}

/**
 * Runs an outgoing call inside a client span; `call` receives the headers that carry the span's
 * traceparent (empty when the span is not sampled, so identical unsampled calls stay identical).
 */
export function inClientSpan<T>(
  name: string,
  attributes: Attributes,
  call: (traceHeaders: Record<string, string>, span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, (span) => {
    const traceHeaders: Record<string, string> = {};
    if (span.isRecording()) propagation.inject(context.active(), traceHeaders);
    return ended(span, call(traceHeaders, span));
  });
}

/** The statement's kind (SELECT, INSERT…): its first keyword after any leading comment. */
export function statementKind(text: string): string {
  const match = /^\s*(?:\/\*.*?\*\/\s*)?([A-Za-z]+)/s.exec(text);
  return (match?.[1] ?? 'OTHER').toUpperCase();
}

function sqlSpanOptions(system: string, text: string) {
  const kind = statementKind(text);
  return {
    name: `${kind} ${system}`,
    options: {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': system,
        'db.operation.name': kind,
        'db.query.text': text.slice(0, 500),
      },
    },
  };
}

/** Runs one SQL statement inside a span; the text (placeholders, never values) stays in this process. */
export function inSqlSpan<T>(system: string, text: string, run: () => Promise<T>): Promise<T> {
  const { name, options } = sqlSpanOptions(system, text);
  return tracer().startActiveSpan(name, options, (span) => ended(span, run()));
}

/** The same for a synchronous driver. */
export function inSqlSpanSync<T>(system: string, text: string, run: () => T): T {
  const { name, options } = sqlSpanOptions(system, text);
  return tracer().startActiveSpan(name, options, (span) => {
    try {
      return run();
    } catch (e) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).name });
      throw e;
    } finally {
      span.end();
    }
  });
}
