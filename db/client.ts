/**
 * The one way to open the database. PGlite (embedded Postgres in WASM) with its data in a
 * folder by default; a real PostgreSQL server through `pg` when a URL is given. Everything
 * above db/ sees the same `Database` type and never knows which one it has.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  /** Where the data lives, for the health endpoint and the README's promise. */
  location: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… — when set, a real server is used. */
  url?: string;
  /** Folder for PGlite's data, or "memory://" for a throw-away database. */
  dataDir?: string;
}

export async function openDatabase(options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  if (options.url) return openPostgres(options.url);
  return openPglite(options.dataDir ?? "./.data");
}

/**
 * A commit's rows go as one JSON array per statement (db/engine-store.ts), which PostgreSQL
 * holds while it reads them: at the default 4 MB a batch of 5,000 pods spills to temporary
 * files, which a profile of bench:engine seed showed PGlite writing, reading back and deleting
 * through Node's file system. 64 MB keeps them in memory (the gain measured was within this
 * machine's noise, a few per cent). PGlite runs one statement at a time.
 */
const pgliteSettings = ["-c", "work_mem=64MB"];

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const inMemory = dataDir.startsWith("memory://");
  const folder = inMemory ? dataDir : path.resolve(dataDir, "pglite");
  // PGlite does not create parent folders itself.
  if (!inMemory) mkdirSync(folder, { recursive: true });
  // Settings go after PGlite's own start parameters (single-user mode and the like), never instead of them.
  const defaults = (PGlite as unknown as { defaultStartParams?: unknown }).defaultStartParams;
  const client = await PGlite.create(
    folder,
    Array.isArray(defaults) ? { startParams: [...(defaults as string[]), ...pgliteSettings] } : {},
  );
  const db = drizzle({ client, schema }) as unknown as Database;
  return { db, kind: "pglite", location: folder, close: () => client.close() };
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const { Pool } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new Pool({ connectionString: url, max: 10 });
  // An idle connection the server closes (a restart, an administrator, a dropped database)
  // is reported here; unhandled, it would take the whole process down. The pool replaces it.
  pool.on("error", (error) =>
    console.error(
      `database: an idle connection was closed by the server (${error.message}); the pool opens a new one when needed`,
    ),
  );
  // A connection the server ends while it is in use (the lease fence's idle-in-transaction cap,
  // an administrator, a restart) fails its query; the error event it also emits must not crash us.
  pool.on("connect", (client) =>
    client.on("error", (error) => console.error(`database: a connection in use was closed (${error.message})`)),
  );
  const db = drizzle({ client: pool, schema }) as unknown as Database;
  return { db, kind: "postgres", location: redactUrl(url), close: () => pool.end() };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres";
  }
}
