// The layers point one way: every import arrow of the real source is checked against the table below,
// and no files import each other around a loop.
import { type ImportEdge, importCycles, readImportGraph } from '../support/import-graph';

interface Layer {
  name: string;
  /** Folder prefix (with a trailing slash) of the files in this layer. */
  folder: string;
  /** Folder prefixes this layer's files may import from. */
  mayImport: readonly string[];
}

/** Most specific folder first: a file belongs to the first layer whose folder holds it. */
const LAYERS: readonly Layer[] = [
  { name: 'contract', folder: 'schema/', mayImport: ['schema/'] },
  { name: 'common runtime', folder: 'common/', mayImport: ['schema/', 'common/'] },
  { name: 'gateway', folder: 'gateway/', mayImport: ['schema/', 'common/', 'gateway/'] },
  {
    name: 'registry subgraph',
    folder: 'subgraphs/registry/',
    mayImport: ['schema/', 'common/', 'subgraphs/registry/'],
  },
  {
    name: 'municipal subgraph',
    folder: 'subgraphs/municipal/',
    mayImport: ['schema/', 'common/', 'subgraphs/municipal/'],
  },
  {
    name: 'scripts',
    folder: 'scripts/',
    mayImport: ['schema/', 'common/', 'gateway/', 'subgraphs/', 'scripts/'],
  },
  {
    name: 'tests',
    folder: 'tests/',
    mayImport: ['schema/', 'common/', 'gateway/', 'subgraphs/', 'scripts/', 'tests/', 'bench/'],
  },
  {
    name: 'benchmarks',
    folder: 'bench/',
    mayImport: ['schema/', 'common/', 'gateway/', 'subgraphs/', 'scripts/', 'tests/support/', 'bench/'],
  },
];

function layerOf(file: string): Layer | undefined {
  return LAYERS.find((l) => file.startsWith(l.folder));
}

/** Every arrow against the table, as "from → to (layer may not import …)". */
function layerViolations(edges: readonly Pick<ImportEdge, 'from' | 'to'>[]): string[] {
  const out: string[] = [];
  for (const { from, to } of edges) {
    const layer = layerOf(from);
    if (!layer) {
      out.push(`${from} belongs to no layer`);
      continue;
    }
    if (!layer.mayImport.some((prefix) => to.startsWith(prefix))) {
      out.push(`${from} → ${to} (the ${layer.name} may import only ${layer.mayImport.join(', ')})`);
    }
  }
  return out;
}

const graph = readImportGraph();

describe('the import graph of the repository', () => {
  it('is read whole: every relative import resolves to a file and every file sits in a layer', () => {
    expect(graph.unresolved).toEqual([]);
    expect(graph.files.filter((f) => !layerOf(f))).toEqual([]);
    // The walker sees the project as it is, not an empty folder.
    expect(graph.files.length).toBeGreaterThan(200);
    expect(graph.edges.length).toBeGreaterThan(600);
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ from: 'gateway/src/server.ts', to: 'common/http.ts' }),
    );
  });

  it('has no arrow against the layers', () => {
    expect(layerViolations(graph.edges)).toEqual([]);
  });

  it('has no import cycle between files, type-only arrows included', () => {
    expect(importCycles(graph.edges)).toEqual([]);
  });
});

describe('the layer rules themselves', () => {
  it.each([
    ['schema/flows.ts', 'subgraphs/municipal/store.ts'],
    ['schema/ids.ts', 'common/logger.ts'],
    ['common/http.ts', 'gateway/src/server.ts'],
    ['common/postgres.ts', 'subgraphs/municipal/store.ts'],
    ['gateway/src/fanout/cursor.ts', 'subgraphs/municipal/store.ts'],
    ['gateway/main.ts', 'scripts/region/demo.ts'],
    ['gateway/src/server.ts', 'tests/support/in-process.ts'],
    ['subgraphs/municipal/open-store.ts', 'scripts/seed/region.ts'],
    ['subgraphs/registry/process.ts', 'scripts/region/demo.ts'],
    ['subgraphs/municipal/server.ts', 'tests/support/in-process.ts'],
    ['subgraphs/municipal/policy/partners.ts', 'subgraphs/registry/store.ts'],
    ['subgraphs/registry/context.ts', 'subgraphs/municipal/store.ts'],
    ['subgraphs/municipal/server.ts', 'gateway/src/server.ts'],
    ['scripts/compose.ts', 'tests/support/in-process.ts'],
    ['scripts/start-region.ts', 'bench/run.ts'],
    ['bench/run.ts', 'tests/unit/layers.test.ts'],
    ['subgraphs/shared/thing.ts', 'schema/ids.ts'],
  ])('refuses %s → %s', (from, to) => {
    expect(layerViolations([{ from, to }])).toHaveLength(1);
  });

  it.each([
    ['gateway/src/server.ts', 'common/http.ts'],
    ['subgraphs/municipal/store.ts', 'schema/flows.ts'],
    ['scripts/region/demo-municipality.ts', 'subgraphs/municipal/process.ts'],
    ['bench/flows/run.ts', 'tests/support/in-process.ts'],
    ['tests/unit/layers.test.ts', 'tests/support/import-graph.ts'],
  ])('allows %s → %s', (from, to) => {
    expect(layerViolations([{ from, to }])).toEqual([]);
  });

  it('finds a loop of any length, and only the files on it', () => {
    const edges = [
      { from: 'a.ts', to: 'b.ts' },
      { from: 'b.ts', to: 'c.ts' },
      { from: 'c.ts', to: 'a.ts' },
      { from: 'c.ts', to: 'd.ts' },
      { from: 'e.ts', to: 'f.ts' },
      { from: 'f.ts', to: 'e.ts' },
    ];
    expect(importCycles(edges)).toEqual(
      expect.arrayContaining([
        ['a.ts', 'b.ts', 'c.ts'],
        ['e.ts', 'f.ts'],
      ]),
    );
    expect(importCycles(edges)).toHaveLength(2);
    expect(importCycles([{ from: 'a.ts', to: 'b.ts' }])).toEqual([]);
  });
});
