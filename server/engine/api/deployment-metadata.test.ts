import { describe, expect, it } from "vitest";
import { startHarness, webDeployment } from "../test-kit";

const T = "tenant-a";

describe("a deployment's own labels and annotations", () => {
  it("are replaced when given, without a new generation or revision; a spec change with them rolls out once", async () => {
    const h = await startHarness();
    await h.engine.ensureTenantNamespace(T, "acme");
    const created = await h.engine.createDeployment(T, { ...webDeployment("web", 1), labels: { team: "a" } });
    await h.engine.settle();

    const labelled = await h.engine.updateDeployment(T, "web", {
      labels: { team: "b", tier: "x" },
      annotations: { note: "hi" },
    });
    expect(labelled).toMatchObject({ labels: { team: "b", tier: "x" }, annotations: { note: "hi" } });
    expect(labelled.generation).toBe(created.generation);
    expect(labelled.spec).toEqual(created.spec);
    expect(h.engine.listRevisions(T, "web")).toHaveLength(1);

    const both = await h.engine.updateDeployment(T, "web", { labels: {}, replicas: 2 });
    expect(both.labels).toEqual({});
    expect(both.annotations).toEqual({ note: "hi" });
    expect(both.generation).toBe(created.generation + 1);

    await expect(h.engine.updateDeployment(T, "web", { labels: { ["k".repeat(64)]: "x" } })).rejects.toMatchObject({
      code: "INVALID",
    });
    // A stale precondition refuses a metadata-only change too.
    await expect(
      h.engine.updateDeployment(T, "web", { annotations: {} }, { resourceVersion: created.resourceVersion }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
