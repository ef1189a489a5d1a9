/**
 * The Prometheus text exposition of current container and pod gauges, built with
 * prom-client on a fresh registry per scrape (no global state shared between callers).
 * A tenant's token sees only its tenant's series; an operator's token sees every tenant.
 */
import { Gauge, Registry } from "prom-client";
import type { Database } from "@/db/client";
import { readLatestSamples } from "@/db/queries/monitoring-read";
import type { Pod } from "../engine";
import type { Orchestrator } from "../engine/api/orchestrator";

const containerLabels = ["tenant", "deployment", "pod", "container", "node"] as const;

export async function renderMetrics(
  db: Database,
  engine: Orchestrator,
  tenantIds: string[],
  sampleIntervalMs: number,
): Promise<{ body: string; contentType: string }> {
  const registry = new Registry();
  const gauge = (name: string, help: string, labels: readonly string[] = containerLabels) =>
    new Gauge({ name, help, labelNames: labels, registers: [registry] });
  const cpu = gauge("container_cpu_usage_millicores", "CPU in use, millicores, over the last sample interval");
  const throttled = gauge(
    "container_cpu_throttled_ratio",
    "Share of the last interval the container was throttled at its cpu limit",
  );
  const workingSet = gauge("container_memory_working_set_bytes", "Memory working set");
  const rss = gauge("container_memory_rss_bytes", "Resident set size");
  const memLimit = gauge("container_spec_memory_limit_bytes", "Memory limit (0 when none)");
  const rx = gauge("container_network_receive_bytes_per_second", "Network bytes received per second");
  const tx = gauge("container_network_transmit_bytes_per_second", "Network bytes sent per second");
  const tcp = gauge("container_tcp_connections", "TCP sockets by state", [...containerLabels, "state"]);
  const phase = gauge("kube_pod_status_phase", "1 for the pod's current phase", [
    "tenant",
    "deployment",
    "pod",
    "phase",
  ]);
  const restarts = gauge("kube_pod_container_status_restarts_total", "Container restarts", [
    "tenant",
    "deployment",
    "pod",
    "container",
  ]);
  const seconds = sampleIntervalMs / 1000;

  for (const tenantId of tenantIds) {
    const pods: Pod[] = [];
    let cursor: string | undefined;
    do {
      const page = engine.listPods(tenantId, { limit: 1000, cursor });
      pods.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const byId = new Map(pods.map((p) => [p.id, p]));
    const deploymentName = (p: Pod) => (p.deploymentId ? engine.getDeployment(tenantId, p.deploymentId).name : "");
    for (const p of pods) {
      phase.set({ tenant: tenantId, deployment: deploymentName(p), pod: p.name, phase: p.status.phase }, 1);
      for (const c of p.status.containerStatuses)
        restarts.set(
          { tenant: tenantId, deployment: deploymentName(p), pod: p.name, container: c.name },
          c.restartCount,
        );
    }
    const latest = await readLatestSamples(
      db,
      tenantId,
      pods.filter((p) => p.status.phase === "Running").map((p) => p.id),
    );
    for (const s of latest) {
      const pod = byId.get(s.podId);
      if (!pod) continue;
      const labels = {
        tenant: tenantId,
        deployment: deploymentName(pod),
        pod: s.podName,
        container: s.container,
        node: pod.nodeName ?? "",
      };
      cpu.set(labels, s.values.cpuMillis);
      throttled.set(labels, s.values.cpuThrottledMs / sampleIntervalMs);
      workingSet.set(labels, s.values.memoryWorkingSetBytes);
      rss.set(labels, s.values.memoryRssBytes);
      memLimit.set(labels, s.values.memoryLimitBytes);
      rx.set(labels, s.values.netRxBytes / seconds);
      tx.set(labels, s.values.netTxBytes / seconds);
      tcp.set({ ...labels, state: "established" }, s.values.tcpEstablished);
      tcp.set({ ...labels, state: "listen" }, s.values.tcpListen);
      tcp.set({ ...labels, state: "time_wait" }, s.values.tcpTimeWait);
    }
  }
  return { body: await registry.metrics(), contentType: registry.contentType };
}
