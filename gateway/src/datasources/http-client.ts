// Pooled keep-alive HTTP to subgraphs (undici), with a per-call timeout and a lean JSON path.
import { Agent, errors as undiciErrors } from 'undici';

export interface GraphQLPayload {
  data?: Record<string, unknown> | null;
  errors?: GraphQLWireError[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLWireError {
  message: string;
  path?: (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

/** An answer as it came over the wire, for checks of what the member signed (status, headers, body). */
export interface AnswerEnvelope {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export type CallOutcome =
  | { ok: true; payload: GraphQLPayload; answer?: AnswerEnvelope }
  | {
      ok: false;
      reason: 'timeout' | 'unreachable' | 'bad_response' | 'signature_invalid';
      detail: string;
    };

export interface PostOptions {
  /**
   * The call only reads (a query, not a mutation): an identical call already in flight (same URL,
   * body and headers other than the request id) is shared instead of sent again, when the client
   * was created with `dedupe`. Each caller still parses its own copy of the answer.
   */
  idempotent?: boolean;
  /** Abandons the call (a hedged read whose other attempt answered first); it ends as a timeout. */
  signal?: AbortSignal;
}

export interface SubgraphHttpClient {
  post(
    url: string,
    body: string,
    headers: Record<string, string>,
    timeoutMs: number,
    options?: PostOptions,
  ): Promise<CallOutcome>;
  close(): Promise<void>;
}

export interface SubgraphHttpClientOptions {
  connections?: number;
  /** Share identical idempotent calls in flight (see PostOptions). */
  dedupe?: boolean;
}

/** The planner writes each fetch with its operation keyword first; only queries may be shared. */
export function isRead(fetchText: string): boolean {
  return !/^\s*(mutation|subscription)\b/.test(fetchText);
}

type Fetched = ({ ok: true } & AnswerEnvelope) | Extract<CallOutcome, { ok: false }>;

/** Headers that differ per request without changing the answer; left out of the dedup key. */
const NOT_IN_KEY = new Set(['x-request-id']);

function dedupeKey(url: string, body: string, headers: Record<string, string>): string {
  let key = url;
  for (const name of Object.keys(headers).sort()) {
    if (!NOT_IN_KEY.has(name)) key += `\n${name}:${headers[name]}`;
  }
  return `${key}\n\n${body}`;
}

export function createSubgraphHttpClient(options: SubgraphHttpClientOptions = {}): SubgraphHttpClient {
  const agent = new Agent({
    connections: options.connections ?? 32,
    keepAliveTimeout: 30_000,
    pipelining: 1,
  });
  const origins = new Map<string, { origin: string; path: string }>();
  const target = (url: string) => {
    let t = origins.get(url);
    if (!t) {
      const parsed = new URL(url);
      t = { origin: parsed.origin, path: parsed.pathname };
      origins.set(url, t);
    }
    return t;
  };
  const fetchText = async (
    url: string,
    body: string,
    headers: Record<string, string>,
    timeoutMs: number,
    abandon?: AbortSignal,
  ): Promise<Fetched> => {
    const signal = abandon
      ? AbortSignal.any([AbortSignal.timeout(timeoutMs), abandon])
      : AbortSignal.timeout(timeoutMs);
    try {
      const { origin, path } = target(url);
      const res = await agent.request({
        origin,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body,
        signal,
      });
      return { ok: true, status: res.statusCode, headers: res.headers, text: await res.body.text() };
    } catch (e) {
      if (
        signal.aborted ||
        e instanceof undiciErrors.HeadersTimeoutError ||
        e instanceof undiciErrors.BodyTimeoutError
      ) {
        return { ok: false, reason: 'timeout', detail: `no answer within ${timeoutMs} ms` };
      }
      const code = (e as { code?: string }).code ?? (e as Error).name;
      return { ok: false, reason: 'unreachable', detail: String(code) };
    }
  };
  const inFlight = new Map<string, Promise<Fetched>>();
  const fetchShared = (url: string, body: string, headers: Record<string, string>, timeoutMs: number) => {
    const key = dedupeKey(url, body, headers);
    const pending = inFlight.get(key);
    if (pending) return pending;
    const started = fetchText(url, body, headers, timeoutMs).finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
  return {
    async post(url, body, headers, timeoutMs, postOptions) {
      const fetched =
        options.dedupe && postOptions?.idempotent
          ? await fetchShared(url, body, headers, timeoutMs)
          : await fetchText(url, body, headers, timeoutMs, postOptions?.signal);
      if (!fetched.ok) return fetched;
      const { status, text, headers: answerHeaders } = fetched;
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        return { ok: false, reason: 'bad_response', detail: `HTTP ${status}, body is not JSON` };
      }
      if (!isPayload(payload))
        return { ok: false, reason: 'bad_response', detail: `HTTP ${status}, not a GraphQL response` };
      if (status >= 300 && !payload.errors?.length) {
        return { ok: false, reason: 'bad_response', detail: `HTTP ${status}` };
      }
      return { ok: true, payload, answer: { status, headers: answerHeaders, text } };
    },
    close: () => agent.close(),
  };
}

function isPayload(value: unknown): value is GraphQLPayload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const dataOk =
    v.data === undefined || v.data === null || (typeof v.data === 'object' && !Array.isArray(v.data));
  const errorsOk = v.errors === undefined || Array.isArray(v.errors);
  return dataOk && errorsOk && (v.data !== undefined || v.errors !== undefined);
}
