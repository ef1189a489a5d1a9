import { describe, expect, it } from "vitest";
import { EngineError } from "../core/errors";
import { resolveFenceposts } from "./rollout";
import { availablePods, livePods, startHarness, webDeployment, type Harness } from "../test-kit";

const T = "tenant-a";

async function setup(replicas = 4, extra = {}): Promise<Harness> {
  const h = await startHarness();
  await h.engine.createNodePool(T, { name: "pool", machineType: "8c16g", minSize: 3, maxSize: 3 });
  await h.engine.settle();
  await h.engine.createDeployment(T, webDeployment("web", replicas, "nginx:1.27", extra));
  expect((await h.engine.settle()).idle).toBe(true);
  return h;
}

/** Assert the rollout bounds on the state the engine shows right now. */
function checkBounds(h: Harness, replicas: number, surge: number, unavailable: number, trace: string[]) {
  const pods = livePods(h.engine, T, "web").length;
  const avail = availablePods(h.engine, T, "web").length;
  trace.push(`t=${h.clock.now()} pods=${pods} avail=${avail}`);
  expect(pods, trace.slice(-5).join("\n")).toBeLessThanOrEqual(replicas + surge);
  expect(avail, trace.slice(-5).join("\n")).toBeGreaterThanOrEqual(replicas - unavailable);
}

async function rolloutWithBounds(
  h: Harness,
  replicas: number,
  change: () => Promise<unknown>,
  maxSurge: number | string = "25%",
  maxUnavailable: number | string = "25%",
) {
  const f = resolveFenceposts(maxSurge as never, maxUnavailable as never, replicas);
  const trace: string[] = [];
  await change();
  await h.engine.runFor(300_000, () => checkBounds(h, replicas, f.maxSurge, f.maxUnavailable, trace));
  expect(trace.length).toBeGreaterThan(10);
}

describe("deployments", () => {
  it("creates replicas spread across nodes, all Running", async () => {
    const h = await setup(6);
    const pods = livePods(h.engine, T, "web");
    expect(pods).toHaveLength(6);
    expect(pods.every((p) => p.status.phase === "Running")).toBe(true);
    expect(pods[0]?.name).toMatch(/^web-[a-z0-9]{10}-[a-z0-9]{5}$/);
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.nodeId ?? "", (perNode.get(p.nodeId ?? "") ?? 0) + 1);
    expect([...perNode.values()]).toEqual([2, 2, 2]);
    const d = h.engine.getDeployment(T, "web");
    expect(d.status).toMatchObject({
      replicas: 6,
      updatedReplicas: 6,
      availableReplicas: 6,
      currentRevision: 1,
      observedGeneration: 1,
    });
    expect(d.status.conditions.find((c) => c.type === "Progressing")?.reason).toBe("NewReplicaSetAvailable");
  });

  it("scaling changes pods but does not start a rollout", async () => {
    const h = await setup(4);
    await h.engine.scaleDeployment(T, "web", 7);
    await h.engine.settle();
    expect(livePods(h.engine, T, "web")).toHaveLength(7);
    expect(h.engine.listRevisions(T, "web")).toHaveLength(1);
    await h.engine.scaleDeployment(T, "web", 2);
    await h.engine.settle();
    expect(h.engine.listPods(T, { deployment: "web" }).items).toHaveLength(2);
  });

  it("rolling update keeps pods <= replicas+maxSurge and available >= replicas-maxUnavailable at every step", async () => {
    const h = await setup(8);
    await rolloutWithBounds(h, 8, () =>
      h.engine.updateDeployment(T, "web", { template: webDeployment("web", 8, "nginx:1.28").template }),
    );
    const pods = livePods(h.engine, T, "web");
    expect(pods).toHaveLength(8);
    expect(pods.every((p) => p.spec.containers[0]?.image === "nginx:1.28")).toBe(true);
    const d = h.engine.getDeployment(T, "web");
    expect(d.status.currentRevision).toBe(2);
    expect(d.revisions.map((r) => [r.revision, r.replicas])).toEqual([
      [1, 0],
      [2, 8],
    ]);
  });

  it("honours absolute maxSurge/maxUnavailable (surge 0, unavailable 1)", async () => {
    const h = await setup(5, { strategy: { maxSurge: 0, maxUnavailable: 1 } });
    await rolloutWithBounds(
      h,
      5,
      () => h.engine.updateDeployment(T, "web", { template: webDeployment("web", 5, "nginx:1.28").template }),
      0,
      1,
    );
    expect(availablePods(h.engine, T, "web")).toHaveLength(5);
  });

  it("honours maxSurge 2 / maxUnavailable 0", async () => {
    const h = await setup(6, { strategy: { maxSurge: 2, maxUnavailable: 0 } });
    await rolloutWithBounds(
      h,
      6,
      () => h.engine.updateDeployment(T, "web", { template: webDeployment("web", 6, "nginx:1.28").template }),
      2,
      0,
    );
  });

  it("scales proportionally mid-rollout", async () => {
    const h = await setup(10);
    await h.engine.updateDeployment(T, "web", { template: webDeployment("web", 10, "nginx:1.28").template });
    await h.engine.runFor(1_000);
    const before = h.engine.listRevisions(T, "web").map((r) => r.replicas);
    expect(before.filter((n) => n > 0)).toHaveLength(2);
    await h.engine.scaleDeployment(T, "web", 20);
    await h.engine.whenIdle();
    const after = h.engine.listRevisions(T, "web").map((r) => r.replicas);
    expect(after.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20 + 5);
    expect(after[0]).toBeGreaterThan(before[0] as number); // old revision grew too
    await h.engine.settle();
    expect(livePods(h.engine, T, "web")).toHaveLength(20);
    expect(h.engine.listRevisions(T, "web").map((r) => r.replicas)).toEqual([0, 20]);
  });

  it("rollback copies revision N into a new highest revision; N leaves the history", async () => {
    const h = await setup(3);
    for (const tag of ["1.28", "1.29"]) {
      await h.engine.updateDeployment(T, "web", { template: webDeployment("web", 3, `nginx:${tag}`).template });
      await h.engine.settle();
    }
    expect(h.engine.listRevisions(T, "web").map((r) => r.revision)).toEqual([1, 2, 3]);
    await h.engine.rollbackDeployment(T, "web", 1);
    await h.engine.settle();
    const revs = h.engine.listRevisions(T, "web");
    expect(revs.map((r) => r.revision)).toEqual([2, 3, 4]);
    expect(revs.find((r) => r.revision === 4)?.template.spec.containers[0]?.image).toBe("nginx:1.27");
    expect(livePods(h.engine, T, "web").every((p) => p.spec.containers[0]?.image === "nginx:1.27")).toBe(true);
    await h.engine.rollbackDeployment(T, "web"); // previous = 3 (1.29)
    await h.engine.settle();
    expect(livePods(h.engine, T, "web")[0]?.spec.containers[0]?.image).toBe("nginx:1.29");
    await expect(h.engine.rollbackDeployment(T, "web", 99)).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining("revisions kept"),
    });
  });

  it("keeps at most revisionHistoryLimit old revisions", async () => {
    const h = await setup(1, { revisionHistoryLimit: 2 });
    for (let i = 0; i < 5; i++) {
      await h.engine.updateDeployment(T, "web", { template: webDeployment("web", 1, `nginx:1.${30 + i}`).template });
      await h.engine.settle();
    }
    expect(h.engine.listRevisions(T, "web").map((r) => r.revision)).toEqual([4, 5, 6]);
  });

  it("pause freezes rollouts but not scaling; resume continues", async () => {
    const h = await setup(4);
    await h.engine.pauseDeployment(T, "web");
    await h.engine.updateDeployment(T, "web", { template: webDeployment("web", 4, "nginx:1.28").template });
    await h.engine.scaleDeployment(T, "web", 6);
    await h.engine.settle();
    expect(livePods(h.engine, T, "web")).toHaveLength(6);
    expect(livePods(h.engine, T, "web").every((p) => p.spec.containers[0]?.image === "nginx:1.27")).toBe(true);
    expect(h.engine.getDeployment(T, "web").status.conditions.find((c) => c.type === "Progressing")?.reason).toBe(
      "DeploymentPaused",
    );
    await expect(h.engine.rollbackDeployment(T, "web")).rejects.toMatchObject({ code: "CONFLICT" });
    await h.engine.resumeDeployment(T, "web");
    await h.engine.settle();
    expect(livePods(h.engine, T, "web").every((p) => p.spec.containers[0]?.image === "nginx:1.28")).toBe(true);
    expect(livePods(h.engine, T, "web")).toHaveLength(6);
  });

  it("restart replaces every pod through a fresh rollout", async () => {
    const h = await setup(4);
    const before = new Set(livePods(h.engine, T, "web").map((p) => p.id));
    await rolloutWithBounds(h, 4, () => h.engine.restartDeployment(T, "web"));
    const after = livePods(h.engine, T, "web");
    expect(after).toHaveLength(4);
    expect(after.some((p) => before.has(p.id))).toBe(false);
    expect(h.engine.listRevisions(T, "web")).toHaveLength(2);
  });

  it("delete terminates the pods gracefully, then they are gone", async () => {
    const h = await setup(3);
    await h.engine.deleteDeployment(T, "web");
    await h.engine.runFor(1_000);
    const pods = h.engine.listPods(T).items;
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.deletionTimestamp !== undefined)).toBe(true);
    await h.engine.runFor(29_000);
    expect(h.engine.listPods(T).items).toHaveLength(0);
    await h.engine.settle();
    expect(h.engine.listDeployments(T).items).toHaveLength(0);
    expect([...h.engine.internals.ctx.state.all("ReplicaSet")]).toHaveLength(0);
  });

  it("marks a stuck rollout ProgressDeadlineExceeded and does not roll back", async () => {
    const h = await setup(2, { progressDeadlineSeconds: 60 });
    await h.engine.updateDeployment(T, "web", { template: webDeployment("web", 2, "nginx:missing").template });
    await h.engine.runFor(200_000);
    const d = h.engine.getDeployment(T, "web");
    const p = d.status.conditions.find((c) => c.type === "Progressing");
    expect(p).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded" });
    expect(availablePods(h.engine, T, "web").length).toBeGreaterThanOrEqual(2 - 0); // old pods still serve
    expect(d.status.currentRevision).toBe(2);
  });

  it("validates input and changes nothing on error", async () => {
    const h = await setup(1);
    const bad = async (p: Promise<unknown>, code: string, msg: RegExp) => {
      const e = await p.then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(EngineError);
      expect(e).toMatchObject({ code });
      expect((e as Error).message).toMatch(msg);
    };
    await bad(h.engine.createDeployment(T, webDeployment("Web")), "INVALID", /DNS-1123/);
    await bad(
      h.engine.createDeployment(T, webDeployment("x", 1, "Nginx:Latest")),
      "INVALID",
      /not a valid image reference/,
    );
    await bad(h.engine.createDeployment(T, webDeployment("x", 1001)), "INVALID", /replicas/);
    await bad(
      h.engine.createDeployment(T, webDeployment("x", 1, "nginx", { strategy: { maxSurge: 0, maxUnavailable: "0%" } })),
      "INVALID",
      /may not both be 0/,
    );
    await bad(
      h.engine.createDeployment(T, {
        ...webDeployment("x"),
        template: {
          spec: {
            containers: [{ name: "a", image: "nginx", resources: { requests: { cpu: "lots", memory: "1Gi" } } }],
          },
        },
      }),
      "INVALID",
      /"lots" is not a CPU quantity/,
    );
    await bad(h.engine.createDeployment(T, webDeployment("web")), "CONFLICT", /already exists/);
    await bad(h.engine.scaleDeployment("tenant-b", "web", 2), "NOT_FOUND", /deployment "web" not found/);
    const id = h.engine.getDeployment(T, "web").id;
    await bad(h.engine.deleteDeployment("tenant-b", id), "NOT_FOUND", /not found/);
    expect(() => h.engine.getDeployment("tenant-b", id)).toThrow(/not found/);
    expect(h.engine.listDeployments(T).items).toHaveLength(1);
    expect(h.engine.listDeployments("tenant-b").items).toHaveLength(0);
  });

  it("paginates with a cursor", async () => {
    const h = await setup(7);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = h.engine.listPods(T, { limit: 3, cursor });
      seen.push(...page.items.map((p) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort()).toEqual(seen);
  });
});
