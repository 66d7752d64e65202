// A TCP proxy in front of one member that adds faults on command: latency on every answer, lost
// connections, a stall that holds every byte until released, and refusal (a cut link on loopback).
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface FaultSettings {
  /** Added to every chunk of the member's answers, in order. */
  latencyMs: number;
  /** Share (0 to 1) of the caller's sends on which the connection is cut. */
  loss: number;
  /** Holds every byte both ways until the stall ends. */
  stalled: boolean;
  /** Cuts every connection and each new one at once. */
  refused: boolean;
}

export const NO_FAULTS: FaultSettings = { latencyMs: 0, loss: 0, stalled: false, refused: false };

export interface FaultProxy {
  readonly port: number;
  set(change: Partial<FaultSettings>): void;
  readonly settings: FaultSettings;
  close(): Promise<void>;
}

interface Endpoint {
  host: string;
  port: number;
}

/** One direction of a connection: chunks leave in order, each after the latency and any stall. */
function relay(from: Socket, to: Socket, faults: () => FaultSettings, held: Set<() => void>, lossy: boolean) {
  let chain = Promise.resolve();
  const waitWhileStalled = () =>
    new Promise<void>((resume) => {
      if (!faults().stalled) return resume();
      held.add(resume);
    });
  from.on('data', (chunk) => {
    const f = faults();
    if (lossy && f.loss > 0 && Math.random() < f.loss) {
      from.destroy();
      to.destroy();
      return;
    }
    const due = Date.now() + (lossy ? 0 : f.latencyMs);
    chain = chain
      .then(waitWhileStalled)
      .then(() => new Promise<void>((r) => setTimeout(r, Math.max(0, due - Date.now()))))
      .then(() => {
        if (!to.destroyed) to.write(chunk);
      });
  });
  from.on('end', () => {
    chain = chain.then(() => {
      to.end();
    });
  });
}

/** Listens on `listen` and forwards every connection to `target`, with the faults set at the time. */
export async function startFaultProxy(listen: Endpoint, target: Endpoint): Promise<FaultProxy> {
  let settings: FaultSettings = { ...NO_FAULTS };
  const sockets = new Set<Socket>();
  const held = new Set<() => void>();
  const server: Server = createServer((client) => {
    if (settings.refused) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    relay(client, upstream, () => settings, held, true);
    relay(upstream, client, () => settings, held, false);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : listen.port,
    get settings() {
      return settings;
    },
    set(change) {
      settings = { ...settings, ...change };
      if (settings.refused) for (const s of sockets) s.resetAndDestroy();
      if (!settings.stalled) {
        const waiting = [...held];
        held.clear();
        for (const resume of waiting) resume();
      }
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
