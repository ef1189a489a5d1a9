/**
 * Billing against the real engine on a virtual clock: billed pod-milliseconds equal the
 * engine's reserved pod-milliseconds exactly (the reference is read from the pods at every
 * clock step), across a month close and a crash mid-month; and the overdue rule.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { findInvoice, listBillingEvents, listInvoices } from "@/db/queries/billing";
import { tenantScope } from "@/db/scope";
import { sumPodMilliseconds } from "@/db/queries/billing-metering";
import { createVirtualClock, type Pod, type VirtualClock } from "../engine";
import { createServices, type Services } from "../services";
import { openTestDatabase } from "../testing/database";
import { provisionTenantDefaults } from "../workloads/tenant-defaults";
import { HOUR_MS } from "./period";
import { createOrganizations } from "./test-fixtures";

const holds = (p: Pod) => p.nodeId !== undefined && p.status.phase !== "Succeeded" && p.status.phase !== "Failed";
const template = {
  spec: {
    containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "250m", memory: "256Mi" } } }],
  },
};

let handle: DatabaseHandle;
let clock: VirtualClock;
let services: Services;
const build = async (billing = {}) => {
  const s = createServices(
    handle,
    { baseURL: "http://localhost:3000", secret: "test-secret-test-secret-test-secret-32" },
    { clock, billing: { welcomeCreditMinor: 0n, ...billing } },
  );
  await s.start();
  return s;
};
const withImage = (image: string) => ({
  spec: { containers: [{ name: "web", image, resources: template.spec.containers[0]?.resources }] },
});
const overdue = { graceMs: 2 * HOUR_MS, suspendAfterMs: 2 * HOUR_MS, accountCheckEveryMs: HOUR_MS };
const frozen = { code: "GROWTH_FROZEN" };
/** Everything of the old services stops at once; nothing uncommitted survives. */
const halt = () => services.stop();
const crash = async () => {
  await halt();
  services = await build();
};

/** Reference: per pod, [scheduledAt, first step at which it no longer holds its node). */
const lives = new Map<string, { tenantId: string; start: number; end?: number }>();
function observe() {
  const now = clock.now();
  const seen = new Set<string>();
  for (const t of ["acme", "zeta"]) {
    for (const p of services.engine.listPods(t, { limit: 1000 }).items) {
      if (!holds(p)) continue;
      seen.add(p.id);
      if (!lives.has(p.id)) lives.set(p.id, { tenantId: t, start: p.scheduledAt as number });
    }
  }
  for (const [id, l] of lives) if (l.end === undefined && !seen.has(id)) l.end = now;
}
const run = (ms: number) => services.engine.runFor(ms, observe);

beforeAll(async () => {
  handle = await openTestDatabase();
  clock = createVirtualClock(Date.UTC(2026, 0, 31, 21));
  await createOrganizations(handle.db, ["acme", "zeta"]);
  services = await build();
  for (const t of ["acme", "zeta"]) await provisionTenantDefaults(services.engine, t);
}, 60_000);
afterAll(async () => {
  await halt();
  await handle.close();
});

describe("billing with the engine", () => {
  it("bills exactly the reserved pod-milliseconds across churn, a month close and a crash", async () => {
    await services.engine.createDeployment("acme", { name: "web", replicas: 3, template });
    await services.engine.createDeployment("zeta", { name: "api", replicas: 2, template });
    await run(HOUR_MS);
    await services.engine.scaleDeployment("acme", "web", 6);
    await run(HOUR_MS / 2);
    await crash(); // mid-month: whatever was not committed is lost, and so is its usage
    await run(HOUR_MS);
    await services.engine.scaleDeployment("acme", "web", 1);
    await services.engine.deleteDeployment("zeta", "api");
    await run(HOUR_MS + 17_000); // crosses the month boundary: January closes on the engine clock
    await services.engine.createDeployment("zeta", { name: "api", replicas: 4, template });
    await run(HOUR_MS);
    await crash();
    await run(10 * 60_000);
    await services.billing.idle();

    const now = clock.now();
    for (const t of ["acme", "zeta"]) {
      const reference = [...lives.values()]
        .filter((l) => l.tenantId === t)
        .reduce((s, l) => s + BigInt((l.end ?? now) - l.start), 0n);
      const billed = await sumPodMilliseconds(handle.db, t, now);
      expect(reference).toBeGreaterThan(0n);
      expect(billed.recorded + billed.open).toBe(reference);
    }

    const [jan] = await listInvoices(handle.db, "acme");
    expect(jan?.periodStart).toBe(Date.UTC(2026, 0, 1));
    const detail = await findInvoice(handle.db, "acme", jan?.id as string);
    expect(detail?.lines.reduce((s, l) => s + l.amountMinor, 0n)).toBe(detail?.invoice.totalMinor);
    expect(detail?.lines.map((l) => l.resource).sort()).toEqual(["cpu", "memory", "node:4c8g"]);
    expect((await services.billing.reconcile()).missing).toBe(0);
  }, 120_000);

  it("refuses growth past the grace period, scales to zero later, and restores on payment", async () => {
    await halt();
    services = await build(overdue);
    const owed = await services.billing.balanceOf("acme");
    await services.billing.credit("acme", "grant", 1n - owed.availableMinor, "just enough", null);
    expect(services.engine.growthFreeze("acme")).toBeUndefined();
    await services.engine.scaleDeployment("acme", "web", 3);
    await services.engine.updateDeployment("acme", "web", { template: withImage("nginx:1.28") }); // a revision to roll back to
    await run(4 * HOUR_MS);
    await services.billing.idle();
    await expect(services.engine.scaleDeployment("acme", "web", 4)).rejects.toMatchObject({
      code: "GROWTH_FROZEN",
      message: expect.stringMatching(/negative since .* grace period/),
    });
    // No path around the engine's admission: a template asking more of each pod is growth ...
    const hungrier = {
      spec: { containers: [{ name: "web", image: "nginx:1.29", resources: { requests: { cpu: "1" } } }] },
    };
    await expect(services.engine.updateDeployment("acme", "web", { template: hungrier })).rejects.toMatchObject(frozen);
    // ... while an image fix asks no more once rolled out (its surge is transient): admitted.
    await services.engine.updateDeployment("acme", "web", { template: withImage("nginx:1.29") });
    await expect(
      services.engine.createDeployment("acme", { name: "more", replicas: 1, template }),
    ).rejects.toMatchObject(frozen);
    await expect(services.engine.updateNodePool("acme", "default", { maxSize: 6 })).rejects.toMatchObject(frozen);
    // A restart of the server keeps it frozen (billing sets the freeze again at start) ...
    await halt();
    services = await build(overdue);
    await expect(services.engine.scaleDeployment("acme", "web", 4)).rejects.toMatchObject(frozen);
    // ... and shrinking is always allowed: it lowers the bill.
    await services.engine.scaleDeployment("acme", "web", 2);
    await services.engine.scaleDeployment("acme", "web", 3).catch(() => undefined); // refused: stays at 2
    expect(services.engine.getDeployment("acme", "web").spec.replicas).toBe(2);
    await run(3 * HOUR_MS);
    await services.billing.idle();
    await run(60_000);
    expect(services.engine.listDeployments("acme").items.find((d) => d.name === "web")?.spec.replicas).toBe(0);
    const events = await listBillingEvents(handle.db, tenantScope("acme"), 10);
    expect(events.map((e) => e.reason)).toContain("WorkloadsSuspended");

    await services.billing.credit("acme", "topup", 1_000_000n, "test", null);
    expect(services.engine.listDeployments("acme").items.find((d) => d.name === "web")?.spec.replicas).toBe(2);
    expect(services.engine.growthFreeze("acme")).toBeUndefined();
    await services.engine.scaleDeployment("acme", "web", 3);
    expect((await listBillingEvents(handle.db, tenantScope("acme"), 10)).map((e) => e.reason)).toContain(
      "WorkloadsRestored",
    );
  }, 120_000);

  it("judges an overdue check by the hour it was due, however late it runs", async () => {
    const owed = await services.billing.balanceOf("zeta");
    await services.billing.credit("zeta", "grant", 1n - owed.availableMinor, "just enough", null);
    // One jump of the clock queues four hourly checks at once; they all run after it, at +4 h.
    clock.advance(4 * HOUR_MS);
    await services.billing.idle();
    // Negative since the first check (+1 h), so past the 2 h grace; judged at +4 h it would not be.
    expect(services.engine.growthFreeze("zeta")?.message).toMatch(/grace period/);
  }, 60_000);
});
