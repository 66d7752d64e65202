// A small renderer of this repository's Kustomize manifests (kustomize itself is not installed):
// resources (files and directories), the namespace, configMapGenerator from files, strategic-merge
// patches by target kind and name, and image tags. Only what deploy/kustomize uses.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};

interface Kustomization {
  namespace?: string;
  resources?: string[];
  configMapGenerator?: { name: string; files?: string[]; literals?: string[] }[];
  patches?: { path: string; target: { kind: string; name: string } }[];
  images?: { name: string; newTag?: string; newName?: string }[];
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume']);

function readDocuments(path: string): K8sObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((d): d is K8sObject => d !== null);
}

type Json = unknown;

/** Strategic merge as Kubernetes does it for these manifests: maps merge, named lists merge by name. */
export function strategicMerge(base: Json, patch: Json): Json {
  if (Array.isArray(base) && Array.isArray(patch)) {
    const named = (x: Json) => x !== null && typeof x === 'object' && 'name' in (x as object);
    if (!patch.every(named) || !base.every(named)) return patch;
    const merged = [...base];
    for (const item of patch as { name: string }[]) {
      const at = merged.findIndex((b) => (b as { name: string }).name === item.name);
      if (at >= 0) merged[at] = strategicMerge(merged[at], item);
      else merged.push(item);
    }
    return merged;
  }
  if (base && patch && typeof base === 'object' && typeof patch === 'object' && !Array.isArray(patch)) {
    const out: Record<string, Json> = { ...(base as Record<string, Json>) };
    for (const [k, v] of Object.entries(patch as Record<string, Json>))
      out[k] = k in out ? strategicMerge(out[k], v) : v;
    return out;
  }
  return patch;
}

function containersOf(o: K8sObject): { image?: string }[] {
  const spec = (o.spec as { template?: { spec?: { containers?: { image?: string }[] } } }) ?? {};
  return spec.template?.spec?.containers ?? [];
}

/** Renders the kustomization in `dir` to its list of objects. */
export function render(dir: string): K8sObject[] {
  const k = parseYaml(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
  let objects: K8sObject[] = [];
  for (const resource of k.resources ?? []) {
    const path = join(dir, resource);
    objects.push(...(resource.endsWith('.yaml') ? readDocuments(path) : render(path)));
  }
  for (const gen of k.configMapGenerator ?? []) {
    const data: Record<string, string> = {};
    for (const entry of gen.files ?? []) {
      const [key, file] = entry.includes('=')
        ? (entry.split('=') as [string, string])
        : [entry.split('/').pop() as string, entry];
      data[key] = readFileSync(join(dir, file), 'utf8');
    }
    for (const literal of gen.literals ?? []) {
      const [key, ...value] = literal.split('=');
      data[key as string] = value.join('=');
    }
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: gen.name }, data });
  }
  for (const patch of k.patches ?? []) {
    const [doc] = readDocuments(join(dir, patch.path));
    const { metadata: _ignored, ...body } = doc as K8sObject;
    objects = objects.map((o) =>
      o.kind === patch.target.kind && o.metadata.name === patch.target.name
        ? (strategicMerge(o, body) as K8sObject)
        : o,
    );
  }
  for (const image of k.images ?? []) {
    for (const o of objects) {
      for (const c of containersOf(o)) {
        const [name] = (c.image ?? '').split(':');
        if (name === image.name) c.image = `${image.newName ?? name}:${image.newTag ?? 'latest'}`;
      }
    }
  }
  if (k.namespace) {
    for (const o of objects)
      if (!CLUSTER_SCOPED.has(o.kind)) o.metadata = { ...o.metadata, namespace: k.namespace };
  }
  return objects;
}

/** Validates an object against the Kubernetes schema of its apiVersion and kind (kubernetes-models). */
export function validateObject(o: K8sObject): void {
  const module = o.apiVersion === 'v1' ? 'kubernetes-models/v1' : `kubernetes-models/${o.apiVersion}`;
  // biome-ignore lint/suspicious/noExplicitAny: the model classes are looked up by name.
  const models = require(module) as Record<string, any>;
  const Model = models[o.kind];
  if (!Model) throw new Error(`no schema for ${o.apiVersion} ${o.kind}`);
  new Model(o).validate();
}

export const deployDir = (...parts: string[]) => join(dirname(__dirname), '..', 'deploy', ...parts);
