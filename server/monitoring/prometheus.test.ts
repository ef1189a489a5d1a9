/**
 * /api/metrics on the virtual clock: cAdvisor's and kube-state-metrics' names, types and labels;
 * counters that integrate the collected samples; a tenant's token sees its tenant only; and
 * `promtool check metrics` finds nothing to say about the real output.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";
import type { Pod } from "../engine";
import { type Family, hasPromtool, parseExposition, promtoolCheck } from "./exposition.test-kit";
import { scrape } from "./scrape";

let h: Harness;
let operator: TestUser;
const tokens: Record<string, string> = {};
const tenantIds: Record<string, string> = {};
const owners: Record<string, TestUser> = {};

beforeAll(async () => {
  h = await createHarness();
  operator = await h.signUp("ops@prom.test");
  for (const slug of ["prom-a", "prom-b"]) {
    const owner = await h.signUp(`owner@${slug}.test`);
    owners[slug] = owner;
    tenantIds[slug] = (await (await owner.caller()).tenants.create({ name: slug, slug })).id;
    await (await owner.caller()).deployments.create({
      name: `${slug}-web`,
      replicas: 2,
      template: {
        spec: {
          containers: [
            {
              name: "app",
              image: "nginx:1.27",
              env: [{ name: "SIM_CPU", value: "200" }],
              resources: { requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
            },
          ],
        },
      },
    });
    tokens[slug] = (await (await owner.caller()).tokens.create({ name: "prometheus" })).secret;
  }
  // A crash-looping container in prom-b: restarts, waiting with a reason, no usage samples.
  await (await owners["prom-b"]?.caller())?.deployments.create({
    name: "crasher",
    replicas: 1,
    template: { spec: { containers: [{ name: "app", image: "busybox:crash" }] } },
  });
  await (await operator.caller()).tenants.create({ name: "Ops", slug: "ops-home" });
  // Operator-wide tokens are made on the admin dashboard; a token made in a tenant stays in it (point 19).
  tokens.operator = (await (await operator.caller()).operatorTokens.create({ name: "scraper" })).secret;
  await h.services.engine.settle();
  await h.services.engine.runFor(30_000);
  await h.services.monitoring.flush();
}, 120_000);
afterAll(async () => h?.close());

const scrapeWith = (token?: string) =>
  scrape(h.services, new Headers(token ? { authorization: `Bearer ${token}` } : {}));
const scrapeFamilies = async (token: string) => {
  const result = await scrapeWith(token);
  expect(result.status).toBe(200);
  return parseExposition(result.body);
};
const familyOf = (families: Map<string, Family>, name: string): Family => {
  const f = families.get(name);
  if (!f) throw new Error(`no ${name} in the scrape`);
  return f;
};
const runningPods = (slug: string): Pod[] =>
  h.services.engine.listPods(tenantIds[slug] as string, { phase: "Running" }).items;

/** Every family a scrape serves, with its type: cAdvisor's, kube-state-metrics', then ours. */
const expectedTypes: Record<string, "counter" | "gauge"> = {
  container_cpu_usage_seconds_total: "counter",
  container_cpu_cfs_throttled_seconds_total: "counter",
  container_memory_working_set_bytes: "gauge",
  container_memory_rss: "gauge",
  container_spec_memory_limit_bytes: "gauge",
  container_start_time_seconds: "gauge",
  container_fs_reads_bytes_total: "counter",
  container_fs_writes_bytes_total: "counter",
  container_fs_reads_total: "counter",
  container_fs_writes_total: "counter",
  container_network_receive_bytes_total: "counter",
  container_network_transmit_bytes_total: "counter",
  container_network_receive_packets_total: "counter",
  container_network_transmit_packets_total: "counter",
  container_network_receive_packets_dropped_total: "counter",
  container_network_transmit_packets_dropped_total: "counter",
  kube_pod_info: "gauge",
  kube_pod_owner: "gauge",
  kube_pod_status_phase: "gauge",
  kube_pod_container_info: "gauge",
  kube_pod_container_status_restarts_total: "counter",
  kube_pod_container_status_ready: "gauge",
  kube_pod_container_status_running: "gauge",
  kube_pod_container_status_waiting: "gauge",
  kube_pod_container_status_terminated: "gauge",
  kube_pod_container_status_waiting_reason: "gauge",
  kube_pod_container_resource_requests: "gauge",
  kube_pod_container_resource_limits: "gauge",
  kube_replicaset_owner: "gauge",
  kube_deployment_spec_replicas: "gauge",
  kube_deployment_status_replicas: "gauge",
  kube_deployment_status_replicas_available: "gauge",
  kube_deployment_status_replicas_unavailable: "gauge",
  kube_deployment_status_replicas_updated: "gauge",
  kube_deployment_status_replicas_ready: "gauge",
  kube_deployment_status_observed_generation: "gauge",
  kube_deployment_metadata_generation: "gauge",
  container_network_tcp_connections: "gauge",
  tenant_network_drops_total: "counter",
  tenant_network_rule_hits_packets_total: "counter",
  tenant_network_rule_hits_bytes_total: "counter",
  public_ip_receive_bytes_total: "counter",
  public_ip_transmit_bytes_total: "counter",
  public_ip_blackholed_packets_total: "counter",
  public_ip_blackholed: "gauge",
};

describe("/api/metrics names, types and labels", () => {
  it("serves cAdvisor's and kube-state-metrics' families with their types, in the 0.0.4 text format", async () => {
    const result = await scrapeWith(tokens["prom-a"]);
    expect(result.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parseExposition(result.body);
    expect(Object.fromEntries([...families.values()].map((f) => [f.name, f.type]))).toEqual(expectedTypes);
    for (const f of families.values()) expect(f.help, f.name).not.toBe("");
    // The per-interval gauges of before are gone, not served beside the counters.
    for (const old of ["container_cpu_usage_millicores", "container_network_receive_bytes_per_second"])
      expect(result.body).not.toContain(old);
  });

  it("labels a container's series with namespace, pod, container and image, plus tenant, node and revision", async () => {
    const families = await scrapeFamilies(tokens["prom-a"] as string);
    const pods = runningPods("prom-a");
    expect(pods).toHaveLength(2);
    for (const name of ["container_cpu_usage_seconds_total", "container_memory_working_set_bytes"]) {
      const samples = familyOf(families, name).samples;
      expect(samples.map((s) => s.labels.pod).sort(), name).toEqual(pods.map((p) => p.name).sort());
      for (const s of samples) {
        const pod = pods.find((p) => p.name === s.labels.pod) as Pod;
        expect(s.labels).toEqual({
          tenant: tenantIds["prom-a"],
          namespace: pod.namespace,
          pod: pod.name,
          container: "app",
          image: "nginx:1.27",
          node: pod.nodeName,
          deployment: "prom-a-web",
          revision: "1",
        });
      }
    }
    const rx = familyOf(families, "container_network_receive_bytes_total").samples;
    expect(rx.every((s) => s.labels.interface === "eth0")).toBe(true);
    const limit = familyOf(families, "container_spec_memory_limit_bytes").samples;
    expect(limit.map((s) => s.value)).toEqual([512 * 2 ** 20, 512 * 2 ** 20]);
  });

  it("gives every pod one kube_pod_status_phase series per phase, 1 for its phase and 0 for the others", async () => {
    const families = await scrapeFamilies(tokens["prom-a"] as string);
    for (const pod of runningPods("prom-a")) {
      const series = familyOf(families, "kube_pod_status_phase").samples.filter((s) => s.labels.pod === pod.name);
      expect(Object.fromEntries(series.map((s) => [s.labels.phase, s.value]))).toEqual({
        Pending: 0,
        Running: 1,
        Succeeded: 0,
        Failed: 0,
        Unknown: 0,
      });
      expect(series[0]?.labels).toMatchObject({ namespace: pod.namespace, uid: pod.id, tenant: tenantIds["prom-a"] });
    }
    const available = familyOf(families, "kube_deployment_status_replicas_available").samples;
    expect(available).toEqual([
      {
        labels: {
          tenant: tenantIds["prom-a"],
          namespace: runningPods("prom-a")[0]?.namespace,
          deployment: "prom-a-web",
        },
        value: 2,
      },
    ]);
    const cpuRequests = familyOf(families, "kube_pod_container_resource_requests").samples.filter(
      (s) => s.labels.resource === "cpu",
    );
    expect(cpuRequests.map((s) => [s.labels.unit, s.value])).toEqual([
      ["core", 0.25],
      ["core", 0.25],
    ]);
  });
});

describe("/api/metrics counters", () => {
  const sumOfSamples = async (podId: string, column: "cpu_millis" | "net_rx_bytes") => {
    const result = await h.services.db.execute(sql`
      select coalesce(sum(m.${sql.raw(column)}), 0)::float8 as total
      from metric_sample m join metric_series s on s.id = m.series_id
      where s.pod_id = ${podId} and s.container = 'app'`);
    return Number((result as unknown as { rows: { total: number }[] }).rows[0]?.total);
  };

  it("count cpu seconds and bytes since the container was first sampled, as the stored samples add up", async () => {
    const interval = h.services.monitoring.intervalMs;
    const cpuOf = async () =>
      new Map(
        familyOf(await scrapeFamilies(tokens["prom-a"] as string), "container_cpu_usage_seconds_total").samples.map(
          (s) => [s.labels.pod, s.value],
        ),
      );
    const before = await cpuOf();
    await h.services.engine.runFor(60_000);
    await h.services.monitoring.flush();
    const families = await scrapeFamilies(tokens["prom-a"] as string);
    const cpu = familyOf(families, "container_cpu_usage_seconds_total").samples;
    const rx = familyOf(families, "container_network_receive_bytes_total").samples;
    for (const pod of runningPods("prom-a")) {
      const total = cpu.find((s) => s.labels.pod === pod.name)?.value ?? Number.NaN;
      // Six more rounds at ~200 millicores: about 12 cpu seconds more, never less than before.
      expect(total - (before.get(pod.name) ?? 0)).toBeGreaterThan(6 * 0.2 * 10 * 0.85);
      expect(total - (before.get(pod.name) ?? 0)).toBeLessThan(6 * 0.2 * 10 * 1.15);
      expect(total).toBeCloseTo(((await sumOfSamples(pod.id, "cpu_millis")) / 1000) * (interval / 1000), 6);
      const rxTotal = rx.find((s) => s.labels.pod === pod.name)?.value;
      // Without SIM_TRAFFIC a pod sends nothing once the network model runs (synthetic bytes before).
      expect(rxTotal).toBeGreaterThanOrEqual(0);
      expect(rxTotal).toBeCloseTo(await sumOfSamples(pod.id, "net_rx_bytes"), 6);
    }
  });

  it("count a crash-looping container's restarts in kube_pod_container_status_restarts_total", async () => {
    await h.services.engine.runFor(60_000);
    const [pod] = h.services.engine.listPods(tenantIds["prom-b"] as string, { deployment: "crasher" }).items;
    const restartCount = pod?.status.containerStatuses[0]?.restartCount ?? 0;
    expect(restartCount).toBeGreaterThanOrEqual(2);
    const families = await scrapeFamilies(tokens["prom-b"] as string);
    const restarts = familyOf(families, "kube_pod_container_status_restarts_total");
    expect(restarts.type).toBe("counter");
    expect(restarts.samples.find((s) => s.labels.pod === pod?.name)).toEqual({
      labels: {
        tenant: tenantIds["prom-b"],
        namespace: pod?.namespace,
        pod: pod?.name,
        uid: pod?.id,
        container: "app",
      },
      value: restartCount,
    });
  });
});

describe("/api/metrics scope", () => {
  it("serves a tenant's token only that tenant's series", async () => {
    const families = await scrapeFamilies(tokens["prom-a"] as string);
    const otherPods = new Set(runningPods("prom-b").map((p) => p.name));
    let samples = 0;
    for (const f of families.values())
      for (const s of f.samples) {
        samples++;
        expect(s.labels.tenant, f.name).toBe(tenantIds["prom-a"]);
        expect(otherPods.has(s.labels.pod ?? ""), f.name).toBe(false);
      }
    expect(samples).toBeGreaterThan(50);
  });

  it("serves an operator's token every tenant", async () => {
    const families = await scrapeFamilies(tokens.operator as string);
    const pods = new Set(familyOf(families, "container_cpu_usage_seconds_total").samples.map((s) => s.labels.pod));
    for (const pod of [...runningPods("prom-a"), ...runningPods("prom-b")]) expect(pods).toContain(pod.name);
  });

  it("refuses a scrape without a token or with a bad one", async () => {
    expect((await scrapeWith()).status).toBe(401);
    const bad = await scrapeWith("tc_nope");
    expect(bad.status).toBe(401);
    expect(bad.body).toContain("invalid or has been revoked");
  });
});

describe.skipIf(!hasPromtool)("promtool check metrics", () => {
  it("finds nothing to report on a scrape of every tenant (a crash-looping container included)", async () => {
    const result = await scrapeWith(tokens.operator);
    expect(result.body).toMatch(/^kube_pod_container_status_restarts_total\{[^}]*pod="crasher-[^}]*\} [1-9]/m);
    expect(promtoolCheck(result.body)).toEqual({ status: 0, output: "" });
  });

  it("does report what it should (so the check above can fail): a gauge named like a counter", () => {
    const check = promtoolCheck("# HELP x_total A gauge.\n# TYPE x_total gauge\nx_total 1\n");
    expect(check.output).toContain('non-counter metrics should not have "_total" suffix');
  });
});
