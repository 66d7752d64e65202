// One call to one shard: a slot in its bounded queue, its circuit breaker, its own timeout, a hedged
// second request for a slow read, retries of an idempotent write. The answer stays tagged.
import { CODES, type ErrorCode } from '../../../schema/errors';
import type { CallOutcome, GraphQLPayload, SubgraphHttpClient } from '../datasources/http-client';
import { isRead } from '../datasources/http-client';
import type { CircuitBreakers } from './breaker';
import type { QueueLimits } from './member-queue';
import type { MunicipalSubgraph } from './rules';
import type { Shard } from './shards';
import { MemberTraffic } from './traffic';

type Json = Record<string, unknown>;

/** A shard's answer: its GraphQL payload, or why there is none (no payload ever looks like a failure). */
export type ShardAnswer =
  | { ok: true; payload: GraphQLPayload }
  | { ok: false; code: ShardFailureCode; message: string };

export type ShardFailureCode = Extract<
  ErrorCode,
  | typeof CODES.MUNICIPALITY_TIMEOUT
  | typeof CODES.MUNICIPALITY_UNAVAILABLE
  | typeof CODES.MUNICIPALITY_CIRCUIT_OPEN
  | typeof CODES.MUNICIPALITY_OVERLOADED
  | typeof CODES.MUNICIPALITY_SIGNATURE_INVALID
>;

/** A read may be hedged; a write with an idempotency key is retried; any other write is sent once. */
export type CallIntent = 'read' | 'idempotent-write' | 'write';

export interface ShardCallEvent {
  subgraph: MunicipalSubgraph;
  shard: Shard;
  outcome: CallOutcome['ok'];
  /** Requests sent for this call: more than one when a read was hedged or a write retried. */
  attempts: number;
}

export interface ShardCallerOptions {
  subgraph: MunicipalSubgraph;
  http: SubgraphHttpClient;
  /** Timeout of a member whose directory entry sets none. */
  timeoutMs: number;
  /** Headers to send a shard (request id, caller identity, signature); asked again for every attempt. */
  headers?: (shard: Shard, body: string, context: unknown) => Record<string, string>;
  /**
   * Checks an answer before it is used: the owner's signature over it, bound to the call sent with
   * `sent`. An answer that fails becomes a failed call (`signature_invalid`), like any other failure.
   */
  checkAnswer?: (shard: Shard, sent: Record<string, string>, outcome: CallOutcome) => Promise<CallOutcome>;
  /** Observes every shard call (metrics, tests counting calls). */
  onShardCall?: (call: ShardCallEvent) => void;
  /** Circuit breakers keyed by shard endpoint; shared by every data source of the gateway. */
  breakers?: CircuitBreakers;
  /** Latencies and queues keyed by shard endpoint; shared by every data source of the gateway. */
  traffic?: MemberTraffic;
}

export type ShardCall = (
  shard: Shard,
  query: string,
  variables: Json,
  context: unknown,
  intent?: CallIntent,
) => Promise<ShardAnswer>;

interface Attempts {
  outcome: CallOutcome;
  attempts: number;
}

/** Calls shards for one fanned-out subgraph. */
export class ShardCaller {
  private readonly traffic: MemberTraffic;

  constructor(private readonly options: ShardCallerOptions) {
    this.traffic = options.traffic ?? new MemberTraffic();
  }

  readonly call: ShardCall = async (shard, query, variables, context, intent) => {
    const body = JSON.stringify({ query, variables });
    const limits = this.limitsOf(shard);
    const slot = this.traffic.queues.acquire(shard.url, limits);
    if (slot === 'overloaded') {
      return {
        ok: false,
        code: CODES.MUNICIPALITY_OVERLOADED,
        message: `Municipality ${shard.id} has too many requests waiting; its part is refused for now`,
      };
    }
    const release = await slot;
    try {
      // Signed once the call may go out, so that time spent in the queue does not age the signature.
      const headers = this.options.headers?.(shard, body, context) ?? {};
      // Nothing may throw between admitting a probe and recording its outcome.
      const breakers = this.options.breakers;
      if (breakers?.admit(shard.url) === 'skip') {
        return {
          ok: false,
          code: CODES.MUNICIPALITY_CIRCUIT_OPEN,
          message: `Municipality ${shard.id} failed repeatedly and is skipped until it is probed again`,
        };
      }
      const kind = intent ?? (isRead(query) ? 'read' : 'write');
      const sent =
        kind === 'read'
          ? await this.read(shard, body, headers, context, limits)
          : await this.write(shard, body, headers, context, kind === 'idempotent-write');
      breakers?.record(shard.url, sent.outcome.ok);
      this.options.onShardCall?.({
        subgraph: this.options.subgraph,
        shard,
        outcome: sent.outcome.ok,
        attempts: sent.attempts,
      });
      return answerOf(shard, sent.outcome);
    } finally {
      release();
    }
  };

  /** Counts a well-formed answer that the merge could not use against the shard's circuit. */
  recordMalformed(shard: Shard): void {
    this.options.breakers?.record(shard.url, false);
  }

  private limitsOf(shard: Shard): QueueLimits {
    const defaults = this.traffic.defaults;
    return {
      maxInFlight: shard.policy?.maxInFlight ?? defaults.maxInFlight,
      maxQueued: shard.policy?.maxQueued ?? defaults.maxQueued,
    };
  }

  private timeoutOf(shard: Shard): number {
    return shard.policy?.timeoutMs ?? this.options.timeoutMs;
  }

  /** One request; a successful one adds its latency to the endpoint's estimate. */
  private async send(
    shard: Shard,
    body: string,
    headers: Record<string, string>,
    options: { idempotent: boolean; signal?: AbortSignal },
  ): Promise<CallOutcome> {
    const started = this.traffic.now();
    const received = await this.options.http.post(shard.url, body, headers, this.timeoutOf(shard), options);
    const check = this.options.checkAnswer;
    const outcome = received.ok && check ? await check(shard, headers, received) : received;
    if (outcome.ok && options.idempotent)
      this.traffic.latency.record(shard.url, this.traffic.now() - started);
    return outcome;
  }

  /** Headers for a further attempt: signed afresh, since a signature's nonce is good for one request. */
  private freshHeaders(shard: Shard, body: string, context: unknown): Record<string, string> | undefined {
    try {
      return this.options.headers?.(shard, body, context) ?? {};
    } catch {
      return undefined;
    }
  }

  /**
   * A read; where the member allows hedging and its latency is known, a second request goes out
   * after the quantile delay if the first has not answered, and the first success wins.
   */
  private read(
    shard: Shard,
    body: string,
    headers: Record<string, string>,
    context: unknown,
    limits: QueueLimits,
  ): Promise<Attempts> {
    const delay = shard.policy?.hedgeReads
      ? this.traffic.latency.quantile(shard.url, this.traffic.defaults.hedgeQuantile)
      : undefined;
    if (delay === undefined || delay >= this.timeoutOf(shard)) {
      return this.send(shard, body, headers, { idempotent: true }).then((outcome) => ({
        outcome,
        attempts: 1,
      }));
    }
    return new Promise<Attempts>((resolve) => {
      const controllers: AbortController[] = [];
      let pending = 0;
      let settled = false;
      const finish = (outcome: CallOutcome) => {
        settled = true;
        clearTimeout(timer);
        for (const c of controllers) c.abort();
        resolve({ outcome, attempts: controllers.length });
      };
      const launch = (attemptHeaders: Record<string, string>, release?: () => void) => {
        const controller = new AbortController();
        controllers.push(controller);
        pending++;
        void this.send(shard, body, attemptHeaders, { idempotent: true, signal: controller.signal }).then(
          (outcome) => {
            release?.();
            pending--;
            if (!settled && (outcome.ok || pending === 0)) finish(outcome);
          },
        );
      };
      const timer = setTimeout(
        () => {
          if (settled) return;
          const release = this.traffic.queues.tryAcquire(shard.url, limits);
          const again = release && this.freshHeaders(shard, body, context);
          if (release && again) launch(again, release);
          else release?.();
        },
        Math.max(1, Math.ceil(delay)),
      );
      launch(headers);
    });
  }

  /**
   * A write: sent once, and when it carries an idempotency key, sent again with the same body (so
   * the same key) after a transport failure, so that a lost answer becomes a definite one.
   */
  private async write(
    shard: Shard,
    body: string,
    headers: Record<string, string>,
    context: unknown,
    retryable: boolean,
  ): Promise<Attempts> {
    let outcome = await this.send(shard, body, headers, { idempotent: false });
    let attempts = 1;
    const retries = retryable ? this.traffic.defaults.writeRetries : 0;
    while (!outcome.ok && attempts <= retries) {
      const again = this.freshHeaders(shard, body, context);
      if (!again) break;
      outcome = await this.send(shard, body, again, { idempotent: false });
      attempts++;
    }
    return { outcome, attempts };
  }
}

function answerOf(shard: Shard, outcome: CallOutcome): ShardAnswer {
  if (outcome.ok) return outcome;
  if (outcome.reason === 'signature_invalid') {
    return {
      ok: false,
      code: CODES.MUNICIPALITY_SIGNATURE_INVALID,
      message: `Municipality ${shard.id} answered without its own valid signature (${outcome.detail}); its part was refused`,
    };
  }
  return outcome.reason === 'timeout'
    ? {
        ok: false,
        code: CODES.MUNICIPALITY_TIMEOUT,
        message: `Municipality ${shard.id} did not answer in time`,
      }
    : { ok: false, code: CODES.MUNICIPALITY_UNAVAILABLE, message: `Municipality ${shard.id} is unavailable` };
}
