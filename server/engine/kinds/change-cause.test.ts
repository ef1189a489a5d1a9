import { describe, expect, it } from "vitest";
import { changeCauseText, describeTemplateChange } from "./change-cause";
import { startHarness, webDeployment, type Harness } from "../test-kit";
import type { PodTemplate } from "./types";

const T = "tenant-a";

async function setup(): Promise<Harness> {
  const h = await startHarness();
  await h.engine.createNodePool(T, { name: "pool", machineType: "8c16g", minSize: 2, maxSize: 2 });
  await h.engine.settle();
  await h.engine.createDeployment(T, webDeployment("web", 2));
  await h.engine.settle();
  return h;
}

const causes = (h: Harness) =>
  h.engine.listRevisions(T, "web").map((r) => `${r.revision}: ${r.changeCause ? changeCauseText(r.changeCause) : "?"}`);

describe("change causes per revision", () => {
  it("tells revisions apart after an image change, restarts and a rollback; scaling makes none", async () => {
    const h = await setup();
    await h.engine.updateDeployment(T, "web", { template: webDeployment("web", 2, "nginx:1.28").template });
    await h.engine.settle();
    await h.engine.restartDeployment(T, "web");
    await h.engine.settle();
    await h.engine.scaleDeployment(T, "web", 3);
    await h.engine.settle();
    h.clock.advance(1000); // a second restart at another instant is another template
    await h.engine.restartDeployment(T, "web");
    await h.engine.settle();
    expect(causes(h)).toEqual([
      "1: created with image nginx:1.27",
      "2: image set to nginx:1.28",
      "3: restarted",
      "4: restarted",
    ]);
    await h.engine.rollbackDeployment(T, "web", 2);
    await h.engine.settle();
    expect(causes(h)).toEqual([
      "1: created with image nginx:1.27",
      "3: restarted",
      "4: restarted",
      "5: rolled back to revision 2",
    ]);
    expect(h.engine.getDeployment(T, "web").changeCause).toEqual({ reason: "RolledBack", toRevision: 2 });
  });

  it("a revision created while paused gets the cause of the last change", async () => {
    const h = await setup();
    await h.engine.pauseDeployment(T, "web");
    await h.engine.updateDeployment(T, "web", { template: webDeployment("web", 2, "nginx:1.29").template });
    await h.engine.settle();
    expect(causes(h)).toEqual(["1: created with image nginx:1.27"]);
    await h.engine.resumeDeployment(T, "web");
    await h.engine.settle();
    expect(causes(h)).toEqual(["1: created with image nginx:1.27", "2: image set to nginx:1.29"]);
  });

  it("survives a restart of the engine from its store", async () => {
    const h = await setup();
    await h.engine.restartDeployment(T, "web");
    await h.engine.settle();
    const again = await startHarness({ snapshot: h.store.snapshot(), startMs: h.clock.now() });
    expect(again.engine.listRevisions(T, "web").map((r) => r.changeCause?.reason)).toEqual(["Created", "Restarted"]);
  });
});

describe("describeTemplateChange", () => {
  const base = (): PodTemplate => ({
    labels: { app: "web" },
    annotations: {},
    spec: {
      containers: [
        {
          name: "app",
          image: "nginx:1.27",
          env: [],
          ports: [],
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: {} },
        },
      ],
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      nodeSelector: {},
    },
  });
  const edit = (f: (t: PodTemplate) => void): PodTemplate => {
    const t = base();
    f(t);
    return t;
  };
  it("names an image-only change by its new image", () => {
    expect(
      describeTemplateChange(
        base(),
        edit((t) => ((t.spec.containers[0] as { image: string }).image = "nginx:1.28")),
      ),
    ).toEqual({ reason: "ImageSet", images: ["nginx:1.28"] });
  });
  it("names a restartedAt-only change a restart", () => {
    expect(
      describeTemplateChange(
        base(),
        edit((t) => (t.annotations["kubectl.kubernetes.io/restartedAt"] = "2026-01-01T00:00:00Z")),
      ),
    ).toEqual({ reason: "Restarted" });
  });
  it("lists the fields of any other change", () => {
    const after = edit((t) => {
      const c = t.spec.containers[0] as PodTemplate["spec"]["containers"][number];
      c.image = "nginx:1.28";
      c.env = [{ name: "A", value: "1" }];
      t.labels = { app: "web", tier: "front" };
    });
    expect(describeTemplateChange(base(), after)).toEqual({
      reason: "TemplateChanged",
      fields: ["image", "env", "labels"],
    });
  });
});
