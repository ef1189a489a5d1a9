/**
 * Migration 0014 (public IPs in billing) over a database of the previous release: a saved plan
 * version gets the built-in public IP prices, existing meters and usage records are no public
 * IP's (no address, 0 Mbit/s), and the draft rated after the migration is what it was before.
 */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { ratePeriod } from "@/server/billing/invoicing";
import { BUILT_IN_PRICES } from "@/server/billing/rating";
import { migrationsUpTo, openTestDatabase, removeMigrationCopies } from "@/server/testing/database";
import { listPlanVersions } from "./queries/billing-plans";
import { migrateDatabase } from "./migrate";
import { operatorScope } from "./scope";

afterAll(removeMigrationCopies);

const JAN = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

describe("migration 0014", () => {
  it("keeps the previous release's plans, meters and usage, public IPs priced at the built-in prices", async () => {
    const handle = await openTestDatabase({ migrations: migrationsUpTo(13) });
    try {
      await handle.db.execute(sql`insert into organization (id, name, slug) values ('t-old', 'Old Co', 'old-co')`);
      await handle.db.execute(sql`insert into billing_price_plan (tenant_id, effective_from, currency, cpu_hour_micros,
          memory_gib_hour_micros, node_2c4g_hour_micros, node_4c8g_hour_micros, node_8c16g_hour_micros, created_at)
        values (null, 0, 'USD', 40000, 5000, 1, 2, 3, 0)`);
      await handle.db.execute(sql`insert into billing_meter (id, resource_id, tenant_id, kind, name, start_at, billed_from,
          end_at, cpu_millis, memory_bytes, deployment_id, deployment_name)
        values ('pod:p1@x', 'p1', 't-old', 'pod', 'web-a-b', ${JAN}, ${JAN + HOUR}, null, 1000, 0, 'd1', 'web')`);
      await handle.db.execute(sql`insert into billing_usage (id, meter_id, tenant_id, kind, period, start_at, end_at,
          cpu_millis, memory_bytes, deployment_id, deployment_name)
        values ('pod:p1@x#0', 'pod:p1@x', 't-old', 'pod', ${JAN}, ${JAN}, ${JAN + HOUR}, 1000, 0, 'd1', 'web')`);

      await migrateDatabase(handle);

      const [plan] = await listPlanVersions(handle.db);
      expect([plan?.cpuHourMicros, plan?.publicIpHourMicros, plan?.bandwidthMbpsHourMicros]).toEqual([
        40_000n,
        BUILT_IN_PRICES.publicIpHourMicros,
        BUILT_IN_PRICES.bandwidthMbpsHourMicros,
      ]);
      const meters = (await handle.db.execute(
        sql`select address, bandwidth_mbps from billing_meter union all select address, bandwidth_mbps from billing_usage`,
      )) as unknown as { rows: { address: string | null; bandwidth_mbps: number }[] };
      expect(meters.rows).toEqual([
        { address: null, bandwidth_mbps: 0 },
        { address: null, bandwidth_mbps: 0 },
      ]);
      const rated = await ratePeriod(handle.db, { period: JAN, now: JAN + 2 * HOUR, scope: operatorScope });
      // Two vCPU-hours at 0.04: one recorded, one open.
      expect(rated.get("t-old")?.lines.map((l) => [l.resource, l.quantity, l.amountMinor])).toEqual([
        ["cpu", BigInt(2 * 1000 * HOUR), 8n],
      ]);
    } finally {
      await handle.close();
    }
  });
});
