/**
 * Two real server processes on one database (server/testing/engine-process.ts: the services of
 * server/runtime.ts without Next). What is shown, and what really happens:
 * - One engine: the second server stands by; exactly one session holds the lease. Its engine
 *   follows the change log (LISTEN/NOTIFY across the processes): reads answer with the leader's
 *   data, including writes made after it started; commands answer "standby" (503 in the API).
 * - SIGKILL of the leader: its kernel closes its sockets, the server ends its session and frees
 *   the lock, and the standby, blocked on that lock, takes over from the state it followed (no
 *   second load) and commits within 15 s, with every acknowledged write of the old leader there.
 * - A paused leader (SIGSTOP) keeps its session (its kernel still holds the socket), so the
 *   standby does NOT take over on a pause alone. The lease is lost when the session ends under
 *   the paused leader: here its path to the server is cut (a partition: the server ends the
 *   session, the leader sees nothing), the standby takes over and commits; the old leader,
 *   resumed (SIGCONT), still believes it leads, and its next commit is refused by the epoch
 *   check inside the commit's transaction; then it stands by.
 * - PGlite: a second process on the same data folder waits on the folder's lock (PGlite is one
 *   process's: it cannot follow), and takes over, loading cold, when the first is killed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type EngineProcess, type Line, startEngineProcess } from "../testing/engine-processes";
import { startPgProxy } from "../testing/pg-proxy";
import { createServerTestDatabase, serverUrl } from "../testing/server-database";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function server(env: Record<string, string>): EngineProcess {
  const p = startEngineProcess(env);
  cleanups.push(async () => {
    p.signal("SIGKILL");
    await p.exited;
  });
  return p;
}

const started = (p: EngineProcess) => p.next((l) => l.event === "started", "the services to start", 0, 60_000);

/** Asks until the answer matches (a standby hears of a commit a moment after it is acknowledged). */
async function eventually(p: EngineProcess, command: { cmd: string; tenant?: string }, match: (l: Line) => boolean) {
  let last: Line | undefined;
  for (let i = 0; i < 100; i++) {
    last = await p.ask(command);
    if (match(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no matching answer to ${JSON.stringify(command)}; last: ${JSON.stringify(last)}`);
}

describe.skipIf(!serverUrl)("two servers on one PostgreSQL database", () => {
  it("run one engine; after SIGKILL of the leader the standby commits within 15 s, losing nothing", async () => {
    const database = await createServerTestDatabase();
    cleanups.push(() => database.drop());
    const a = server({ DATABASE_URL: database.url });
    expect(await started(a)).toMatchObject({ status: "running", role: "leader", epoch: 1 });
    for (let i = 0; i < 5; i++)
      expect(await a.ask({ cmd: "setQuota", tenant: `t${i}`, pods: i + 1 })).toMatchObject({ ok: true });

    const b = server({ DATABASE_URL: database.url });
    expect(await started(b)).toMatchObject({ status: "standby", role: "standby", follower: { state: "following" } });
    // Reads answer from the followed state, with the leader's data; commands are refused.
    for (let i = 0; i < 5; i++)
      expect(await b.ask({ cmd: "getQuota", tenant: `t${i}` })).toMatchObject({ ok: true, pods: i + 1 });
    const refused = await b.ask({ cmd: "setQuota", tenant: "t0", pods: 99 });
    expect(refused).toMatchObject({ ok: false });
    expect(String(refused.error)).toMatch(/^standby: the engine runs in another process/);
    // A write on the leader after the standby started reaches it through the change feed.
    expect(await a.ask({ cmd: "setQuota", tenant: "late", pods: 6 })).toMatchObject({ ok: true });
    await eventually(b, { cmd: "getQuota", tenant: "late" }, (l) => l.pods === 6);
    const health = await eventually(b, { cmd: "health" }, (l) => (l.follower as { lag?: number })?.lag === 0);
    expect(health).toMatchObject({ status: "standby", role: "standby", follower: { state: "following", lag: 0 } });
    expect((await a.ask({ cmd: "getQuota", tenant: "t0" })).pods).toBe(1); // the refused write changed nothing

    const killedAt = Date.now();
    a.signal("SIGKILL");
    const leads = await b.next((l) => l.event === "leader", "the standby to take over", 0, 30_000);
    expect(leads.epoch).toBe(2);
    expect(await b.ask({ cmd: "setQuota", tenant: "after", pods: 9 })).toMatchObject({ ok: true });
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    await b.logged(/engine: started from the followed state in \d+ ms/, "the takeover from the followed state");
    for (let i = 0; i < 5; i++)
      expect(await b.ask({ cmd: "getQuota", tenant: `t${i}` })).toMatchObject({ pods: i + 1 });
    expect(await b.ask({ cmd: "getQuota", tenant: "late" })).toMatchObject({ pods: 6 });
  }, 120_000);

  it("refuses the commit of a paused old leader that lost its lease, then stands it by", async () => {
    const database = await createServerTestDatabase();
    cleanups.push(() => database.drop());
    const proxy = await startPgProxy(database.url);
    cleanups.push(() => proxy.close());
    const a = server({ DATABASE_URL: proxy.url });
    expect(await started(a)).toMatchObject({ role: "leader", epoch: 1 });
    expect(await a.ask({ cmd: "setQuota", tenant: "shared", pods: 1 })).toMatchObject({ ok: true });
    const b = server({ DATABASE_URL: database.url });
    expect(await started(b)).toMatchObject({ role: "standby" });

    a.signal("SIGSTOP");
    expect(proxy.partition("tenant-cloud engine lease")).toBe(1);
    await b.next((l) => l.event === "leader", "the standby to take over", 0, 30_000);
    expect(await b.ask({ cmd: "setQuota", tenant: "shared", pods: 2 })).toMatchObject({ ok: true });

    a.signal("SIGCONT");
    const late = await a.ask({ cmd: "setQuota", tenant: "shared", pods: 99 });
    expect(late).toMatchObject({ ok: false });
    // Its lease connection is silent, not closed: only the epoch check can have told it.
    await a.logged(/engine lease lost: epoch 2 now belongs to /, "the fence's refusal");
    await a.logged(/engine: standby again after losing the lease/, "the old leader to stand by");
    expect(await b.ask({ cmd: "getQuota", tenant: "shared" })).toMatchObject({ ok: true, pods: 2 });
    expect(await a.ask({ cmd: "health" })).toMatchObject({ status: "standby", role: "standby" });
    // Standing by again, it follows the new leader: its reads answer with the new leader's write.
    await eventually(a, { cmd: "getQuota", tenant: "shared" }, (l) => l.pods === 2);
  }, 120_000);
});

// On PGlite only: the server run of the suite has the PostgreSQL cases above, and this one needs no server.
describe.skipIf(!!serverUrl)("two servers on one PGlite data folder", () => {
  it("the second waits on the folder's lock and takes over when the first is killed", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "one-writer-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const a = server({ DATA_DIR: dir });
    expect(await started(a)).toMatchObject({ status: "running", role: "leader" });
    expect(await a.ask({ cmd: "setQuota", tenant: "kept", pods: 7 })).toMatchObject({ ok: true });

    const b = server({ DATA_DIR: dir });
    await b.logged(/standby: .*engine\.lock is held by /, "the second server to wait");
    expect(b.lines).toEqual([]); // it opened nothing

    a.signal("SIGKILL");
    expect(await started(b)).toMatchObject({ status: "running", role: "leader" });
    expect(await b.ask({ cmd: "getQuota", tenant: "kept" })).toMatchObject({ ok: true, pods: 7 });
    expect(await b.ask({ cmd: "setQuota", tenant: "new", pods: 1 })).toMatchObject({ ok: true });
  }, 120_000);
});
