/**
 * The Prometheus text exposition (format 0.0.4) of a scrape, named as the ecosystem names it so
 * the PromQL and dashboards people already have work: cAdvisor's container metrics (cumulative
 * counters such as `container_cpu_usage_seconds_total`, gauges such as
 * `container_memory_working_set_bytes`) and kube-state-metrics' pod and deployment metrics
 * (`kube_pod_status_phase`, `kube_pod_container_status_restarts_total`,
 * `kube_deployment_status_replicas_available`, …), with their label names (`namespace`, `pod`,
 * `container`, `image`, `uid`, `phase`, `deployment`). Every series also carries `tenant`; a
 * container's carries `node`, `deployment` and `revision` (its replica set's) as well.
 * Ours: `tenant_network_drops_total{direction,reason[,security_group,rule]}` per pod, the traffic
 * model's drops by the filter or shaper that dropped them (network-drop-counters.ts), and
 * `tenant_network_rule_hits_{packets,bytes}_total{direction,security_group,rule}` per pod, what
 * each admitting security group rule let through (network-rule-hit-counters.ts); the
 * container_network_* counters are the model's achieved traffic once a network is attached;
 * per PublicIP `public_ip_{receive,transmit}_bytes_total`, `public_ip_blackholed_packets_total`
 * and the gauge `public_ip_blackholed` {namespace,publicip,address} (public-ip-counters.ts).
 *
 * Built with prom-client on a fresh registry per scrape, so nothing is shared between callers: a
 * tenant's token sees only its tenant's series, an operator's every tenant's. Counters come from
 * the collector's cumulative totals (counters.ts; this process's, so a standby serves gauges
 * only), gauges from the newest stored sample of each Running container.
 */
import { Registry } from "prom-client";
import type { Database } from "@/db/client";
import { readLatestSamples } from "@/db/queries/monitoring-read";
import { type Deployment, type Pod, type PodPhase, parseCpu, parseMemory, type ReplicaSet } from "../engine";
import type { Orchestrator } from "../engine/api/orchestrator";
import type { ContainerCounters } from "./counters";
import type { DropTotal, NetworkDropCounters } from "./network-drop-counters";
import type { NetworkRuleHitCounters, RuleHitTotal } from "./network-rule-hit-counters";
import type { PublicIpTotal } from "./public-ip-counters";
import { type MetricFamilies, metricFamilies } from "./prometheus-families";

const podPhases: readonly PodPhase[] = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];
type Labels = Record<string, string>;

function allPages<T>(list: (cursor: string | undefined) => { items: T[]; nextCursor?: string }): T[] {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = list(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** What one tenant's series are made of, read once from the engine (replica sets: its deployments' revisions). */
function readTenant(engine: Orchestrator, tenantId: string) {
  const pods = allPages((cursor) => engine.listPods(tenantId, { limit: 1000, cursor }));
  const deployments = allPages((cursor) => engine.listDeployments(tenantId, { limit: 1000, cursor }));
  const deploymentById = new Map(deployments.map((d) => [d.id, d]));
  const replicaSets = new Map<string, ReplicaSet>();
  for (const d of deployments) for (const rs of engine.listRevisions(tenantId, d.id)) replicaSets.set(rs.id, rs);
  return { pods, deployments, deploymentById, replicaSets };
}

function writeDeployment(f: MetricFamilies, tenantId: string, d: Deployment) {
  const labels = { tenant: tenantId, namespace: d.namespace, deployment: d.name };
  const m = f.deployment;
  m.specReplicas.set(labels, d.spec.replicas);
  m.replicas.set(labels, d.status.replicas);
  m.available.set(labels, d.status.availableReplicas);
  m.unavailable.set(labels, d.status.unavailableReplicas);
  m.updated.set(labels, d.status.updatedReplicas);
  m.ready.set(labels, d.status.readyReplicas);
  m.observedGeneration.set(labels, d.status.observedGeneration);
  m.generation.set(labels, d.generation);
}

/** kube-state-metrics' series of one pod and its containers. */
function writePodState(f: MetricFamilies, tenantId: string, pod: Pod, owner: ReplicaSet | undefined) {
  const labels: Labels = { tenant: tenantId, namespace: pod.namespace, pod: pod.name, uid: pod.id };
  const ownerLabels = owner
    ? { created_by_kind: "ReplicaSet", created_by_name: owner.name }
    : { created_by_kind: "<none>", created_by_name: "<none>" };
  f.podInfo.set({ ...labels, node: pod.nodeName ?? "", ...ownerLabels }, 1);
  f.podOwner.set(
    owner
      ? { ...labels, owner_kind: "ReplicaSet", owner_name: owner.name, owner_is_controller: "true" }
      : { ...labels, owner_kind: "<none>", owner_name: "<none>", owner_is_controller: "<none>" },
    1,
  );
  for (const phase of podPhases) f.phase.set({ ...labels, phase }, pod.status.phase === phase ? 1 : 0);
  const specs = new Map(pod.spec.containers.map((c) => [c.name, c]));
  for (const c of pod.status.containerStatuses) {
    const cl = { ...labels, container: c.name };
    f.containerInfo.set({ ...cl, image_spec: specs.get(c.name)?.image ?? c.image, image: c.image }, 1);
    f.restarts.inc(cl, c.restartCount);
    f.ready.set(cl, c.ready ? 1 : 0);
    f.running.set(cl, "running" in c.state ? 1 : 0);
    f.terminated.set(cl, "terminated" in c.state ? 1 : 0);
    f.waiting.set(cl, "waiting" in c.state ? 1 : 0);
    if ("waiting" in c.state) f.waitingReason.set({ ...cl, reason: c.state.waiting.reason }, 1);
  }
  const node = pod.nodeName ?? "";
  for (const c of pod.spec.containers) {
    const cl = { ...labels, container: c.name, node };
    const { requests, limits } = resourcesOf(c.resources);
    f.requests.set({ ...cl, resource: "cpu", unit: "core" }, requests.cpu);
    f.requests.set({ ...cl, resource: "memory", unit: "byte" }, requests.memory);
    if (limits.cpu !== undefined) f.limits.set({ ...cl, resource: "cpu", unit: "core" }, limits.cpu);
    if (limits.memory !== undefined) f.limits.set({ ...cl, resource: "memory", unit: "byte" }, limits.memory);
  }
}

/** The pod's cumulative drops by reason (network-drop-counters.ts), one series per direction, reason and rule. */
export function writeNetworkDrops(
  f: MetricFamilies,
  tenantId: string,
  pod: Pick<Pod, "namespace" | "name">,
  drops: readonly Readonly<DropTotal>[],
) {
  for (const d of drops)
    f.networkDrops.inc(
      {
        tenant: tenantId,
        namespace: pod.namespace,
        pod: pod.name,
        direction: d.direction,
        reason: d.reason,
        ...(d.group !== undefined ? { security_group: d.group, rule: String(d.rule ?? 0) } : {}),
      },
      d.packets,
    );
}

/** The pod's cumulative security group rule hits (network-rule-hit-counters.ts), one series per direction and rule. */
export function writeRuleHits(
  f: MetricFamilies,
  tenantId: string,
  pod: Pick<Pod, "namespace" | "name">,
  hits: readonly Readonly<RuleHitTotal>[],
) {
  for (const h of hits) {
    const labels = {
      tenant: tenantId,
      namespace: pod.namespace,
      pod: pod.name,
      direction: h.direction,
      security_group: h.group,
      rule: String(h.rule),
    };
    f.ruleHits.packets.inc(labels, h.packets);
    f.ruleHits.bytes.inc(labels, h.bytes);
  }
}

/** One tenant's public IPs: cumulative traffic and blackhole drops, and whether each is black-holed now. */
export function writePublicIps(f: MetricFamilies, tenantId: string, ips: readonly Readonly<PublicIpTotal>[]) {
  for (const ip of ips) {
    const labels = { tenant: tenantId, namespace: ip.namespace, publicip: ip.name, address: ip.address };
    f.publicIp.receiveBytes.inc(labels, ip.receiveBytes);
    f.publicIp.transmitBytes.inc(labels, ip.transmitBytes);
    f.publicIp.blackholedPackets.inc(labels, ip.blackholedPackets);
    f.publicIp.blackholed.set(labels, ip.blackholed ? 1 : 0);
  }
}

/** A container's requests and limits in cores and bytes; what does not parse is left out (0 for a request). */
function resourcesOf(r: Pod["spec"]["containers"][number]["resources"]) {
  const parse = (f: (q: string) => number, q: string | undefined) => {
    if (q === undefined) return undefined;
    try {
      return f(q);
    } catch {
      return undefined;
    }
  };
  const cores = (q: string | undefined) => {
    const m = parse(parseCpu, q);
    return m === undefined ? undefined : m / 1000;
  };
  return {
    requests: { cpu: cores(r.requests.cpu) ?? 0, memory: parse(parseMemory, r.requests.memory) ?? 0 },
    limits: { cpu: cores(r.limits.cpu), memory: parse(parseMemory, r.limits.memory) },
  };
}

export async function renderMetrics(
  db: Database,
  engine: Orchestrator,
  counters: Pick<ContainerCounters, "ofPod"> &
    Partial<Pick<NetworkDropCounters, "dropsOfPod">> &
    Partial<Pick<NetworkRuleHitCounters, "hitsOfPod">> & {
      publicIpsOfTenant?: (tenantId: string) => readonly Readonly<PublicIpTotal>[];
    },
  tenantIds: string[],
): Promise<{ body: string; contentType: string }> {
  const registry = new Registry();
  const f = metricFamilies(registry);

  for (const tenantId of tenantIds) {
    const { pods, deployments, deploymentById, replicaSets } = readTenant(engine, tenantId);
    for (const d of deployments) writeDeployment(f, tenantId, d);
    writePublicIps(f, tenantId, counters.publicIpsOfTenant?.(tenantId) ?? []);
    for (const rs of replicaSets.values())
      f.replicaSetOwner.set(
        {
          tenant: tenantId,
          namespace: rs.namespace,
          replicaset: rs.name,
          owner_kind: "Deployment",
          owner_name: deploymentById.get(rs.deploymentId)?.name ?? "",
          owner_is_controller: "true",
        },
        1,
      );
    const byId = new Map(pods.map((p) => [p.id, p]));
    const containerLabelsOf = (pod: Pod, container: string): Labels => {
      const rs = pod.ownerReplicaSetId ? replicaSets.get(pod.ownerReplicaSetId) : undefined;
      const deployment = pod.deploymentId ? deploymentById.get(pod.deploymentId) : undefined;
      const labels: Labels = {
        tenant: tenantId,
        namespace: pod.namespace,
        pod: pod.name,
        container,
        image: pod.spec.containers.find((c) => c.name === container)?.image ?? "",
        node: pod.nodeName ?? "",
      };
      if (deployment) labels.deployment = deployment.name;
      if (rs) labels.revision = String(rs.revision);
      return labels;
    };

    for (const pod of pods) {
      writePodState(f, tenantId, pod, pod.ownerReplicaSetId ? replicaSets.get(pod.ownerReplicaSetId) : undefined);
      for (const c of pod.status.containerStatuses)
        if ("running" in c.state)
          f.startTime.set(containerLabelsOf(pod, c.name), Math.floor(c.state.running.startedAt / 1000));
      for (const [container, totals] of counters.ofPod(tenantId, pod.id) ?? []) {
        const labels = containerLabelsOf(pod, container);
        for (const { field, metric } of f.containerCounters) metric.inc(labels, totals[field]);
        for (const { field, metric } of f.networkCounters) metric.inc({ ...labels, interface: "eth0" }, totals[field]);
      }
      writeNetworkDrops(f, tenantId, pod, counters.dropsOfPod?.(tenantId, pod.id) ?? []);
      writeRuleHits(f, tenantId, pod, counters.hitsOfPod?.(tenantId, pod.id) ?? []);
    }

    const latest = await readLatestSamples(
      db,
      tenantId,
      pods.filter((p) => p.status.phase === "Running").map((p) => p.id),
    );
    for (const s of latest) {
      const pod = byId.get(s.podId);
      if (!pod) continue;
      const labels = containerLabelsOf(pod, s.container);
      f.workingSet.set(labels, s.values.memoryWorkingSetBytes);
      f.rss.set(labels, s.values.memoryRssBytes);
      f.memoryLimit.set(labels, s.values.memoryLimitBytes);
      f.tcp.set({ ...labels, tcp_state: "established" }, s.values.tcpEstablished);
      f.tcp.set({ ...labels, tcp_state: "listen" }, s.values.tcpListen);
      f.tcp.set({ ...labels, tcp_state: "timewait" }, s.values.tcpTimeWait);
    }
  }
  return { body: await registry.metrics(), contentType: registry.contentType };
}
