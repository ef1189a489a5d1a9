/**
 * Commit notifications for followers of the change log (a standby, another process's watch).
 * On a PostgreSQL server each commit transaction runs `pg_notify('engine_change', revision)`:
 * delivered to listeners only if, and when, the transaction commits, in commit order. A
 * subscriber LISTENs on a dedicated connection of its own (never polling); if that connection
 * drops it reconnects and reports the current revision, so nothing committed meanwhile is
 * missed (a follower reads what it lacks with changesSince). On embedded PGlite there is only
 * this process: subscribers are called in-process after each commit.
 */
import { sql } from "drizzle-orm";
import type { Subscription } from "@/server/engine/store/store";
import type { Database } from "./client";

export const CHANGE_CHANNEL = "engine_change";

interface PoolLike {
  connect(): Promise<ClientLike>;
  totalCount: number;
}
interface ClientLike {
  query(text: string): Promise<unknown>;
  on(event: "notification", cb: (m: { channel: string; payload?: string }) => void): void;
  on(event: "error", cb: (e: Error) => void): void;
  removeAllListeners(): void;
  release(destroy?: boolean): void;
}

/** The pg Pool behind a server database; undefined on PGlite. */
function poolOf(db: Database): PoolLike | undefined {
  const client = (db as unknown as { $client?: unknown }).$client as Partial<PoolLike> | undefined;
  return client && typeof client.connect === "function" && typeof client.totalCount === "number"
    ? (client as PoolLike)
    : undefined;
}

export interface CommitFeed {
  /** Inside the commit's transaction. */
  announce(tx: Database, revision: number): Promise<void>;
  /** After the transaction committed. */
  committed(revision: number): void;
  subscribe(onRevision: (revision: number) => void, current: () => Promise<number>): Promise<Subscription>;
}

export function createCommitFeed(db: Database, log = (m: string, e?: unknown) => console.error(m, e)): CommitFeed {
  const pool = poolOf(db);
  const local = new Set<(revision: number) => void>();
  if (!pool)
    return {
      announce: async () => undefined,
      committed: (revision) => {
        for (const l of local) l(revision);
      },
      async subscribe(onRevision) {
        const l = (r: number) => onRevision(r);
        local.add(l);
        return { close: async () => void local.delete(l) };
      },
    };
  return {
    async announce(tx, revision) {
      await tx.execute(sql`select pg_notify(${CHANGE_CHANNEL}, ${String(revision)})`);
    },
    committed: () => undefined,
    subscribe: (onRevision, current) => listen(pool, onRevision, current, log),
  };
}

async function listen(
  pool: PoolLike,
  onRevision: (revision: number) => void,
  current: () => Promise<number>,
  log: (m: string, e?: unknown) => void,
): Promise<Subscription> {
  let closed = false;
  let client: ClientLike | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const open = async (): Promise<void> => {
    const c = await pool.connect();
    c.on("notification", (m) => {
      if (m.channel === CHANGE_CHANNEL && m.payload) onRevision(Number(m.payload));
    });
    c.on("error", (e) => {
      log("engine store: the LISTEN connection failed; reconnecting", e);
      c.removeAllListeners();
      c.release(true);
      if (client === c) client = undefined;
      if (!closed) retry = setTimeout(reconnect, 1_000);
    });
    await c.query(`listen ${CHANGE_CHANNEL}`);
    client = c;
  };
  const reconnect = () => {
    open()
      // Commits made while no one listened: one report of the current revision covers them all.
      .then(async () => onRevision(await current()))
      .catch((e) => {
        log("engine store: could not LISTEN again; retrying", e);
        if (!closed) retry = setTimeout(reconnect, 1_000);
      });
  };
  await open();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      if (!c) return;
      c.removeAllListeners();
      await c.query(`unlisten ${CHANGE_CHANNEL}`).catch(() => undefined);
      c.release();
    },
  };
}
