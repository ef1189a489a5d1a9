/**
 * metrics.k8s.io/v1beta1 (`kubectl top`): a pod's usage is what its node agent measures
 * (getPodUsage); a node's is the sum over the pods running on it. A pod's measurement is one
 * figure for the whole pod, so with several containers it is shared out by their CPU and
 * memory requests (stated here because `top --containers` shows the split).
 */
import { type AnyKindDefinition, kindDefinition, type Node, type Pod, parseCpu, parseMemory } from "../../engine";
import type { VirtualResource } from "../catalog";
import { json, type KubeRequest } from "../context";
import { checkNamespaceAccess, getVisible, listVisible } from "../objects";
import { KubeError } from "../status";
import { readScope } from "./read";

/** metav1.Time of an engine time. */
const rfc3339OrNow = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

const cpu = (millis: number) => `${Math.round(millis * 1_000_000)}n`;
const memory = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;

interface Usage {
  cpuMillis: number;
  memoryBytes: number;
}

function podUsage(req: KubeRequest, p: Pod): Usage | undefined {
  if (p.status.phase !== "Running") return undefined;
  try {
    return req.engine.getPodUsage(p.tenantId, p.name, { namespace: p.namespace });
  } catch {
    return undefined;
  }
}

function podMetrics(p: Pod, u: Usage, at: string) {
  const reqs = p.spec.containers.map((c) => ({
    cpu: parseCpu(c.resources.requests.cpu, ""),
    mem: parseMemory(c.resources.requests.memory, ""),
  }));
  const totalCpu = reqs.reduce((s, r) => s + r.cpu, 0) || 1;
  const totalMem = reqs.reduce((s, r) => s + r.mem, 0) || 1;
  return {
    kind: "PodMetrics",
    apiVersion: "metrics.k8s.io/v1beta1",
    metadata: { name: p.name, namespace: p.namespace, creationTimestamp: at, labels: { ...p.labels } },
    timestamp: at,
    window: "30s",
    containers: p.spec.containers.map((c, i) => ({
      name: c.name,
      usage: {
        cpu: cpu((u.cpuMillis * (reqs[i]?.cpu ?? 0)) / totalCpu),
        memory: memory((u.memoryBytes * (reqs[i]?.mem ?? 0)) / totalMem),
      },
    })),
  };
}

function nodeMetrics(node: Node, u: Usage, at: string) {
  return {
    kind: "NodeMetrics",
    apiVersion: "metrics.k8s.io/v1beta1",
    metadata: { name: node.name, creationTimestamp: at, labels: { ...node.labels } },
    timestamp: at,
    window: "30s",
    usage: { cpu: cpu(u.cpuMillis), memory: memory(u.memoryBytes) },
  };
}

export function metrics(req: KubeRequest, resource: VirtualResource): Response {
  const at = rfc3339OrNow(req.services.clock.now());
  const scope = readScope(req);
  const q = req.url.searchParams;
  const selectors = {
    labelSelector: q.get("labelSelector") ?? undefined,
    fieldSelector: q.get("fieldSelector") ?? undefined,
  };
  const name = req.target.name;
  if (resource.name === "pods") {
    const def = kindDefinition("Pod") as AnyKindDefinition;
    checkNamespaceAccess(req.engine, scope, def, name ? "get" : "list");
    const pods = name
      ? [getVisible<"Pod">(req.engine, def, scope, name) as Pod]
      : (listVisible<"Pod">(req.engine, def, scope, selectors) as Pod[]);
    const items = pods.flatMap((p) => {
      const u = podUsage(req, p);
      return u ? [podMetrics(p, u, at)] : [];
    });
    if (name) {
      const item = items[0];
      if (!item) throw notMeasured("pods", name);
      return json(item);
    }
    return json({ kind: "PodMetricsList", apiVersion: "metrics.k8s.io/v1beta1", metadata: {}, items });
  }
  const def = kindDefinition("Node") as AnyKindDefinition;
  const nodes = name
    ? [getVisible<"Node">(req.engine, def, scope, name) as Node]
    : (listVisible<"Node">(req.engine, def, scope, selectors) as Node[]);
  const podDef = kindDefinition("Pod") as AnyKindDefinition;
  const byNode = new Map<string, Usage>();
  for (const p of listVisible<"Pod">(req.engine, podDef, { caller: req.caller }, {}) as Pod[]) {
    if (!p.nodeId) continue;
    const u = podUsage(req, p);
    if (!u) continue;
    const sum = byNode.get(p.nodeId) ?? { cpuMillis: 0, memoryBytes: 0 };
    sum.cpuMillis += u.cpuMillis;
    sum.memoryBytes += u.memoryBytes;
    byNode.set(p.nodeId, sum);
  }
  const items = nodes
    .filter((n) => n.phase === "Ready" && !n.warm)
    .map((n) => nodeMetrics(n, byNode.get(n.id) ?? { cpuMillis: 0, memoryBytes: 0 }, at));
  if (name) {
    const item = items[0];
    if (!item) throw notMeasured("nodes", name);
    return json(item);
  }
  return json({ kind: "NodeMetricsList", apiVersion: "metrics.k8s.io/v1beta1", metadata: {}, items });
}

const notMeasured = (resource: string, name: string) =>
  new KubeError("NotFound", `${resource}.metrics.k8s.io "${name}" not found`, {
    name,
    group: "metrics.k8s.io",
    kind: resource,
  });
