/** Month close: resumable after a crash at any step, never twice, invoices immutable. */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { findInvoice, ledgerBalances, listInvoices } from "@/db/queries/billing";
import { readCursor } from "@/db/queries/billing-metering";
import { openTestDatabase } from "../testing/database";
import { createJobFaults } from "../job-faults";
import { CLOSE_JOB, CLOSED_THROUGH, closeMonth } from "./close";
import { ratePeriod } from "./invoicing";
import { createOrganizations, makePod, meteredStore, remove, resetBilling, upsert } from "./test-fixtures";
import { operatorScope } from "@/db/scope";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle.close());

const JAN = Date.UTC(2026, 0, 1);
const FEB = Date.UTC(2026, 1, 1);
const tenants = ["ta", "tb", "tc", "td", "te"];

async function seed() {
  await resetBilling(handle.db);
  await handle.db.execute(sql`delete from organization where id in ('ta','tb','tc','td','te')`);
  await createOrganizations(handle.db, tenants);
  const store = meteredStore(handle.db);
  let i = 0;
  for (const t of tenants) {
    for (let k = 0; k < 3; k++, i++) {
      const at = JAN + (i + 1) * 86_400_000 + k * 1234;
      await store.commit(
        upsert(
          makePod({
            id: `p${i}`,
            tenantId: t,
            cpuMillis: 250 * (k + 1),
            memoryBytes: 2 ** 28 * (k + 1),
            scheduledAt: at,
            deployment: `d${k}`,
          }),
          at,
        ),
      );
      if (k === 0) await store.commit(remove("Pod", `p${i}`, t, at + 3 * 86_400_000 + 7));
    }
  }
  return store;
}

async function snapshot() {
  const invoices = (await Promise.all(tenants.map((t) => listInvoices(handle.db, t)))).flat();
  const details = await Promise.all(invoices.map((i) => findInvoice(handle.db, i.tenantId, i.id)));
  return {
    invoices: details
      .map((d) => ({
        t: d?.invoice.tenantId,
        total: d?.invoice.totalMinor,
        lines: d?.lines.map((l) => [l.resource, l.deploymentName, l.quantity, l.amountMinor]),
      }))
      .sort((a, b) => String(a.t).localeCompare(String(b.t))),
    balances: [...(await ledgerBalances(handle.db, operatorScope)).entries()].sort(),
  };
}

describe("closing a month", () => {
  let reference: Awaited<ReturnType<typeof snapshot>>;
  beforeEach(async () => {
    await seed();
  });

  it("closes once per tenant; lines add up; a second close changes nothing", async () => {
    const expected = await ratePeriod(handle.db, { period: JAN, now: FEB, scope: operatorScope });
    await closeMonth(handle.db, JAN, FEB, { chunkSize: 2 });
    reference = await snapshot();
    expect(reference.invoices).toHaveLength(tenants.length);
    for (const inv of reference.invoices) {
      expect(inv.total).toBe(expected.get(inv.t as string)?.totalMinor);
      expect(inv.lines?.reduce((s, l) => s + (l[3] as bigint), 0n)).toBe(inv.total);
    }
    expect(reference.balances.map(([, b]) => b)).toEqual(reference.invoices.map((i) => -(i.total as bigint)));
    expect(await readCursor(handle.db, CLOSED_THROUGH)).toBe(FEB);
    await closeMonth(handle.db, JAN, FEB + 5);
    expect(await snapshot()).toEqual(reference);
  });

  it.each([0, 1, 2, 3, 4])(
    "a close that fails inside its step %i (cut, 3 chunks, cursor) and runs again writes what a clean close writes",
    async (step) => {
      const faults = createJobFaults();
      faults.failNext(CLOSE_JOB, 1, step);
      await expect(closeMonth(handle.db, JAN, FEB, { chunkSize: 2, faults })).rejects.toThrow(/injected failure/);
      expect(await readCursor(handle.db, CLOSED_THROUGH)).not.toBe(FEB);
      await closeMonth(handle.db, JAN, FEB, { chunkSize: 2, faults });
      expect(await snapshot()).toEqual(reference);
    },
  );

  it.each([
    [
      "after cutting the meters",
      {
        afterCut: () => {
          throw new Error("crash");
        },
      },
    ],
    [
      "after the first chunk of invoices",
      {
        chunkSize: 2,
        afterChunk: (k: number) => {
          if (k === 0) throw new Error("crash");
        },
      },
    ],
    [
      "after the last chunk, before the cursor moved",
      {
        chunkSize: 2,
        afterChunk: (k: number) => {
          if (k === 2) throw new Error("crash");
        },
      },
    ],
  ])("a crash %s loses nothing and counts nothing twice", async (_, crash) => {
    await expect(closeMonth(handle.db, JAN, FEB, crash)).rejects.toThrow("crash");
    // Meanwhile the engine goes on committing in February.
    await meteredStore(handle.db).commit(remove("Pod", "p1", "ta", FEB + 3_600_000));
    await closeMonth(handle.db, JAN, FEB + 60_000);
    const after = await snapshot();
    expect(after).toEqual(reference);
    const feb = await ratePeriod(handle.db, { period: FEB, now: FEB + 3_600_000, scope: operatorScope });
    expect(feb.get("ta")?.lines.find((l) => l.resource === "cpu" && l.deploymentName === "d1")?.quantity).toBe(
      500n * 3_600_000n,
    );
  });
});
