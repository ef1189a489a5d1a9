/**
 * Bulk inserts write exactly the given values (integers, big integers, floats, text with any
 * characters, nulls), skip rows whose key exists, and leave the caller's transaction usable.
 * Runs on PGlite (binary COPY) and, with TEST_DATABASE_URL, on a server (`unnest`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openTestDatabase } from "@/server/testing/database";
import { bulkInsert, type BulkTable } from "./bulk-insert";
import type { Database, DatabaseHandle } from "./client";

let handle: DatabaseHandle;
const table: BulkTable = {
  name: "bulk_probe",
  columns: [
    { name: "id", type: "int4" },
    { name: "at", type: "int8" },
    { name: "v", type: "float8" },
    { name: "label", type: "text" },
  ],
};

beforeAll(async () => {
  handle = await openTestDatabase();
  await handle.db.execute(sql`create table bulk_probe (id int primary key, at bigint not null, v float8, label text)`);
});
afterAll(async () => handle.close());

const all = async (db: Database) =>
  (
    (await db.execute(sql`select id, at::text as at, v, label from bulk_probe order by id`)) as unknown as {
      rows: { id: number; at: string; v: number | null; label: string | null }[];
    }
  ).rows;

describe("bulkInsert", () => {
  it("writes every value exactly as given", async () => {
    const ids = [1, 2, 3];
    const ats = [Date.UTC(2026, 0, 1), 2 ** 53 - 1, 0];
    const vs = [0.1 + 0.2, -1e-300, null];
    const labels = ["plain", 'quotes " \\ { } , and 中文 \n', null];
    expect(await bulkInsert(handle.db, table, [ids, ats, vs, labels])).toBe(3);
    expect(await all(handle.db)).toEqual([
      { id: 1, at: String(ats[0]), v: 0.1 + 0.2, label: "plain" },
      { id: 2, at: String(2 ** 53 - 1), v: -1e-300, label: 'quotes " \\ { } , and 中文 \n' },
      { id: 3, at: "0", v: null, label: null },
    ]);
  });

  it("skips rows whose key exists and keeps the rest, inside the caller's transaction", async () => {
    const inserted = await handle.db.transaction(async (tx) => {
      const n = await bulkInsert(tx as unknown as Database, table, [
        [3, 4, 5],
        [7, 8, 9],
        [1, 2, 3],
        ["replay", "new", "new"],
      ]);
      // The transaction is still usable after the fallback.
      await tx.execute(sql`insert into bulk_probe (id, at) values (6, 0)`);
      return n;
    });
    expect(inserted).toBe(2);
    const rows = await all(handle.db);
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows.find((r) => r.id === 3)?.label).toBeNull(); // the first write stands
  });

  it("rolls back with the caller's transaction", async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await bulkInsert(tx as unknown as Database, table, [[10], [0], [1], ["gone"]]);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect((await all(handle.db)).map((r) => r.id)).not.toContain(10);
  });

  it("refuses columns of unequal length", async () => {
    await expect(bulkInsert(handle.db, table, [[1, 2], [0], [1], ["x"]])).rejects.toThrow(/equal length/);
  });
});
