/**
 * The billing routers through tRPC callers: month so far, forecast after a price change, invoices, CSV, credit,
 * and a public IP's lines at the plan's prices.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "../testing/harness";
import { joinByInvitation } from "../testing/join";
import { closeMonth } from "./close";
import { monthStart } from "./period";
import { formatMinor } from "./rating";

let h: Harness;
let operator: TestUser;
let owner: TestUser;
let viewer: TestUser;
let other: TestUser;
let tenantB = "";
beforeAll(async () => {
  h = await createHarness();
  operator = await h.signUp("ops@billing.test");
  owner = await h.signUp("owner@a.test");
  viewer = await h.signUp("viewer@a.test");
  other = await h.signUp("owner@b.test");
  const tenantA = (await (await owner.caller()).tenants.create({ name: "A", slug: "bill-a" })).id;
  await joinByInvitation(await owner.caller(), viewer, "viewer");
  await (await viewer.caller()).tenants.switch({ id: tenantA });
  tenantB = (await (await other.caller()).tenants.create({ name: "B", slug: "bill-b" })).id;
  const template = {
    spec: {
      containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "500m", memory: "512Mi" } } }],
    },
  };
  await (await owner.caller()).deployments.create({ name: "web", replicas: 2, template });
  await (await other.caller()).deployments.create({ name: "api", replicas: 1, template });
  await h.services.engine.runFor(2 * 3_600_000);
}, 120_000);
afterAll(async () => h.close());

describe("billing router", () => {
  it("a running deployment accrues cost; an operator raises a price and the forecast follows", async () => {
    const a = await owner.caller();
    const before = await a.billing.summary();
    expect(before.monthMinor).toBeGreaterThan(0n);
    expect(before.forecastMinor).toBeGreaterThanOrEqual(before.monthMinor);
    expect(before.held).toEqual({ pods: 2, nodes: 1, publicIps: 0 });
    const invoice = await a.billing.invoice({ id: "current" });
    expect(invoice.lines.map((l) => l.deploymentName)).toContain("web");

    const ops = await operator.caller();
    await ops.billingAdmin.setPlan({
      currency: "USD",
      cpuHourMicros: 310_000,
      memoryGibHourMicros: 4_000,
      node2c4gHourMicros: 20_000,
      node4c8gHourMicros: 40_000,
      node8c16gHourMicros: 80_000,
    });
    const after = await a.billing.summary();
    expect(after.monthMinor).toBe(before.monthMinor); // the past keeps its prices
    expect(after.forecastMinor).toBeGreaterThan(before.forecastMinor);
    await expect(
      ops.billingAdmin.setPlan({
        currency: "USD",
        effectiveFrom: 0,
        cpuHourMicros: 1,
        memoryGibHourMicros: 1,
        node2c4gHourMicros: 1,
        node4c8gHourMicros: 1,
        node8c16gHourMicros: 1,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      ops.billingAdmin.setPlan({
        currency: "EUR",
        cpuHourMicros: 1,
        memoryGibHourMicros: 1,
        node2c4gHourMicros: 1,
        node4c8gHourMicros: 1,
        node8c16gHourMicros: 1,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("the CSV of the running month carries its lines and a total that adds up", async () => {
    const a = await owner.caller();
    const [csv, summary] = await Promise.all([a.billing.invoiceCsv({ id: "current" }), a.billing.summary()]);
    const rows = csv.csv
      .trim()
      .split("\n")
      .map((r) => r.split(","));
    const total = rows[rows.length - 1] as string[];
    expect(total[3]).toBe("total");
    expect(total[8]).toBe(formatMinor(summary.monthMinor));
    const sum = rows.slice(1, -1).reduce((s, r) => s + BigInt((r[8] as string).replace(".", "")), 0n);
    expect(sum).toBe(summary.monthMinor);
  });

  it("closed invoices are the tenant's own; another tenant's id is not found", async () => {
    const now = h.clock.now();
    await closeMonth(h.services.db, monthStart(monthStart(now) - 1), monthStart(now));
    const a = await owner.caller();
    const b = await other.caller();
    const own = (await a.billing.invoices()).items.find((i) => i.status === "closed");
    const foreign = (await b.billing.invoices()).items.find((i) => i.status === "closed");
    expect(own).toBeDefined();
    expect(foreign).toBeDefined();
    expect((await a.billing.invoice({ id: own?.id as string })).status).toBe("closed");
    await expect(a.billing.invoice({ id: foreign?.id as string })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(a.billing.invoiceCsv({ id: foreign?.id as string })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("top-ups need an admin; grants are for operators and reach only the named tenant", async () => {
    await expect((await viewer.caller()).billing.topUp({ amountMinor: 500 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const a = await owner.caller();
    const start = (await a.billing.summary()).ledgerMinor;
    await a.billing.topUp({ amountMinor: 500 });
    await expect(a.billingAdmin.grant({ tenantId: tenantB, amountMinor: 100 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const bStart = (await (await other.caller()).billing.summary()).ledgerMinor;
    await (await operator.caller()).billingAdmin.grant({ tenantId: tenantB, amountMinor: 2_500, note: "promo" });
    expect((await a.billing.summary()).ledgerMinor).toBe(start + 500n);
    expect((await (await other.caller()).billing.summary()).ledgerMinor).toBe(bStart + 2_500n);
    expect((await a.billing.ledger()).items.map((e) => e.kind)).toContain("topup");
    await expect(
      (await operator.caller()).billingAdmin.grant({ tenantId: "no-such-tenant", amountMinor: 1 }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("an overdue tenant's growth is refused by every procedure that adds capacity; shrinking still works", async () => {
    const a = await owner.caller();
    const tenantA = (await a.tenants.current()).id;
    h.services.engine.setGrowthFrozen(tenantA, {
      message: "Your balance has been negative since 2026-01-01, past the grace period",
    });
    try {
      expect((await a.billing.summary()).growthBlocked).toBe(true);
      const frozen = { code: "FORBIDDEN", cause: { code: "GROWTH_FROZEN" } };
      const template = {
        spec: {
          containers: [{ name: "web", image: "nginx:1.28", resources: { requests: { cpu: "1", memory: "512Mi" } } }],
        },
      };
      await expect(a.deployments.create({ name: "more", replicas: 1, template })).rejects.toMatchObject(frozen);
      await expect(a.deployments.scale({ name: "web", replicas: 3 })).rejects.toMatchObject(frozen);
      await expect(a.deployments.update({ name: "web", replicas: 3 })).rejects.toMatchObject(frozen);
      // More cpu per pod is growth; a restart (or an image fix) asks no more once rolled out.
      await expect(a.deployments.update({ name: "web", template })).rejects.toMatchObject(frozen);
      await a.deployments.restart({ name: "web" });
      await expect(a.nodePools.update({ name: "default", maxSize: 9 })).rejects.toMatchObject(frozen);
      await a.deployments.scale({ name: "web", replicas: 1 });
      expect(h.services.engine.getDeployment(tenantA, "web").spec.replicas).toBe(1);
    } finally {
      h.services.engine.setGrowthFrozen(tenantA, undefined);
    }
  });
  it("a public IP held is counted and billed on the draft per hour and per Mbit/s-hour, at the plan's prices", async () => {
    const engine = h.services.engine;
    const tenantA = (await (await owner.caller()).tenants.current()).id;
    await engine.createPublicIpPool({ name: "billing", spec: { cidrs: ["203.0.113.0/29"] } });
    const { address } = (await engine.createPublicIp(tenantA, { name: "web", spec: { bandwidthMbps: 5 } })).status;
    const ops = await operator.caller();
    await ops.billingAdmin.setPlan({
      currency: "USD",
      cpuHourMicros: 310_000,
      memoryGibHourMicros: 4_000,
      node2c4gHourMicros: 20_000,
      node4c8gHourMicros: 40_000,
      node8c16gHourMicros: 80_000,
      publicIpHourMicros: 10_000,
      bandwidthMbpsHourMicros: 20_000,
    });
    expect((await ops.billingAdmin.plans()).items.at(-1)).toMatchObject({
      publicIpHourMicros: 10_000n,
      bandwidthMbpsHourMicros: 20_000n,
    });
    await engine.runFor(3_600_000);
    const a = await owner.caller();
    expect((await a.billing.summary()).held.publicIps).toBe(1);
    const lines = (await a.billing.invoice({ id: "current" })).lines.filter((l) => l.resource.includes(address));
    // One hour held at $0.01, 5 Mbit/s-hours at $0.02.
    expect(lines.map((l) => [l.resource, l.quantity, l.amountMinor])).toEqual([
      [`publicip:${address}:5`, 3_600_000n, 1n],
      [`bandwidth:${address}:5`, 5n * 3_600_000n, 10n],
    ]);
    const csv = (await a.billing.invoiceCsv({ id: "current" })).csv;
    expect(csv).toContain(`publicip:${address}:5,,1.0000,IP-hour,0.010000,0.01,USD`);
    expect(csv).toContain(`bandwidth:${address}:5,,5.0000,Mbit/s-hour,0.020000,0.10,USD`);
    expect((await (await other.caller()).billing.summary()).held.publicIps).toBe(0);
  });
});
