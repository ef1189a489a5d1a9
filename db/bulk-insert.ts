/**
 * Bulk inserts that skip rows whose key already exists (ON CONFLICT DO NOTHING).
 *
 * Why two paths: embedded PGlite runs PostgreSQL in WebAssembly, where parsing text is slow
 * (about 1.5 µs per float in an array parameter), so a 30,000-row `unnest` insert spends most
 * of its time turning numbers into text and back. There we send PostgreSQL's binary COPY
 * format instead: numbers go as bytes, nothing is parsed, about four times faster. COPY cannot
 * skip duplicates, so it runs under a savepoint and, should a key already exist, the same rows
 * go again through `unnest ... on conflict do nothing`. A real server parses natively and
 * gets the `unnest` statement directly.
 */
import { entityKind, sql, type SQL } from "drizzle-orm";
import type { Database } from "./client";

export type BulkType = "int4" | "int8" | "float8" | "text";

export interface BulkTable {
  name: string;
  columns: readonly { name: string; type: BulkType }[];
}

/** Column-major rows: one array per column of the table, all of one length. */
export type BulkColumns = readonly ArrayLike<number | string | null>[];

interface PgliteClient {
  query(text: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ affectedRows?: number }>;
}

/** Inserts the rows; returns how many went in (fewer than given when some keys existed). */
export async function bulkInsert(db: Database, table: BulkTable, columns: BulkColumns): Promise<number> {
  const rowCount = columns[0]?.length ?? 0;
  if (columns.length !== table.columns.length || columns.some((c) => c.length !== rowCount)) {
    throw new Error(`bulkInsert into ${table.name}: ${table.columns.length} columns of equal length expected`);
  }
  if (rowCount === 0) return 0;
  if (pgliteClientOf(db)) {
    try {
      // A nested transaction is a savepoint: a failed COPY leaves the caller's transaction usable.
      await db.transaction((tx) => copyRows(tx as unknown as Database, table, columns));
      return rowCount;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return insertWithUnnest(db, table, columns);
}

/** Whether copyRows can be used: on PGlite (a real server parses SQL natively and gets statements). */
export function canCopyRows(db: Database): boolean {
  return pgliteClientOf(db) !== undefined;
}

/**
 * Binary COPY of the rows into the table inside the caller's transaction, on PGlite only.
 * A duplicate key fails the COPY and with it the caller's transaction: for rows whose keys
 * cannot exist yet, such as a new revision's change-log rows.
 */
export async function copyRows(db: Database, table: BulkTable, columns: BulkColumns): Promise<void> {
  const client = pgliteClientOf(db);
  if (!client) throw new Error(`copy into ${table.name}: binary COPY is for PGlite only (see canCopyRows)`);
  const rowCount = columns[0]?.length ?? 0;
  if (rowCount === 0) return;
  await client.query(
    `copy ${table.name} (${table.columns.map((c) => c.name).join(", ")}) from '/dev/blob' with (format binary)`,
    [],
    { blob: new Blob([encodeBinaryCopy(table, columns, rowCount)]) },
  );
}

async function insertWithUnnest(db: Database, table: BulkTable, columns: BulkColumns): Promise<number> {
  const arrays: SQL[] = table.columns.map(
    (c, i) => sql`${sql.param(Array.from(columns[i] as ArrayLike<unknown>))}::${sql.raw(c.type)}[]`,
  );
  const result = await db.execute(
    sql`insert into ${sql.raw(table.name)} (${sql.raw(table.columns.map((c) => c.name).join(", "))}) select * from unnest(${sql.join(arrays, sql`, `)}) on conflict do nothing`,
  );
  const r = result as unknown as { rowCount?: number | null; affectedRows?: number };
  return r.rowCount ?? r.affectedRows ?? 0;
}

/** The PGlite client (or open PGlite transaction) behind a Drizzle handle; undefined on a real server. */
function pgliteClientOf(db: Database): PgliteClient | undefined {
  const session = (db as unknown as { session?: { client?: PgliteClient; constructor: { [entityKind]?: string } } })
    .session;
  return session?.constructor[entityKind] === "PgliteSession" ? session.client : undefined;
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === "23505") return true;
  }
  return false;
}

const HEADER = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const fixedWidth: Record<BulkType, number> = { int4: 4, int8: 8, float8: 8, text: -1 };

/** PostgreSQL's binary COPY stream: header, one tuple per row (field count, then length + big-endian bytes per field), trailer. */
export function encodeBinaryCopy(table: BulkTable, columns: BulkColumns, rowCount: number): Uint8Array<ArrayBuffer> {
  const texts = table.columns.map((c, i) =>
    c.type === "text"
      ? Array.from(columns[i] as ArrayLike<string | null>, (v) => (v === null ? null : Buffer.from(v, "utf8")))
      : null,
  );
  let size = HEADER.length + 8 + 2;
  for (let i = 0; i < table.columns.length; i++) {
    const width = fixedWidth[table.columns[i]!.type];
    const text = texts[i];
    if (text) for (const b of text) size += 4 + (b?.length ?? 0);
    else size += rowCount * (4 + width);
  }
  size += rowCount * 2;
  const buf = Buffer.allocUnsafe(size);
  let o = HEADER.copy(buf, 0);
  o = buf.writeInt32BE(0, o); // flags
  o = buf.writeInt32BE(0, o); // header extension length
  for (let r = 0; r < rowCount; r++) {
    o = buf.writeInt16BE(table.columns.length, o);
    for (let i = 0; i < table.columns.length; i++) {
      const type = table.columns[i]!.type;
      const value = (columns[i] as ArrayLike<number | string | null>)[r];
      if (value === null || value === undefined) {
        o = buf.writeInt32BE(-1, o);
        continue;
      }
      if (type === "text") {
        const bytes = texts[i]![r] as Buffer;
        o = buf.writeInt32BE(bytes.length, o);
        o += bytes.copy(buf, o);
      } else if (type === "int4") {
        o = buf.writeInt32BE(4, o);
        o = buf.writeInt32BE(value as number, o);
      } else if (type === "int8") {
        o = buf.writeInt32BE(8, o);
        o = buf.writeBigInt64BE(BigInt(value as number), o);
      } else {
        o = buf.writeInt32BE(8, o);
        o = buf.writeDoubleBE(value as number, o);
      }
    }
  }
  o = buf.writeInt16BE(-1, o);
  return new Uint8Array(buf.buffer as ArrayBuffer, buf.byteOffset, o);
}
