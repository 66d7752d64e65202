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

export type CallOutcome =
  | { ok: true; payload: GraphQLPayload }
  | { ok: false; reason: 'timeout' | 'unreachable' | 'bad_response'; detail: string };

export interface SubgraphHttpClient {
  post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<CallOutcome>;
  close(): Promise<void>;
}

export function createSubgraphHttpClient(options: { connections?: number } = {}): SubgraphHttpClient {
  const agent = new Agent({
    connections: options.connections ?? 32,
    keepAliveTimeout: 30_000,
    pipelining: 1,
  });
  return {
    async post(url, body, headers, timeoutMs) {
      const signal = AbortSignal.timeout(timeoutMs);
      let status: number;
      let text: string;
      try {
        const res = await agent.request({
          origin: new URL(url).origin,
          path: new URL(url).pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
          body,
          signal,
        });
        status = res.statusCode;
        text = await res.body.text();
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
      return { ok: true, payload };
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
