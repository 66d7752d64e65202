// The soak's traffic: employers verifying credentials, region-wide lists and page walks, workforce
// flows, and officers registering placements with idempotency keys, retried with the same key until
// answered definitely. Requests go to the gateway replicas in service, in turn.
import { request } from 'undici';
import type { RegionData } from '../../common/region-records';
import { CODES } from '../../schema/errors';
import type { GraphQLErrorShape, SoakRecorder } from './record';

export interface Gateways {
  /** URLs of the replicas in service now (a replica being restarted is taken out first). */
  inService(): string[];
}

export interface PendingWrite {
  key: string;
  municipality: string;
  variables: Record<string, unknown>;
  attempts: number;
  /** Codes of the failed attempts, in order. */
  failures: string[];
  placementId?: string;
}

export interface WriteLedger {
  /** Every write sent, by idempotency key. */
  writes: Map<string, PendingWrite>;
}

interface Answer {
  errors: GraphQLErrorShape[];
  data?: Record<string, unknown> | null;
  transport?: string;
}

const VERIFY = `query Verify($id: ID!, $code: String!, $destination: ID) {
  verifyCredential(id: $id, code: $code, destination: $destination) {
    valid status recognition { outcome reason } } }`;
const LIST = `{ credentials(first: 20) { totalCount edges { node { id status issuer { code } } }
  pageInfo { hasNextPage endCursor missingMunicipalities } } }`;
const WALK = `query Walk($after: String) { placements(first: 50, after: $after) {
  edges { node { id startDate } } pageInfo { hasNextPage endCursor missingMunicipalities } } }`;
const FLOWS = `{ workforceFlows(isco: "7", granularity: YEAR) { totals { placements suppressed cells } } }`;
const REGISTER = `mutation Register($municipality: ID!, $input: RegisterPlacementInput!, $key: String!) {
  registerPlacement(municipality: $municipality, input: $input, idempotencyKey: $key) { id employer } }`;

/** Codes after which a write is sent again with the same key: its outcome is not known yet. */
const RETRYABLE = new Set<string>([
  CODES.MUNICIPALITY_TIMEOUT,
  CODES.MUNICIPALITY_UNAVAILABLE,
  CODES.MUNICIPALITY_CIRCUIT_OPEN,
  CODES.MUNICIPALITY_OVERLOADED,
  'TRANSPORT',
]);

export class SoakWorkload {
  private turn = 0;
  private written = 0;
  readonly ledger: WriteLedger = { writes: new Map() };

  constructor(
    private readonly deps: {
      gateways: Gateways;
      recorder: SoakRecorder;
      region: RegionData;
      runId: string;
      /** Bearer tokens: an employer's (verifications), an analyst's (lists, walks, flows), one officer's per municipality. */
      employerToken: string;
      analystToken: string;
      officerTokens: Record<string, string>;
      random: () => number;
    },
  ) {}

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.deps.random() * list.length)] as T;
  }

  async send(query: string, variables: Record<string, unknown>, token: string): Promise<Answer> {
    const replicas = this.deps.gateways.inService();
    const url = replicas[this.turn++ % replicas.length] as string;
    try {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        headersTimeout: 120_000,
        bodyTimeout: 120_000,
      });
      const text = await res.body.text();
      try {
        const body = JSON.parse(text) as {
          data?: Record<string, unknown> | null;
          errors?: GraphQLErrorShape[];
        };
        return { errors: body.errors ?? [], data: body.data };
      } catch {
        return { errors: [], transport: `HTTP ${res.statusCode}: ${text.slice(0, 120)}` };
      }
    } catch (e) {
      return { errors: [], transport: `transport: ${(e as Error).message}` };
    }
  }

  private async read(query: string, variables: Record<string, unknown>, token: string): Promise<Answer> {
    const started = performance.now();
    const answer = await this.send(query, variables, token);
    this.deps.recorder.request('read', performance.now() - started, answer.errors, answer.transport);
    return answer;
  }

  /** One read of the mix: a verification (half), a list, a short page walk, or flows. */
  async readOnce(): Promise<void> {
    const dice = this.deps.random();
    const { region } = this.deps;
    if (dice < 0.5) {
      const c = this.pick(region.credentials);
      const destination = this.pick(region.municipalities).code;
      await this.read(
        VERIFY,
        { id: `${c.municipality}:${c.localId}`, code: c.verificationCode, destination },
        this.deps.employerToken,
      );
    } else if (dice < 0.75) {
      await this.read(LIST, {}, this.deps.analystToken);
    } else if (dice < 0.9) {
      let after: string | null = null;
      for (let page = 0; page < 4; page++) {
        const answer = await this.read(WALK, { after }, this.deps.analystToken);
        const info = (answer.data?.placements as { pageInfo?: { hasNextPage: boolean; endCursor: string } })
          ?.pageInfo;
        if (!info?.hasNextPage) break;
        after = info.endCursor;
      }
    } else {
      await this.read(FLOWS, {}, this.deps.analystToken);
    }
  }

  /** Sends a new write, or the same write again while its outcome is unknown. */
  async writeOnce(): Promise<void> {
    const unresolved = [...this.ledger.writes.values()].find((w) => !w.placementId && w.attempts > 0);
    const write = unresolved ?? this.newWrite();
    await this.attempt(write);
  }

  private newWrite(): PendingWrite {
    const { region, runId } = this.deps;
    const municipality = this.pick(region.municipalities).code;
    const credential = this.pick(region.credentials);
    const key = `soak-${runId}-${++this.written}`;
    const write: PendingWrite = {
      key,
      municipality,
      attempts: 0,
      failures: [],
      variables: {
        municipality,
        key,
        input: {
          credentialId: `${credential.municipality}:${credential.localId}`,
          employer: `Soak employer ${key}`,
          iscoCode: '7411',
          startDate: '2026-09-01',
        },
      },
    };
    this.ledger.writes.set(key, write);
    return write;
  }

  private async attempt(write: PendingWrite): Promise<void> {
    write.attempts++;
    const started = performance.now();
    const token = this.deps.officerTokens[write.municipality] as string;
    const answer = await this.send(REGISTER, write.variables, token);
    this.deps.recorder.request('write', performance.now() - started, answer.errors, answer.transport);
    const placed = (answer.data?.registerPlacement as { id?: string } | undefined)?.id;
    if (placed && answer.errors.length === 0) {
      write.placementId = placed;
      return;
    }
    const code = answer.transport ? 'TRANSPORT' : String(answer.errors[0]?.extensions?.code ?? 'NO_CODE');
    write.failures.push(code);
    // A write refused for what it says (not for an unknown outcome) is not sent again.
    if (!RETRYABLE.has(code)) write.placementId = `refused:${code}`;
  }

  /** Writes whose outcome is still unknown. */
  unresolved(): PendingWrite[] {
    return [...this.ledger.writes.values()].filter((w) => !w.placementId);
  }
}
