import { describe, expect, it } from "vitest";
import type { ConfigMap, ContainerSpec, Pod, Secret } from "../kinds/types";
import { parseInput, podTemplateSchema } from "../kinds/validation";
import { mountProblem, resolveEnv, type SourceLookup } from "./container-config";

const meta = {
  tenantId: "t",
  namespace: "ns",
  labels: {},
  annotations: {},
  generation: 1,
  createdAt: 0,
  resourceVersion: 1,
};
const cm: ConfigMap = {
  ...meta,
  kind: "ConfigMap",
  id: "cm-1",
  name: "cfg",
  data: { MODE: "fast", LEVEL: "3" },
  binaryData: {},
};
const secret: Secret = {
  ...meta,
  kind: "Secret",
  id: "s-1",
  name: "db",
  type: "Opaque",
  data: { password: Buffer.from("s3cret").toString("base64") },
};
const lookup: SourceLookup = (kind, tenantId, namespace, name) =>
  [cm, secret].find((o) => o.kind === kind && o.tenantId === tenantId && o.namespace === namespace && o.name === name);

function podWith(container: Record<string, unknown>, volumes?: unknown[]): Pod {
  const t = parseInput(podTemplateSchema, {
    labels: { app: "web", tier: "front" },
    spec: { containers: [{ name: "c", image: "busybox:1", ...container }], ...(volumes ? { volumes } : {}) },
  });
  return {
    ...meta,
    kind: "Pod",
    id: "pod-uid-1",
    name: "web-abc-12345",
    labels: t.labels,
    annotations: { note: "hi" },
    nodeName: "node-a",
    spec: t.spec,
    requests: { cpuMillis: 0, memoryBytes: 0 },
    status: { phase: "Pending", conditions: [], containerStatuses: [] },
  } as Pod;
}
const envOf = (p: Pod) => {
  const r = resolveEnv(p, p.spec.containers[0] as ContainerSpec, lookup);
  if ("error" in r) throw new Error(r.error);
  return Object.fromEntries(r.env);
};

describe("a container's environment", () => {
  it("comes from envFrom (prefixed), then env in order; Secrets decoded; $(VAR) expanded", () => {
    const p = podWith({
      envFrom: [{ configMapRef: { name: "cfg" }, prefix: "APP_" }, { secretRef: { name: "db" } }],
      env: [
        { name: "APP_MODE", value: "slow" },
        { name: "URL", value: "db://$(password)@host/$(UNKNOWN)/$$(password)" },
        { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "TIER", valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
        { name: "NOTE", valueFrom: { fieldRef: { fieldPath: "metadata.annotations['note']" } } },
        { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
        { name: "SA", valueFrom: { fieldRef: { fieldPath: "spec.serviceAccountName" } } },
        { name: "CPU", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } },
        { name: "CPU_M", valueFrom: { resourceFieldRef: { resource: "requests.cpu", divisor: "1m" } } },
        { name: "MEM_MI", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
        { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "cfg", key: "LEVEL" } } },
      ],
      resources: { requests: { cpu: "250m", memory: "64Mi" }, limits: { cpu: "1500m", memory: "128Mi" } },
    });
    expect(envOf(p)).toEqual({
      APP_MODE: "slow",
      APP_LEVEL: "3",
      password: "s3cret",
      URL: "db://s3cret@host/$(UNKNOWN)/$(password)",
      POD: "web-abc-12345",
      TIER: "front",
      NOTE: "hi",
      NODE: "node-a",
      SA: "default",
      CPU: "2",
      CPU_M: "250",
      MEM_MI: "128",
      LEVEL: "3",
    });
  });

  it("says what is missing as the kubelet does; an optional source is skipped", () => {
    const missing = (env: unknown[], envFrom?: unknown[]) => {
      const p = podWith({ env, ...(envFrom ? { envFrom } : {}) });
      return resolveEnv(p, p.spec.containers[0] as ContainerSpec, lookup);
    };
    expect(missing([{ name: "A", valueFrom: { secretKeyRef: { name: "nope", key: "k" } } }])).toEqual({
      error: 'secret "nope" not found',
    });
    expect(missing([{ name: "A", valueFrom: { secretKeyRef: { name: "db", key: "user" } } }])).toEqual({
      error: "couldn't find key user in Secret ns/db",
    });
    expect(missing([], [{ configMapRef: { name: "gone" } }])).toEqual({ error: 'configmap "gone" not found' });
    const ok = missing(
      [{ name: "A", valueFrom: { configMapKeyRef: { name: "cfg", key: "nokey", optional: true } } }],
      [{ configMapRef: { name: "gone", optional: true } }],
    );
    expect(ok).toEqual({ env: new Map() });
  });
});

describe("volumes", () => {
  it("mount when their sources exist; a missing one or a missing item key is FailedMount's message", () => {
    expect(
      mountProblem(
        podWith({}, [
          { name: "v", configMap: { name: "cfg" } },
          { name: "e", emptyDir: {} },
        ]),
        lookup,
      ),
    ).toBeUndefined();
    expect(mountProblem(podWith({}, [{ name: "v", secret: { secretName: "tls" } }]), lookup)).toBe(
      'MountVolume.SetUp failed for volume "v" : secret "tls" not found',
    );
    expect(
      mountProblem(podWith({}, [{ name: "v", secret: { secretName: "tls", optional: true } }]), lookup),
    ).toBeUndefined();
    expect(
      mountProblem(
        podWith({}, [{ name: "v", secret: { secretName: "db", items: [{ key: "x", path: "x" }] } }]),
        lookup,
      ),
    ).toBe('MountVolume.SetUp failed for volume "v" : references non-existent secret key: x');
  });
});
