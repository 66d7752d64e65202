// The Kustomize manifests render (base plus demo overlay) and every object is valid against the
// Kubernetes schemas; the gateway has probes, requests, an autoscaler and a disruption budget, and
// only the gateway may reach a municipal subgraph.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployDir, type K8sObject, render, validateObject } from './kustomize';

const objects = render(deployDir('kustomize', 'overlays', 'demo'));
const find = (kind: string, name: string) => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in the rendered manifests`);
  return o as K8sObject & Record<string, any>;
};

describe('the demo overlay', () => {
  it('renders objects that are all valid Kubernetes objects', () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const o of objects) expect(() => validateObject(o)).not.toThrow();
  });

  it('would catch an invalid object', () => {
    const broken = structuredClone(find('Deployment', 'gateway'));
    broken.spec.replicas = 'two';
    expect(() => validateObject(broken)).toThrow();
  });

  it('runs the gateway with probes, resource requests, an autoscaler and a disruption budget', () => {
    const gateway = find('Deployment', 'gateway');
    const container = gateway.spec.template.spec.containers[0];
    expect(container.livenessProbe.httpGet.path).toBe('/livez');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.resources.requests).toEqual({ cpu: '100m', memory: '192Mi' });
    expect(container.image).toBe('crossgate/gateway:demo');
    const hpa = find('HorizontalPodAutoscaler', 'gateway');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = find('PodDisruptionBudget', 'gateway');
    const labels = gateway.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) expect(labels[k]).toBe(v);
    expect(find('Deployment', 'registry').spec.replicas).toBe(1);
    expect(
      objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === 'crossgate'),
    ).toBe(true);
  });

  it('keeps keys in Secrets and the supergraph and policies in ConfigMaps', () => {
    const secretRefs = find('Deployment', 'gateway')
      .spec.template.spec.containers[0].env.filter((e: any) => e.valueFrom?.secretKeyRef)
      .map((e: any) => e.valueFrom.secretKeyRef.name);
    expect(secretRefs).toContain('crossgate-keys');
    // No secret is shared: each member mounts only its own key pair.
    expect(find('Secret', 'crossgate-keys').stringData.SUBGRAPH_SECRET).toBeUndefined();
    expect(find('Secret', 'crossgate-keys').stringData.REGISTRY_KEYS).toBeDefined();
    const keyVolumes = ['gateway', 'registry', 'municipality-nb'].map(
      (name) =>
        find('Deployment', name).spec.template.spec.volumes.find((v: any) => v.name === 'member-key').secret
          .secretName,
    );
    expect(keyVolumes).toEqual(['crossgate-gateway-key', 'crossgate-registry-key', 'municipality-nb-key']);
    const contract = find('ConfigMap', 'crossgate-contract');
    expect(contract.data['supergraph.graphql']).toBe(
      readFileSync(join(__dirname, '..', '..', 'schema', 'supergraph.graphql'), 'utf8'),
    );
    expect(JSON.parse(find('ConfigMap', 'crossgate-policies').data['NB.json']).municipality).toBe('NB');
    expect(find('Deployment', 'redis').spec.template.spec.containers[0].image).toMatch(/^redis:/);
  });

  it('lets only gateway pods reach a municipal subgraph', () => {
    const policy = find('NetworkPolicy', 'municipal-subgraph-from-gateway-only');
    const municipal = find('Deployment', 'municipality-nb').spec.template.metadata.labels;
    for (const [k, v] of Object.entries(policy.spec.podSelector.matchLabels)) expect(municipal[k]).toBe(v);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toHaveLength(1);
    const [from] = policy.spec.ingress[0].from;
    const gatewayLabels = find('Deployment', 'gateway').spec.template.metadata.labels;
    for (const [k, v] of Object.entries(from.podSelector.matchLabels)) expect(gatewayLabels[k]).toBe(v);
    for (const other of ['registry', 'redis']) {
      const labels = find('Deployment', other).spec.template.metadata.labels;
      const admitted = Object.entries(from.podSelector.matchLabels).every(([k, v]) => labels[k] === v);
      expect(admitted).toBe(false);
    }
  });
});
