/**
 * The engine's lease in one process: on a PostgreSQL server (TEST_DATABASE_URL), two leases
 * on one database as two processes would hold them; on PGlite, the local lease. The
 * two-process tests (SIGKILL, SIGSTOP) are in server/leadership/one-writer.test.ts.
 */
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServerTestDatabase, serverUrl } from "@/server/testing/server-database";
import { openTestDatabase } from "@/server/testing/database";
import { openDatabase, type Database, type DatabaseHandle } from "./client";
import {
  createLocalLease,
  createServerLease,
  type EngineLease,
  fencedDatabase,
  LeaseLostError,
  whileMigrating,
} from "./lease";
import { migrateDatabase } from "./migrate";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A commit's transaction as the engine's store runs it, on the fenced database. */
const commitWith = (db: Database, lease: EngineLease, key: string) =>
  fencedDatabase(db, lease).transaction(async (tx) => {
    await tx.execute(sql`insert into app_setting (key, value) values (${key}, 'x')`);
  });

const settingExists = async (db: Database, key: string) =>
  ((await db.execute(sql`select 1 from app_setting where key = ${key}`)) as unknown as { rows: unknown[] }).rows
    .length === 1;

describe.skipIf(!serverUrl)("engine lease on a PostgreSQL server", () => {
  let handle: DatabaseHandle;
  let url: string;
  const lease = (commitIdleTimeoutMs?: number) => {
    const l = createServerLease({ url, log: () => undefined, commitIdleTimeoutMs });
    cleanups.push(() => l.release());
    return l;
  };
  /** The server's process id of the session holding the lease's advisory lock. */
  const lockHolderPid = async () => {
    const result = (await handle.db.execute(
      sql`select pid from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`,
    )) as unknown as { rows: { pid: number }[] };
    return result.rows.map((r) => r.pid);
  };

  beforeEach(async () => {
    const database = await createServerTestDatabase();
    url = database.url;
    handle = await openDatabase({ url });
    await migrateDatabase(handle);
    cleanups.push(async () => {
      await handle.close();
      await database.drop();
    });
  });

  it("is held by one process at a time; the next taker gets the next epoch", async () => {
    const a = lease();
    const b = lease();
    expect(await a.tryAcquire()).toBe(true);
    expect(a.status()).toMatchObject({ role: "leader", epoch: 1 });
    expect(await b.tryAcquire()).toBe(false);
    expect(b.status().role).toBe("standby");
    let bLeads = false;
    const waiting = b.acquire().then(() => {
      bLeads = true;
    });
    await commitWith(handle.db, a, "a-1");
    expect(bLeads).toBe(false);
    expect(await lockHolderPid()).toHaveLength(1);
    await a.release();
    await waiting;
    expect(b.status()).toMatchObject({ role: "leader", epoch: 2 });
    await expect(commitWith(handle.db, a, "a-2")).rejects.toThrow(LeaseLostError);
    expect(await settingExists(handle.db, "a-1")).toBe(true);
    expect(await settingExists(handle.db, "a-2")).toBe(false);
  });

  it("refuses a commit whose epoch another holder has taken, and nothing of it lands", async () => {
    const a = lease();
    await a.tryAcquire();
    const lost: string[] = [];
    a.onLost((reason) => lost.push(reason));
    // What a new leader does once the old one's session has ended unseen (a partition).
    await handle.db.execute(sql`update engine_lease set epoch = epoch + 1, holder = 'other:1:abc' where id = 1`);
    const refused = commitWith(handle.db, a, "stale");
    await expect(refused).rejects.toThrow(/engine lease lost: epoch 2 now belongs to other:1:abc/);
    expect(await settingExists(handle.db, "stale")).toBe(false);
    expect(a.status()).toMatchObject({ role: "lost", epoch: 1 });
    expect(lost).toHaveLength(1);
    // From now on refused without asking the database.
    await expect(commitWith(handle.db, a, "later")).rejects.toThrow(/engine lease not held/);
  });

  it("is lost when its session ends; the waiting standby takes it", async () => {
    const a = lease();
    const b = lease();
    await a.tryAcquire();
    const lost: string[] = [];
    a.onLost((reason) => lost.push(reason));
    const waiting = b.acquire();
    const [pid] = await lockHolderPid();
    await handle.db.execute(sql`select pg_terminate_backend(${pid})`);
    await waiting;
    expect(b.status()).toMatchObject({ role: "leader", epoch: 2 });
    await until(() => lost.length === 1, "the old holder to hear its connection close");
    expect(lost[0]).toMatch(/lease connection closed/);
    await expect(commitWith(handle.db, a, "after")).rejects.toThrow(LeaseLostError);
    await commitWith(handle.db, b, "b-1");
    expect(await settingExists(handle.db, "b-1")).toBe(true);
  });

  it("lets two servers starting at once migrate one database one after the other", async () => {
    const database = await createServerTestDatabase();
    cleanups.push(() => database.drop());
    const handles = await Promise.all([openDatabase({ url: database.url }), openDatabase({ url: database.url })]);
    cleanups.push(async () => void (await Promise.all(handles.map((h) => h.close()))));
    await Promise.all(handles.map((h) => whileMigrating(database.url, () => migrateDatabase(h))));
    const result = (await handles[0]?.db.execute(sql`select count(*)::int as n from engine_lease`)) as unknown as {
      rows: { n: number }[];
    };
    expect(result.rows[0]?.n).toBe(0);
  });

  it("orders a commit in flight before the takeover: the new epoch waits for it", async () => {
    const a = lease();
    const b = lease();
    await a.tryAcquire();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let fenced: () => void = () => undefined;
    const passedFence = new Promise<void>((resolve) => {
      fenced = resolve;
    });
    const inFlight = fencedDatabase(handle.db, a).transaction(async (tx) => {
      await tx.execute(sql`insert into app_setting (key, value) values ('in-flight', 'x')`);
      fenced();
      await held;
    });
    await passedFence;
    let bLeads = false;
    const waiting = b.acquire().then(() => {
      bLeads = true;
    });
    const [pid] = await lockHolderPid();
    await handle.db.execute(sql`select pg_terminate_backend(${pid})`);
    // b has the advisory lock and waits for the row a's commit holds.
    await until(async () => {
      const result = (await handle.db.execute(
        sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into engine_lease%'`,
      )) as unknown as { rows: unknown[] };
      return result.rows.length === 1;
    }, "the taker to wait for the row lock");
    expect(bLeads).toBe(false);
    release();
    await inFlight;
    await waiting;
    expect(b.status().epoch).toBe(2);
    expect(await settingExists(handle.db, "in-flight")).toBe(true);
  });

  it("ends a commit left idle mid-transaction (a leader paused mid-commit), so the taker goes on", async () => {
    // The paused leader's own pool. Its connection is ended while checked out: listened to here, as
    // node-postgres leaves a checked-out client's error unhandled.
    const paused = await openDatabase({ url });
    cleanups.push(() => paused.close());
    const pool = (paused.db as unknown as { $client: import("pg").Pool }).$client;
    pool.on("connect", (client) => client.on("error", () => undefined));
    const a = lease(300);
    const b = lease();
    await a.tryAcquire();
    let resume: () => void = () => undefined;
    const resumed = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const commit = fencedDatabase(paused.db, a).transaction(async (tx) => {
      await tx.execute(sql`insert into app_setting (key, value) values ('paused', 'x')`);
      await resumed;
      await tx.execute(sql`insert into app_setting (key, value) values ('paused-2', 'x')`);
    });
    const refused = expect(commit).rejects.toThrow();
    const waiting = b.acquire();
    const [pid] = await lockHolderPid();
    await handle.db.execute(sql`select pg_terminate_backend(${pid})`);
    await waiting; // while the paused commit's transaction was still open in a
    expect(b.status().epoch).toBe(2);
    resume();
    await refused;
    expect(await settingExists(handle.db, "paused")).toBe(false);
  });

  it("keeps its session through a server-wide idle_session_timeout that ends other idle sessions", async () => {
    const name = new URL(url).pathname.slice(1);
    await handle.db.execute(sql.raw(`alter database ${name} set idle_session_timeout = '300ms'`));
    const a = lease();
    await a.tryAcquire();
    const lost: string[] = [];
    a.onLost((reason) => lost.push(reason));
    const { default: pg } = await import("pg");
    const plain = new pg.Client({ connectionString: url });
    let ended = false;
    plain.on("error", () => undefined);
    plain.on("end", () => {
      ended = true;
    });
    await plain.connect();
    await until(() => ended, "the server to end an idle plain session");
    expect(lost).toEqual([]);
    expect(a.status().role).toBe("leader");
    expect(await lockHolderPid()).toHaveLength(1);
  });
});

describe("engine lease on an embedded database", () => {
  it("is held from the start, takes the next epoch, and refuses once released", async () => {
    const handle = await openTestDatabase();
    cleanups.push(() => handle.close());
    const first = createLocalLease(handle.db, "here:1:aaa", () => undefined);
    expect(await first.tryAcquire()).toBe(true);
    expect(first.status()).toMatchObject({ role: "leader", epoch: 1 });
    await commitWith(handle.db, first, "ok");
    await first.release();
    await expect(commitWith(handle.db, first, "late")).rejects.toThrow(LeaseLostError);
    const second = createLocalLease(handle.db, "here:2:bbb", () => undefined);
    await second.acquire();
    expect(second.status()).toMatchObject({ role: "leader", epoch: 2, holder: "here:2:bbb" });
    expect(await settingExists(handle.db, "ok")).toBe(true);
    expect(await settingExists(handle.db, "late")).toBe(false);
  });
});
