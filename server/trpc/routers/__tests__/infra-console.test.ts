/**
 * Node pools, the operators' tenant and capacity views, and top pods, through the API on a
 * real database: what the nodes, admin and monitoring pages read and change.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MINUTE } from "@/db/queries/monitoring";
import { member } from "@/db/schema";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";

let h: Harness;
let operator: TestUser;
let owner: TestUser;
let tenantId: string;
const caller = () => owner.caller();
const container = (cpu: string) => ({
  name: "app",
  image: "nginx:1.27",
  resources: { requests: { cpu, memory: "256Mi" } },
});

beforeAll(async () => {
  h = await createHarness();
  operator = await h.signUp("ops@infra-console.test");
  owner = await h.signUp("owner@infra-console.test");
  tenantId = (await (await caller()).tenants.create({ name: "Infra", slug: "infra-console" })).id;
  await h.services.engine.settle();
}, 60_000);
afterAll(async () => h.close());

describe("node pools", () => {
  it("refuses a pool maximum above the tenant's node quota, on create and on update, changing nothing", async () => {
    const quota = (await (await caller()).quota.get()).limits.nodes;
    expect(quota).toBe(10);
    await expect(
      (await caller()).nodePools.create({ name: "big", machineType: "8c16g", maxSize: 11 }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("nodes quota (10)"),
    });
    await expect((await caller()).nodePools.update({ name: "default", maxSize: 11 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const pools = (await (await caller()).nodePools.list({ limit: 100 })).items;
    expect(pools.map((p) => [p.name, p.maxSize])).toEqual([["default", 5]]);
  });

  it("changes machine type by a new pool, and deletes the old one only once its pods have moved", async () => {
    const c = await caller();
    await c.deployments.create({ name: "web", replicas: 2, template: { spec: { containers: [container("250m")] } } });
    await h.services.engine.settle();
    await c.nodePools.create({ name: "large", machineType: "8c16g", minSize: 1, maxSize: 10 });
    await h.services.engine.settle();
    await expect(c.nodePools.delete({ name: "default" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("drain its nodes first"),
    });

    await c.nodePools.update({ name: "default", minSize: 0, maxSize: 0 });
    for (const n of (await c.nodes.list({ pool: "default", limit: 100 })).items) await c.nodes.drain({ name: n.name });
    await h.services.engine.settle();
    await c.nodePools.delete({ name: "default" });
    await h.services.engine.settle();

    expect((await c.nodePools.list({ limit: 100 })).items.map((p) => p.name)).toEqual(["large"]);
    const pods = (await c.pods.list({ deployment: "web", limit: 100 })).items.filter(
      (p) => p.deletionTimestamp === undefined,
    );
    const nodes = new Map((await c.nodes.list({ limit: 100 })).items.map((n) => [n.id, n]));
    expect(pods).toHaveLength(2);
    expect(
      pods.every(
        (p) =>
          p.status.phase === "Running" &&
          nodes.get(p.nodeId ?? "")?.labels["node.kubernetes.io/instance-type"] === "8c16g",
      ),
    ).toBe(true);
  });
});

describe("operator views", () => {
  it("lists every tenant with its real member count", async () => {
    const other = await h.signUp("member@infra-console.test");
    await h.services.db.insert(member).values({
      id: randomUUID(),
      organizationId: tenantId,
      userId: (await (await other.caller()).session.me())!.user.id,
      role: "member",
    });
    const page = await (await operator.caller()).admin.tenants({ limit: 50, search: "infra-console" });
    expect(page.items.map((t) => [t.slug, t.members])).toEqual([["infra-console", 2]]);
  });

  it("counts as used only the pods bound to the tenant's nodes", async () => {
    const c = await caller();
    // One 2-core node at most: two 800m pods are placed, the third stays Pending.
    await c.nodePools.create({ name: "small", machineType: "2c4g", minSize: 0, maxSize: 1 });
    await c.nodePools.update({ name: "large", minSize: 0, maxSize: 0, labels: { tier: "none" } });
    await c.deployments.create({
      name: "batch",
      replicas: 3,
      template: { spec: { nodeSelector: { "cloud/pool": "small" }, containers: [container("800m")] } },
    });
    await h.services.engine.settle();
    const usage = (await (await operator.caller()).cluster.tenants()).find((u) => u.tenantId === tenantId)!;
    const batchPending = (await c.pods.list({ deployment: "batch", limit: 100 })).items.filter(
      (p) => p.status.phase === "Pending",
    ).length;
    expect(batchPending).toBe(1);
    expect(usage.pending).toBe(1);
    expect(usage.used.pods).toBe(2 + 2);
    expect(usage.used.cpuMillis).toBe(2 * 800 + 2 * 250);
  });
});

describe("top pods", () => {
  it("lists only pods that still exist, so every row opens a pod page", async () => {
    const c = await caller();
    await c.deployments.create({
      name: "busy",
      replicas: 2,
      template: { spec: { containers: [{ ...container("100m"), env: [{ name: "SIM_CPU", value: "90" }] }] } },
    });
    await h.services.engine.settle();
    await h.services.engine.runFor(3 * MINUTE);
    await h.services.monitoring.flush();
    const before = await c.monitoring.top({ by: "cpu", limit: 50 });
    const busy = before.filter((r) => r.podName.startsWith("busy-"));
    expect(busy).toHaveLength(2);

    await c.deployments.delete({ name: "busy" });
    await h.services.engine.settle();
    const gone = busy.map((r) => r.podId);
    // The last full minute still holds the deleted pods' rows: the API is what leaves them out.
    const rows =
      await h.services.db.execute(sql`select count(*)::int as n from metric_rollup where level = 'pod' and resolution_ms = ${MINUTE} and key = any(${sql.param(gone)}::text[])
      and bucket = (select max(bucket) from metric_rollup where level = 'pod' and resolution_ms = ${MINUTE} and tenant_id = ${tenantId})`);
    expect(Number((rows as unknown as { rows: { n: number }[] }).rows[0]?.n)).toBe(2);
    const after = await c.monitoring.top({ by: "cpu", limit: 50 });
    expect(after.filter((r) => gone.includes(r.podId))).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
  });
});
