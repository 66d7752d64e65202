// A region of separate processes on hosts of a placement: the registry, each municipality behind
// its fault proxy, and gateway replicas that reach members only through the addresses the
// registry publishes. Tokens are minted with the region's own key; close() stops and removes it all.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DEMO_AUDIENCE,
  DEMO_ISSUER,
  generateTrustMaterial,
  mintToken,
  regionMemberKeys,
  type TokenClaims,
} from '../region/keys';
import type { RegionShape } from '../seed/region';
import type { FaultSettings } from './fault-proxy';
import { HostProcess } from './host-process';
import type { Host, Placement } from './placement';
import { hostsShape, writeHostsPolicies } from './shape';

const ROOT = resolve(__dirname, '..', '..');
const entry = (file: string) => join(ROOT, file);

export interface RegionMember {
  code: string;
  host: Host;
  server: HostProcess;
  proxy?: HostProcess;
  /** Its database (a PGlite directory, or a PostgreSQL URL), which holds its records and its audit chain. */
  database: string;
  /** The address the registry publishes for it. */
  origin: string;
}

export interface HostRegionOptions {
  placement: Placement;
  members: number;
  replicas: number;
  dataDir: string;
  /** A fault proxy in front of each member (the soak); without, members are published directly. */
  faults: boolean;
  perMember?: number;
  /** Environment of every gateway replica on top of the region's own. */
  gatewayEnv?: Record<string, string>;
  /** How many processes start at once (the machine has few cores). */
  startBatch?: number;
  /**
   * Each member's database; by default a PGlite directory in the data folder. A PostgreSQL URL
   * (one database per member on a shared server) makes a member process several times lighter.
   */
  memberDatabase?: (code: string) => string;
  /** The registry's database; by default a PGlite directory in the data folder. */
  registryDatabase?: string;
  /** Environment of the registry on top of the region's own. */
  registryEnv?: Record<string, string>;
  /** Environment of every member on top of the region's own (DATABASE_POOL_SIZE, for one). */
  memberEnv?: Record<string, string>;
  /** Node flags of every member process (a smaller young generation, for a region of many). */
  memberNodeArgs?: string[];
  /** Niceness of every member process, so that many on few cores leave the registry and gateways theirs. */
  memberNice?: number;
}

export interface HostRegion {
  shape: RegionShape;
  members: RegionMember[];
  registry: HostProcess;
  gateways: HostProcess[];
  gatewayUrl(i: number): string;
  token(claims: TokenClaims): Promise<string>;
  setFaults(member: RegionMember, change: Partial<FaultSettings>): void;
  close(): Promise<void>;
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

export async function startHostRegion(options: HostRegionOptions): Promise<HostRegion> {
  const { placement, dataDir } = options;
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const shape = hostsShape(options.members, options.perMember);
  const trust = await generateTrustMaterial();
  const jwksFile = join(dataDir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(trust.jwks));
  const policyDir = writeHostsPolicies(shape, join(ROOT, 'policies'), join(dataDir, 'policies'));
  // Each member signs with its own key; the registry admits the public halves at start.
  const memberKeys = regionMemberKeys(
    join(dataDir, 'member-keys'),
    shape.municipalities.map((m) => m.code),
  );
  const registryKeys = JSON.stringify(memberKeys.registryJwks);
  const common = {
    LOG_LEVEL: 'warn',
    REGION_SHAPE: JSON.stringify(shape),
    // The identity provider every member checks callers' tokens against itself.
    JWKS_FILE: jwksFile,
    JWT_ISSUER: DEMO_ISSUER,
    JWT_AUDIENCE: DEMO_AUDIENCE,
  };
  const registryHost = placement.host('registry');
  const registryPort = await registryHost.port(4100);
  const registryUrl = `http://${registryHost.address}:${registryPort}/graphql`;
  const members: RegionMember[] = [];
  for (const { code } of shape.municipalities) {
    const host = placement.host(`m-${code.toLowerCase()}`);
    const database = options.memberDatabase?.(code) ?? join(dataDir, `municipality-${code}`);
    const listen = options.faults ? '127.0.0.1' : host.address;
    const port = await host.port(9000);
    const proxyPort = options.faults ? await host.port(8080) : port;
    const origin = `http://${host.address}:${proxyPort}`;
    const env = {
      ...common,
      MUNICIPALITY: code,
      ADAPTER: 'native',
      DATABASE: database,
      HOST: listen,
      PORT: String(port),
      POLICY_DIR: policyDir,
      REGISTRY_URL: registryUrl,
      KEY_DIR: memberKeys.dirs.municipalities[code] as string,
      REGISTRY_KEYS: registryKeys,
      ...options.memberEnv,
    };
    const server = new HostProcess(
      {
        name: `municipality-${code}`,
        host,
        nodeArgs: options.memberNodeArgs,
        nice: options.memberNice,
        entry: entry('scripts/hosts/member.ts'),
        env,
        readyUrl: `${origin}/readyz`,
      },
      logDir,
    );
    const proxy = options.faults
      ? new HostProcess(
          {
            name: `proxy-${code}`,
            host,
            entry: entry('scripts/hosts/fault-proxy-process.ts'),
            env: { PROXY_LISTEN: `${host.address}:${proxyPort}`, PROXY_TARGET: `127.0.0.1:${port}` },
            readyUrl: `${origin}/livez`,
            controlled: true,
          },
          logDir,
        )
      : undefined;
    members.push({ code, host, server, proxy, database, origin });
  }
  const registry = new HostProcess(
    {
      name: 'registry',
      host: registryHost,
      entry: entry('scripts/hosts/registry.ts'),
      env: {
        ...common,
        DATABASE: options.registryDatabase ?? join(dataDir, 'registry'),
        KEY_DIR: memberKeys.dirs.registry,
        MEMBER_KEYS: JSON.stringify(memberKeys.admitted),
        HOST: registryHost.address,
        PORT: String(registryPort),
        MEMBER_ENDPOINTS: JSON.stringify(
          members.map((m) => ({
            code: m.code,
            credentialsUrl: `${m.origin}/credentials`,
            workforceUrl: `${m.origin}/workforce`,
          })),
        ),
        ...options.registryEnv,
      },
      readyUrl: `http://${registryHost.address}:${registryPort}/readyz`,
    },
    logDir,
  );
  const gateways: HostProcess[] = [];
  const gatewayOrigins: string[] = [];
  for (let i = 0; i < options.replicas; i++) {
    const host = placement.host(`gw-${i}`);
    const port = await host.port(4000);
    const origin = `http://${host.address}:${port}`;
    gatewayOrigins.push(origin);
    gateways.push(
      new HostProcess(
        {
          name: `gateway-${i}`,
          host,
          nodeArgs: ['--expose-gc'],
          entry: entry('gateway/main.ts'),
          env: {
            LOG_LEVEL: 'warn',
            GATEWAY_HOST: host.address,
            GATEWAY_PORT: String(port),
            REGISTRY_URL: registryUrl,
            JWKS_FILE: jwksFile,
            JWT_ISSUER: DEMO_ISSUER,
            JWT_AUDIENCE: DEMO_AUDIENCE,
            KEY_DIR: memberKeys.dirs.gateway,
            REGISTRY_KEYS: registryKeys,
            RATE_LIMIT_PER_MINUTE: '1000000',
            MEMBERSHIP_REFRESH_MS: '3000',
            ...options.gatewayEnv,
          },
          readyUrl: `${origin}/readyz`,
        },
        logDir,
      ),
    );
  }
  const region: HostRegion = {
    shape,
    members,
    registry,
    gateways,
    gatewayUrl: (i) => `${gatewayOrigins[i]}/graphql`,
    token: (claims) => mintToken(trust.privateJwk, claims, { ttlSec: 24 * 3600 }),
    setFaults: (member, change) => member.proxy?.control(JSON.stringify(change)),
    async close() {
      await Promise.all(gateways.map((g) => g.stop()));
      await Promise.all(members.flatMap((m) => [m.server.stop(), m.proxy?.stop()]));
      await registry.stop();
      placement.close();
    },
  };
  // If the driver exits without close() (an error, Ctrl-C), no process of the region outlives it.
  process.once('exit', () => {
    for (const p of [registry, ...gateways, ...members.flatMap((m) => [m.server, m.proxy])])
      p?.signal('SIGKILL');
    placement.close();
  });
  try {
    const batch = options.startBatch ?? 4;
    for (const m of members) m.proxy?.start();
    registry.start();
    await inBatches(members, batch, async (m) => {
      m.server.start();
      await m.server.ready();
    });
    await registry.ready();
    for (const g of gateways) g.start();
    await Promise.all(gateways.map((g) => g.ready()));
  } catch (e) {
    await region.close();
    throw e;
  }
  return region;
}
