// The checks a new supergraph passes before it replaces the running one, and the reload's record of
// each outcome: applied, or rolled back with the running supergraph kept.
import { silentLogger } from '../../common/logger';
import { createProcessMetrics } from '../../common/metrics';
import { ReloadJournal } from '../../common/reload';
import { buildSupergraph, checkSupergraph } from '../../gateway/src/reload/supergraph-check';
import { SupergraphReload } from '../../gateway/src/reload/supergraph-reload';
import { composeContract, readContract, readSupergraph } from '../../schema/contract';

function composed(
  change: (sdls: ReturnType<typeof readContract>) => Partial<ReturnType<typeof readContract>>,
) {
  const sdls = readContract();
  const outcome = composeContract({ ...sdls, ...change(sdls) });
  if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
  return outcome.supergraphSdl;
}

const current = readSupergraph();
const built = buildSupergraph(current);
if (!built.ok) throw new Error(built.problems.join('; '));
const running = built.built;

const withMotto = composed((s) => ({
  registry: s.registry.replace(/\n(\s*)name: String!/, '\n$1name: String!\n$1motto: String'),
}));

describe('a candidate supergraph', () => {
  it('passes when it only adds: a new field on a registry type', () => {
    const outcome = checkSupergraph(withMotto, running, ['{ municipalities { code name } }']);
    expect(outcome.ok).toBe(true);
  });

  it('is refused when it does not build', () => {
    const outcome = checkSupergraph(current.slice(0, current.length / 2), running, []);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems[0]).toMatch(/^the supergraph does not build: /);
  });

  it('is refused when it removes a field, naming the breaking change and the operation it breaks', () => {
    const removed = composed((s) => ({
      credentials: s.credentials.replace(
        /\n\s*"""\n\s*Every write to the credential[\s\S]*?"""\n\s*history: \[RecordEvent!\]![^\n]*/,
        '',
      ),
    }));
    const operation = '{ credential(id: "NB:C-1") { id history { operation } } }';
    const outcome = checkSupergraph(removed, running, [operation, '{ municipalities { code } }']);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toContain('breaking change: Credential.history was removed.');
    expect(
      outcome.problems.filter((p) => p.startsWith('an operation in use no longer validates')),
    ).toHaveLength(1);
  });

  it('is refused when the fan-out has no merge rule for a new root field of a municipal subgraph', () => {
    const unruled = composed((s) => ({
      credentials: s.credentials.replace('type Query {', 'type Query {\n  credentialCount: Int!'),
    }));
    const outcome = checkSupergraph(unruled, running, []);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.problems.join(' ')).toMatch(/the fan-out cannot serve it: .*credentialCount/);
  });
});

describe('the supergraph reload', () => {
  function reloadWith(update: (sdl: string) => void) {
    const metrics = createProcessMetrics('gateway', { defaults: false });
    const journal = new ReloadJournal(silentLogger, metrics);
    const reload = new SupergraphReload(running, ['{ municipalities { code } }'], journal);
    return {
      reload,
      journal,
      metrics,
      ready: reload.manager().initialize({
        update,
        healthCheck: async () => {},
        getDataSource: () => {
          throw new Error('unused');
        },
      }),
    };
  }

  it('applies a good candidate, keeps the running one on a bad one, and counts both', async () => {
    const served: string[] = [];
    const { reload, journal, metrics, ready } = reloadWith((sdl) => served.push(sdl));
    await ready;
    expect(reload.offer(current, 'test')).toBeNull();
    expect(reload.offer(withMotto, 'test')?.outcome).toBe('applied');
    expect(served).toHaveLength(1);
    expect(reload.current().sdl).toBe(withMotto);
    expect(reload.offer('type Query {', 'test')?.outcome).toBe('rolled_back');
    expect(reload.current().sdl).toBe(withMotto);
    expect(served).toHaveLength(1);
    expect(journal.readiness().detail).toMatch(/supergraph from test rolled back/);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/crossgate_reloads_total\{kind="supergraph",outcome="applied"[^}]*\} 1/);
    expect(text).toMatch(/crossgate_reloads_total\{kind="supergraph",outcome="rolled_back"[^}]*\} 1/);
  });

  it('rolls back when the gateway itself refuses the update', async () => {
    const { reload, ready } = reloadWith(() => {
      throw new Error('busy');
    });
    await ready;
    const outcome = reload.offer(withMotto, 'test');
    expect(outcome).toMatchObject({ outcome: 'rolled_back', problems: ['the gateway refused it: busy'] });
    expect(reload.current().sdl).toBe(current);
  });
});
