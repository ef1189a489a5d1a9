/**
 * The API benchmark's world: the console's real services (auth, engine over the database,
 * billing's metering hook, audit) on a virtual clock, the Kubernetes API's handler behind its
 * real HTTPS listener on a free port, and real API tokens made through the tRPC procedures.
 *
 * Seeded as the engine benchmark seeds (engine commands, pools booted first, settle()):
 * the tenant "bench" owns one namespace of `namespacePods` pods (deployments of ≤ 100), and
 * filler tenants bring the cluster to `clusterPods` (three deployments of ≤ 100 each, as
 * k8s-limit). Pods are 250m/256Mi, 30 to an 8c16g node. Monitoring samples once a day of
 * engine time, so seeding writes no samples; the clock is held while measuring.
 */
import { performance } from "node:perf_hooks";
import { createVirtualClock, type VirtualClock } from "@/server/engine";
import { createCallLimiter } from "@/server/http/rate-limit";
import { createKubeHandler } from "@/server/kube-api/handler";
import { type KubeListener, peerOf, startKubeListener } from "@/server/kube-api/http/listener";
import { loadTlsMaterial } from "@/server/kube-api/http/tls";
import { createServices, type Services } from "@/server/services";
import { cookieFrom } from "@/server/testing/harness";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { type BenchDb, inParallel, log, openBenchDb, START_MS, settleOrWarn, template, tenantName } from "../lib";
import type { Endpoint } from "./https-client";
import { recordServerLatency, type ServerLatency } from "./server-latency";

export interface WorldScale {
  /** Pods in the bench tenant's namespace (the Table list's namespace). */
  namespacePods: number;
  /** Pods in the whole cluster (the operator's paged list), the namespace's included. */
  clusterPods: number;
  /** Tenant tokens to make (one per client) and operator tokens. */
  tenantTokens: number;
}

export interface World {
  services: Services;
  clock: VirtualClock;
  endpoint: Endpoint;
  namespace: string;
  tenantId: string;
  /** The bench namespace's deployments and a few of its pods' names. */
  deployments: string[];
  podNames: string[];
  tenantTokens: string[];
  operatorToken: string;
  pods: { namespace: number; cluster: number };
  nodes: number;
  seedSeconds: number;
  /** What the server's side of each request took (server-latency.ts). */
  serverLatency: ServerLatency;
  close(): Promise<void>;
}

const REPLICAS = 100;
const PODS_PER_NODE = 30;
const FILLER_DEPLOYMENTS = 3;
const password = "bench-password-123";
const DAY_MS = 86_400_000;

/** `pods` as deployments of at most REPLICAS each. */
const split = (pods: number): number[] => {
  const out: number[] = [];
  for (let left = pods; left > 0; left -= REPLICAS) out.push(Math.min(REPLICAS, left));
  return out;
};

export async function buildWorld(scale: WorldScale): Promise<World> {
  const db: BenchDb = await openBenchDb();
  const clock = createVirtualClock(START_MS);
  const services = createServices(
    db.handle,
    { baseURL: "http://localhost:3000", secret: "bench-secret-bench-secret-bench-secret" },
    { clock, engineConfig: { podEvents: false, settleQuantumMs: 100 }, monitoringIntervalMs: DAY_MS },
  );
  await services.start();
  const { engine } = services;

  // The first account is the operator; the tenant's owner makes the tenant and its tokens.
  const signIn = async (email: string) => {
    await services.auth.api.signUpEmail({ body: { email, password, name: email.split("@")[0] as string } });
    const res = await services.auth.api.signInEmail({ body: { email, password }, returnHeaders: true });
    const cookie = cookieFrom(res.headers);
    return () => createContext(services, new Headers({ cookie })).then(createCaller);
  };
  const operator = await signIn("operator@bench.test");
  const owner = await signIn("owner@bench.test");
  const tenant = await (await owner()).tenants.create({ name: "Bench", slug: "bench" });
  const namespace = "bench";
  const ownerCaller = await owner();
  const tenantTokens: string[] = [];
  for (let i = 0; i < scale.tenantTokens; i++)
    tenantTokens.push((await ownerCaller.tokens.create({ name: `kbench-${i}` })).secret);
  const operatorToken = (await (await operator()).operatorTokens.create({ name: "kbench-operator" })).secret;

  const t0 = performance.now();
  const benchNodes = Math.ceil(scale.namespacePods / PODS_PER_NODE);
  await engine.setQuota(tenant.id, {
    cpu: String(benchNodes * 8 + 8),
    memory: `${benchNodes * 16 + 16}Gi`,
    pods: scale.namespacePods + 5_000,
    nodes: benchNodes + 1,
  });
  const fillerPods = Math.max(0, scale.clusterPods - scale.namespacePods);
  const perFiller = FILLER_DEPLOYMENTS * REPLICAS;
  const fillers = Array.from({ length: Math.ceil(fillerPods / perFiller) }, (_, i) => ({
    id: tenantName(i),
    pods: Math.min(perFiller, fillerPods - i * perFiller),
  }));
  const pool = (nodes: number) => ({
    name: "pool",
    machineType: "8c16g" as const,
    minSize: nodes,
    maxSize: nodes,
    trimmedImage: true,
    staticIp: true,
  });
  await engine.createNodePool(tenant.id, pool(Math.max(1, benchNodes)));
  await inParallel(fillers, async (f) => {
    await engine.ensureTenantNamespace(f.id, f.id);
    await engine.createNodePool(f.id, pool(Math.ceil(f.pods / PODS_PER_NODE)));
  });
  await settleOrWarn(engine, "api nodes");
  const deployments = split(scale.namespacePods).map((_, i) => `web-${String(i).padStart(3, "0")}`);
  const work: [string, string, number][] = [
    ...split(scale.namespacePods).map((n, i) => [tenant.id, deployments[i] as string, n] as [string, string, number]),
    ...fillers.flatMap((f) => split(f.pods).map((n, d) => [f.id, `web-${d}`, n] as [string, string, number])),
  ];
  await inParallel(work, ([t, name, replicas]) => engine.createDeployment(t, { name, replicas, template: template() }));
  await settleOrWarn(engine, "api pods");
  const seedSeconds = (performance.now() - t0) / 1000;

  const podNames = engine
    .listPods(tenant.id, { namespace, limit: 500 })
    .items.slice(0, 200)
    .map((p) => p.name);
  const stats = engine.stats();
  log(
    `api: ${stats.pods} pods (${scale.namespacePods} in "${namespace}") on ${stats.nodes} nodes, seeded in ${seedSeconds.toFixed(1)} s`,
  );

  // The production handler and listener; budgets raised so that 50 clients measure latency, not 429s.
  const limiter = createCallLimiter({ reads: 1e9, writes: 1e9, windowSeconds: 60, maxBatchCalls: 50 });
  const handler = createKubeHandler({ getServices: async () => services, limiter, clientAddress: peerOf });
  const tls = await loadTlsMaterial(services.db, {});
  const listener: KubeListener = await startKubeListener(handler, tls, { port: 0, host: "127.0.0.1" });
  return {
    services,
    clock,
    endpoint: { host: "127.0.0.1", port: listener.port, ca: tls.ca },
    namespace,
    tenantId: tenant.id,
    deployments,
    podNames,
    tenantTokens,
    operatorToken,
    pods: { namespace: scale.namespacePods, cluster: stats.pods },
    nodes: stats.nodes,
    seedSeconds,
    serverLatency: recordServerLatency(listener.server),
    async close() {
      await listener.close();
      await services.stop();
      await db.close();
      db.remove();
    },
  };
}
