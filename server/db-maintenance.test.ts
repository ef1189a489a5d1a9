import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { openTestDatabase } from "@/server/testing/database";
import { createDatabaseMaintenance, MAINTENANCE_EVERY_MS } from "./db-maintenance";
import { createVirtualClock } from "./engine";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle.close());

const tableBytes = async () => {
  const r = (await handle.db.execute(sql`select pg_relation_size('maintenance_probe')::int as bytes`)) as unknown as {
    rows: { bytes: number }[];
  };
  return r.rows[0]?.bytes ?? 0;
};
const fill = () =>
  handle.db.execute(sql`insert into maintenance_probe select g, repeat('x', 200) from generate_series(1, 20000) g`);

describe("database maintenance", () => {
  it("on embedded PGlite, makes deleted rows' space reusable every hour of engine time, so a sliding window does not grow its table", async () => {
    const clock = createVirtualClock(Date.UTC(2026, 0, 1));
    const maintenance = createDatabaseMaintenance({ database: handle, clock });
    if (handle.kind !== "pglite") {
      // A server's autovacuum does this; the job never runs there.
      expect(await maintenance.runOnce()).toBe(false);
      return;
    }
    await handle.db.execute(sql`create table maintenance_probe (id int, pad text)`);
    await fill();
    const full = await tableBytes();
    await handle.db.execute(sql`delete from maintenance_probe`);
    maintenance.start();
    clock.advance(MAINTENANCE_EVERY_MS - 1);
    await maintenance.idle();
    await fill();
    const beforeFirstPass = await tableBytes();
    expect(beforeFirstPass).toBeGreaterThan(1.9 * full); // not yet due: the deleted rows' space is still taken

    await handle.db.execute(sql`delete from maintenance_probe`);
    clock.advance(1);
    await maintenance.idle();
    await fill();
    expect(await tableBytes()).toBeLessThan(beforeFirstPass + full / 10); // the pass made that space reusable: no growth
    maintenance.stop();
  });
});
