/**
 * The engine's lease: at most one process per database runs the engine, and a process that
 * has lost the lease cannot commit.
 *
 * On a PostgreSQL server (`createServerLease`):
 * - The lease is a session-level advisory lock held on a connection of its own (never the
 *   pool's): the server frees it when that session ends. A standby blocks in
 *   `pg_advisory_lock` on its connection: it waits, it does not poll.
 * - A leader killed with SIGKILL: its kernel closes the socket, the server ends the session at
 *   once and the standby's lock call returns. A leader whose host vanishes without closing
 *   (power, partition) is found by the server's TCP keepalive on that session (4 s idle, then
 *   3 probes 1 s apart: about 7 s, leaving the standby 8 s of the 15 to load and start). The
 *   session sets `idle_session_timeout`, `statement_timeout` and `lock_timeout` to 0, so no
 *   server-wide setting ends it or aborts the wait, and `client_connection_check_interval`, so a
 *   standby that dies while waiting leaves.
 * - Each taker bumps `engine_lease.epoch` (db/schema/lease.ts) right after it gets the lock, and
 *   every engine commit runs `fence` first in its own transaction (`fencedDatabase`): it locks
 *   the row and refuses (LeaseLostError) unless the row still names this holder and epoch. The
 *   taker's bump waits for that row lock, so an old leader's commit either lands before the new
 *   leader loads the store or is refused: never after. First, not last: a stale leader's
 *   commit must fail on the lease (and stop its engine), not on whatever its writes would meet
 *   (a resourceVersion conflict, say), after which it would go on trying. The fence also bounds
 *   how long a commit may sit idle in its transaction (`idle_in_transaction_session_timeout`,
 *   10 s): a leader paused in the middle of a commit holds the row, and the taker would wait
 *   for it as long as the pause lasts; so the server ends that transaction (never acknowledged,
 *   nothing of it written) and the taker goes on.
 * - What a pause (SIGSTOP) does: by itself, nothing. A stopped process's kernel keeps its socket
 *   open and answers keepalives, so the server keeps its session and lock, and the standby keeps
 *   waiting: no second writer, and no takeover either. The lease is lost when the session ends
 *   under the leader (`pg_terminate_backend` by an operator or a watchdog, a partition found by
 *   keepalive, a server restart): the standby takes it and bumps the epoch; the old leader,
 *   resumed, is refused at its next commit, and its closed connection tells it to stop.
 * - Needs a session: not through a transaction-mode pooler (PgBouncer `pool_mode=transaction`).
 *
 * On PGlite (`createLocalLease`): the data folder's lock file (db/data-dir-lock.ts), taken
 * before the database is opened, already makes this process the only one, so the lease is held
 * from the start; it still takes an epoch, so /api/health reads the same on both.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Client } from "pg";
import type { Database } from "./client";

export type LeaseRole = "standby" | "leader" | "lost";

export interface LeaseStatus {
  role: LeaseRole;
  /** host:pid:random of this process. */
  holder: string;
  /** The epoch this process took (leader, or lost after leading). */
  epoch?: number;
  /** When this process took the lease (epoch ms). */
  since?: number;
  /** Why the lease was lost. */
  reason?: string;
}

/**
 * Contract: `tryAcquire` takes the lease if it is free; `acquire` waits until it is (retrying a
 * lost connection with back-off) and rejects only after `release`. Once held, the lease is lost
 * when its session ends or a commit finds another epoch: `onLost` listeners hear it once, and
 * `fence` refuses every commit from then on.
 */
export interface EngineLease {
  readonly holder: string;
  tryAcquire(): Promise<boolean>;
  acquire(): Promise<void>;
  /** Runs first inside each engine commit's transaction (`fencedDatabase`); throws LeaseLostError. */
  fence(tx: Database): Promise<void>;
  status(): LeaseStatus;
  onLost(listener: (reason: string) => void): void;
  /** Gives the lease up (or stops waiting for it): the connection closes, the server frees the lock. */
  release(): Promise<void>;
}

/** A commit refused because this process no longer holds the engine's lease. */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LeaseLostError";
  }
}

/** Advisory locks are per database, so one fixed key serves every database on a server. */
const lockKey = sql`hashtextextended('tenant-cloud engine lease', 0)`;

/** Session settings of the lease connection (see the header); older servers lack some: skipped. */
const sessionSettings: Record<string, string> = {
  idle_session_timeout: "0",
  idle_in_transaction_session_timeout: "0",
  statement_timeout: "0",
  lock_timeout: "0",
  tcp_keepalives_idle: "4",
  tcp_keepalives_interval: "1",
  tcp_keepalives_count: "3",
  tcp_user_timeout: "7000",
  client_connection_check_interval: "2000",
};

const retryDelaysMs = [500, 1_000, 2_000, 5_000];

export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

function takeEpoch(holder: string): SQL {
  return sql`insert into engine_lease (id, epoch, holder, acquired_at) values (1, 1, ${holder}, now())
    on conflict (id) do update set epoch = engine_lease.epoch + 1, holder = excluded.holder, acquired_at = excluded.acquired_at
    returning epoch`;
}

interface Holding {
  role: LeaseRole;
  epoch?: number;
  since?: number;
  reason?: string;
}

/** The state and fence both kinds share; `onLose` closes what the kind holds. */
function leaseState(holder: string, onLose: () => void) {
  const state: Holding = { role: "standby" };
  const listeners: ((reason: string) => void)[] = [];
  const lose = (reason: string) => {
    if (state.role !== "leader") return;
    state.role = "lost";
    state.reason = reason;
    onLose();
    for (const listener of listeners.splice(0)) listener(reason);
  };
  const took = (epoch: number) => {
    state.role = "leader";
    state.epoch = epoch;
    state.since = Date.now();
  };
  const refuseUnlessLeader = () => {
    if (state.role === "leader") return;
    const why = state.reason ?? "this process is a standby: the engine runs in another process";
    throw new LeaseLostError(`engine lease not held (${why}); nothing of this commit was written`);
  };
  return {
    state,
    lose,
    took,
    refuseUnlessLeader,
    status: (): LeaseStatus => ({ holder, ...state }),
    onLost: (listener: (reason: string) => void) => void listeners.push(listener),
  };
}

export function createServerLease(options: {
  url: string;
  holder?: string;
  log?: (message: string) => void;
  /** How long a commit may sit idle in its transaction (default 10 s; see the header). */
  commitIdleTimeoutMs?: number;
}): EngineLease {
  const holder = options.holder ?? newHolderId();
  const commitIdleTimeout = String(options.commitIdleTimeoutMs ?? 10_000);
  const log = options.log ?? ((m) => console.error(m));
  const dialect = new PgDialect();
  let connection: Client | undefined;
  let released = false;
  const closeConnection = () => {
    const c = connection;
    connection = undefined;
    void c?.end().catch(() => undefined);
  };
  const lease = leaseState(holder, closeConnection);

  const query = async (c: Client, statement: SQL) => {
    const q = dialect.sqlToQuery(statement);
    return (await c.query(q.sql, q.params)).rows as Record<string, unknown>[];
  };

  const connect = async (): Promise<Client> => {
    if (connection) return connection;
    const { default: pg } = await import("pg");
    const c = new pg.Client({
      connectionString: options.url,
      application_name: "tenant-cloud engine lease",
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
    });
    // Unhandled, an error on an idle client would end the process; here it ends the lease.
    const gone = (why: string) => {
      if (connection !== c) return;
      connection = undefined;
      lease.lose(`the lease connection closed (${why})`);
    };
    c.on("error", (error) => gone(error.message));
    c.on("end", () => gone("ended"));
    try {
      await c.connect();
      for (const [name, value] of Object.entries(sessionSettings)) {
        await c.query("select set_config($1, $2, false)", [name, value]).catch((error: { code?: string }) => {
          if (error.code !== "42704") throw error; // unknown on this server's version: go without it
        });
      }
    } catch (error) {
      void c.end().catch(() => undefined);
      throw error;
    }
    connection = c;
    return c;
  };

  const take = async (c: Client) => {
    const [row] = await query(c, takeEpoch(holder));
    lease.took(Number(row?.epoch));
    log(`engine lease: taken by ${holder}, epoch ${lease.state.epoch}`);
  };

  return {
    holder,
    async tryAcquire() {
      const c = await connect();
      const [row] = await query(c, sql`select pg_try_advisory_lock(${lockKey}) as held`);
      if (row?.held !== true) return false;
      // Held without an epoch is held by no one who may write: let it go rather than keep it.
      await take(c).catch((error: unknown) => {
        closeConnection();
        throw error;
      });
      return true;
    },
    async acquire() {
      for (let attempt = 0; ; attempt++) {
        if (released) throw new LeaseLostError("engine lease released while waiting for it");
        try {
          const c = await connect();
          await query(c, sql`select pg_advisory_lock(${lockKey})`);
          await take(c);
          return;
        } catch (error) {
          if (released) throw new LeaseLostError("engine lease released while waiting for it");
          closeConnection();
          const delay = retryDelaysMs[Math.min(attempt, retryDelaysMs.length - 1)] ?? 5_000;
          log(`engine lease: waiting failed (${(error as Error).message}); trying again in ${delay} ms`);
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    },
    async fence(tx) {
      lease.refuseUnlessLeader();
      const result = (await tx.execute(
        sql`select epoch, holder, set_config('idle_in_transaction_session_timeout', ${commitIdleTimeout}, true)
          from engine_lease where id = 1 for update`,
      )) as { rows: { epoch: string | number; holder: string }[] };
      const row = result.rows[0];
      if (row && Number(row.epoch) === lease.state.epoch && row.holder === holder) return;
      const why = row ? `epoch ${row.epoch} now belongs to ${row.holder}` : "its row is gone";
      const reason = `engine lease lost: ${why}; this process held epoch ${lease.state.epoch}`;
      lease.lose(reason);
      throw new LeaseLostError(`${reason}; nothing of this commit was written`);
    },
    status: lease.status,
    onLost: lease.onLost,
    async release() {
      released = true;
      if (lease.state.role === "leader") {
        lease.state.role = "lost";
        lease.state.reason = "released";
      }
      const c = connection;
      connection = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}

/** PGlite: this process is the only one on its data folder (db/data-dir-lock.ts). */
export function createLocalLease(
  db: Database,
  holder = newHolderId(),
  log: (message: string) => void = (m) => console.error(m),
): EngineLease {
  const lease = leaseState(holder, () => undefined);
  const acquire = async () => {
    if (lease.state.role === "leader") return true;
    const result = (await db.execute(takeEpoch(holder))) as { rows: { epoch: string | number }[] };
    lease.took(Number(result.rows[0]?.epoch));
    log(`engine lease: taken by ${holder}, epoch ${lease.state.epoch} (this process has the data folder)`);
    return true;
  };
  return {
    holder,
    tryAcquire: acquire,
    acquire: async () => void (await acquire()),
    fence: async () => lease.refuseUnlessLeader(),
    status: lease.status,
    onLost: lease.onLost,
    async release() {
      if (lease.state.role !== "leader") return;
      lease.state.role = "lost";
      lease.state.reason = "released";
    },
  };
}

/**
 * `db` for the engine's store: every transaction runs the lease's fence before anything else,
 * so each commit (db/engine-store.ts) is refused before it writes a row once the lease is gone.
 * Everything else passes through unchanged.
 */
export function fencedDatabase(db: Database, lease: Pick<EngineLease, "fence">): Database {
  type Transaction = Database["transaction"];
  const transaction: Transaction = (fn, config) =>
    db.transaction(async (tx) => {
      await lease.fence(tx as unknown as Database);
      return fn(tx);
    }, config);
  return new Proxy(db, {
    get(target, property) {
      if (property === "transaction") return transaction;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Runs `fn` (the migrations) while holding a second advisory lock on its own connection, so two
 * servers started at once on one database migrate it one after the other: the second finds
 * everything applied instead of failing on a table the first has just created.
 */
export async function whileMigrating<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, application_name: "tenant-cloud migrations" });
  client.on("error", () => undefined); // a lost connection frees the lock; `fn` reports its own failures
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(hashtextextended('tenant-cloud migrations', 0))");
    return await fn();
  } finally {
    await client.end().catch(() => undefined);
  }
}
