/**
 * A top-up racing the hourly overdue check: the check works through the tenants one by one,
 * and a payment that commits while it is busy with the others must be seen when it reaches
 * the paying tenant (a fresh read under the account's lock), not a balance read before. Runs
 * on PostgreSQL too (TEST_DATABASE_URL), where the check and the top-up use two connections.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { addLedgerEntry, listBillingEvents } from "@/db/queries/billing";
import { tenantScope } from "@/db/scope";
import { createVirtualClock, type VirtualClock } from "../engine";
import { createServices, type Services } from "../services";
import { openTestDatabase } from "../testing/database";
import { HOUR_MS } from "./period";
import { createOrganizations } from "./test-fixtures";

let handle: DatabaseHandle;
let clock: VirtualClock;
let services: Services;
const others = Array.from({ length: 8 }, (_, i) => `a${i}`);

beforeAll(async () => {
  handle = await openTestDatabase();
  clock = createVirtualClock(Date.UTC(2026, 2, 3, 9));
  await createOrganizations(handle.db, [...others, "zz"]);
  services = createServices(
    handle,
    { baseURL: "http://localhost:3000", secret: "test-secret-test-secret-test-secret-32" },
    {
      clock,
      billing: {
        welcomeCreditMinor: 0n,
        graceMs: HOUR_MS,
        suspendAfterMs: HOUR_MS,
        accountCheckEveryMs: 30 * 24 * HOUR_MS,
      },
    },
  );
  await services.start();
}, 60_000);
afterAll(async () => {
  await services.stop();
  await handle.close();
});

describe("a top-up racing the overdue check", () => {
  it("is seen by the check when it committed first: the paying tenant is never suspended", async () => {
    await services.engine.createNodePool("zz", { name: "default", machineType: "2c4g", minSize: 1, maxSize: 1 });
    await services.engine.createDeployment("zz", {
      name: "web",
      replicas: 1,
      template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
    });
    await services.billing.credit("zz", "grant", -1_000_000n, "owes", null); // negative from now on
    clock.advance(3 * HOUR_MS); // past grace and suspension
    // The other tenants went negative without being looked at yet: the check has work before "zz".
    for (const t of others)
      await addLedgerEntry(handle.db, {
        id: `debt:${t}`,
        tenantId: t,
        at: clock.now(),
        kind: "grant",
        amountMinor: -100n,
        note: "owes",
        actor: null,
      });

    // The top-up is paid the moment the check records its first event (for another tenant).
    let topUp: Promise<unknown> | undefined;
    const recordEvent = services.engine.recordEvent;
    services.engine.recordEvent = (tenantId, e) => {
      topUp ??= services.billing.credit("zz", "topup", 5_000_000n, "paid", null);
      return recordEvent(tenantId, e);
    };
    try {
      await services.billing.checkAccounts();
      await topUp;
    } finally {
      services.engine.recordEvent = recordEvent;
    }
    expect(topUp).toBeDefined();
    const reasons = (await listBillingEvents(handle.db, tenantScope("zz"), 50)).map((e) => e.reason);
    expect(reasons).not.toContain("WorkloadsSuspended");
    expect(services.engine.getDeployment("zz", "web").spec.replicas).toBe(1);
    expect(services.engine.growthFreeze("zz")).toBeUndefined();
  }, 60_000);
});
