/**
 * Failover benchmark: `npm run bench:failover [-- --pods 150000 --db postgres|pglite]`.
 * Seeds a database with `--pods` pods (500 tenants per 150,000: ten 8c16g nodes and three
 * 100-replica deployments each, as bench:engine's k8s-limit) through the engine on a virtual
 * clock, then runs two real server processes on it (server/testing/engine-process.ts: the
 * services of server/runtime.ts): a leader, and a standby that waits on the lease (an advisory
 * lock on the PostgreSQL server; on PGlite the data folder's lock). The leader acknowledges one
 * write and is killed with SIGKILL; timed from the kill: the standby holding the lease
 * (`lease_s`), its engine started with everything loaded (`engine_start_s`), and its first
 * commit acknowledged, a write through its engine (`takeover_s`, target ≤ 15 s). It checks that
 * the old leader's last acknowledged write and every pod are there.
 * On PostgreSQL the standby follows the change log while it waits (core/follower.ts): it has
 * loaded the snapshot before the kill (`standby_follow_s`, `standby_pods`), answers a read of
 * the leader's last write (`standby_read_ok`), and its takeover catches up from the followed
 * revision instead of loading again (`warm`, and `promotion_ms` as the engine logged it), so
 * `engine_start_s` is the lease plus that promotion. On PGlite the standby cannot open the data
 * folder until the leader is gone (one process's database): it starts cold, `warm` false.
 * `--db` defaults to postgres when BENCH_DATABASE_URL names a server, else pglite.
 * stdout: one JSON line. stderr: progress.
 */
import { performance } from "node:perf_hooks";
import { createEngine, createRng, createSimulatedRuntime, createVirtualClock } from "@/server/engine";
import { type EngineProcess, startEngineProcess } from "@/server/testing/engine-processes";
import { emit, log, openBenchDb, round, template } from "./lib";

const TARGET_S = 15;

function flag(name: string): string | undefined {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === `--${name}`) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

const pods = Number(flag("pods") ?? "150000");
const dbKind = flag("db") ?? (process.env.BENCH_DATABASE_URL ? "postgres" : "pglite");
if (dbKind === "postgres") process.env.BENCH_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
else delete process.env.BENCH_DATABASE_URL;

const NODES_PER_TENANT = 10;
const DEPLOYMENTS = 3;
const REPLICAS = 100;
const tenants = Math.max(1, Math.round(pods / (DEPLOYMENTS * REPLICAS)));

async function seed() {
  const db = await openBenchDb();
  const t0 = performance.now();
  // Virtual time from now: the servers that load it next run on the real clock.
  const engine = createEngine({
    store: db.store,
    clock: createVirtualClock(Date.now()),
    rng: createRng(1),
    runtime: createSimulatedRuntime(),
    config: { podEvents: false, settleQuantumMs: 100 },
    log: (m, e) => console.error(m, e),
  });
  await engine.start();
  const names = Array.from({ length: tenants }, (_, i) => `failover-${String(i).padStart(4, "0")}`);
  const each = async (fn: (tenant: string) => Promise<unknown>) => {
    for (let i = 0; i < names.length; i += 256) await Promise.all(names.slice(i, i + 256).map(fn));
  };
  await each((t) =>
    engine.createNodePool(t, {
      name: "pool",
      machineType: "8c16g",
      minSize: NODES_PER_TENANT,
      maxSize: NODES_PER_TENANT,
      trimmedImage: true,
      staticIp: true,
    }),
  );
  await engine.settle();
  log(`seed: ${engine.stats().nodes} nodes Ready; creating ${tenants * DEPLOYMENTS * REPLICAS} pods`);
  for (let d = 0; d < DEPLOYMENTS; d++)
    await each((t) => engine.createDeployment(t, { name: `web-${d}`, replicas: REPLICAS, template: template() }));
  await engine.settle();
  const stats = engine.stats();
  await engine.stop();
  await db.close();
  const seedS = (performance.now() - t0) / 1000;
  log(`seed: ${stats.pods} pods on ${stats.nodes} nodes in ${seedS.toFixed(1)} s`);
  return { db, seedS, pods: stats.pods, nodes: stats.nodes };
}

function serverEnv(dir: string): Record<string, string> {
  if (dbKind !== "postgres") return { DATA_DIR: dir };
  const url = new URL(process.env.BENCH_DATABASE_URL ?? "");
  url.pathname = `/${dir}`;
  return { DATABASE_URL: url.toString() };
}

async function main() {
  const seeded = await seed();
  const env = serverEnv(seeded.db.dir);
  const children: EngineProcess[] = [];
  const start = () => {
    const p = startEngineProcess(env, { maxOldSpaceMb: 8192 });
    children.push(p);
    return p;
  };
  try {
    const t0 = performance.now();
    const leader = start();
    const first = await leader.next((l) => l.event === "started", "the leader to start", 0, 300_000);
    const leaderLoadS = (performance.now() - t0) / 1000;
    if (first.role !== "leader") throw new Error(`the first server did not lead: ${JSON.stringify(first)}`);
    log(`leader: running with ${first.pods} pods after ${leaderLoadS.toFixed(1)} s`);
    const probe = await leader.ask({ cmd: "setQuota", tenant: "failover-probe", pods: 42 }, 120_000);
    if (probe.ok !== true) throw new Error(`the leader's write failed: ${JSON.stringify(probe)}`);

    const standbyAt = performance.now();
    const standby = start();
    let standbyFollowS: number | null = null;
    let standbyPods: unknown = null;
    let standbyReadOk = false;
    if (dbKind === "postgres") {
      // "started" comes once the standby's follower has loaded the snapshot.
      const s = await standby.next((l) => l.event === "started", "the standby to start", 0, 300_000);
      if (s.role !== "standby") throw new Error(`the second server did not stand by: ${JSON.stringify(s)}`);
      standbyFollowS = (performance.now() - standbyAt) / 1000;
      standbyPods = s.pods;
      for (let i = 0; i < 100 && !standbyReadOk; i++) {
        standbyReadOk = (await standby.ask({ cmd: "getQuota", tenant: "failover-probe" }, 120_000)).pods === 42;
        if (!standbyReadOk) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      log(
        `standby: following ${String(standbyPods)} pods after ${standbyFollowS.toFixed(1)} s; read ok: ${standbyReadOk}`,
      );
    } else {
      await standby.logged(/standby: .*engine\.lock is held by/, "the standby to wait", 120_000);
    }
    log("standby: waiting for the lease; killing the leader (SIGKILL)");

    let leaseAt = Number.NaN;
    const leaseTaken = standby.logged(/engine lease: taken by /, "the lease", 300_000).then(() => {
      leaseAt = performance.now();
    });
    const killedAt = performance.now();
    leader.signal("SIGKILL");
    const from = standby.lines.length;
    await standby.next((l) => l.event === "leader", "the standby to lead", from, 300_000);
    const engineAt = performance.now();
    const wrote = await standby.ask({ cmd: "setQuota", tenant: "failover-after", pods: 1 }, 120_000);
    const committedAt = performance.now();
    await leaseTaken;
    if (wrote.ok !== true) throw new Error(`the standby's first write failed: ${JSON.stringify(wrote)}`);
    const kept = await standby.ask({ cmd: "getQuota", tenant: "failover-probe" });
    const promoted = standby.logs
      .map((l) => /engine: started from the followed state in (\d+) ms/.exec(l))
      .find(Boolean);
    const health = await standby.ask({ cmd: "health" });
    const takeoverS = (committedAt - killedAt) / 1000;
    log(
      `standby: lease after ${((leaseAt - killedAt) / 1000).toFixed(2)} s, first commit after ${takeoverS.toFixed(2)} s`,
    );
    emit({
      scenario: "failover",
      db: dbKind === "postgres" ? "postgresql server" : "pglite (disk)",
      pods: seeded.pods,
      nodes: seeded.nodes,
      seed_s: round(seeded.seedS, 1),
      leader_start_s: round(leaderLoadS, 2),
      lease_s: round((leaseAt - killedAt) / 1000, 3),
      engine_start_s: round((engineAt - killedAt) / 1000, 3),
      standby_follow_s: round(standbyFollowS, 2),
      standby_pods: standbyPods,
      standby_read_ok: standbyReadOk,
      warm: Boolean(promoted),
      promotion_ms: promoted ? Number(promoted[1]) : null,
      takeover_s: round(takeoverS, 3),
      target_s: TARGET_S,
      met: takeoverS <= TARGET_S,
      last_write_kept: kept.pods === 42,
      pods_after: health.pods,
      nothing_lost: kept.pods === 42 && health.pods === seeded.pods,
    });
  } finally {
    for (const child of children) {
      child.signal("SIGKILL");
      await child.exited;
    }
    seeded.db.remove();
  }
}

await main();
