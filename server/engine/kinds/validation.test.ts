import { describe, expect, it } from "vitest";
import { startHarness, webDeployment, type Harness } from "../test-kit";
import type { CreateDeploymentInput } from "../api/deployment-commands";

const T = "tenant-a";

async function setup(): Promise<Harness> {
  const h = await startHarness();
  await h.engine.createNodePool(T, { name: "pool", machineType: "4c8g", minSize: 1, maxSize: 2 });
  await h.engine.settle();
  return h;
}

/** web with its one container changed by `patch`. */
function withContainer(patch: Record<string, unknown>, template: Record<string, unknown> = {}): CreateDeploymentInput {
  const base = webDeployment("web", 1);
  const c = base.template.spec.containers[0];
  return {
    ...base,
    template: {
      ...base.template,
      ...template,
      spec: { ...base.template.spec, containers: [{ ...c, ...patch } as never] },
    },
  };
}

/** The command fails INVALID with a message matching `message`, and the store saw no write. */
async function refused(h: Harness, run: () => Promise<unknown>, message: RegExp) {
  const commits = h.store.commits;
  await expect(run()).rejects.toMatchObject({ code: "INVALID", message: expect.stringMatching(message) });
  expect(h.store.commits).toBe(commits);
}

describe("memory requests and limits", () => {
  it("refuses a unitless memory quantity below 4Mi, suggesting the unit", async () => {
    const h = await setup();
    await refused(
      h,
      () => h.engine.createDeployment(T, withContainer({ resources: { requests: { cpu: "100m", memory: "256" } } })),
      /^spec\.template\.spec\.containers\[0\]\.resources\.requests\.memory: "256" is 256 bytes, below the minimum of 4Mi .*did you mean "256Mi"\?/,
    );
    await refused(
      h,
      () =>
        h.engine.createDeployment(
          T,
          withContainer({ resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "1Mi" } } }),
        ),
      /resources\.limits\.memory: "1Mi" is below the minimum of 4Mi/,
    );
    expect(h.engine.listDeployments(T).items).toHaveLength(0);
  });

  it("accepts 4Mi and plain bytes at or above it, as Kubernetes does", async () => {
    const h = await setup();
    await h.engine.createDeployment(T, withContainer({ resources: { requests: { cpu: "100m", memory: "4Mi" } } }));
    await h.engine.createDeployment(T, {
      ...withContainer({ resources: { requests: { cpu: "100m", memory: "134217728" } } }),
      name: "bytes",
    });
    expect(
      h.engine
        .listDeployments(T)
        .items.map((d) => d.name)
        .sort(),
    ).toEqual(["bytes", "web"]);
  });

  it("refuses the same on update, so a template edit cannot slip it in", async () => {
    const h = await setup();
    await h.engine.createDeployment(T, webDeployment("web", 1));
    await h.engine.settle();
    const template = withContainer({ resources: { requests: { cpu: "100m", memory: "512" } } }).template;
    await refused(h, () => h.engine.updateDeployment(T, "web", { template }), /requests\.memory: "512" is 512 bytes/);
  });
});

describe("text the store cannot keep", () => {
  const NUL = "\u0000";
  const cases: [string, () => CreateDeploymentInput, RegExp][] = [
    [
      "name",
      () => ({ ...webDeployment("web", 1), name: `we${NUL}b` }),
      /^deployment name: contains a NUL character \(U\+0000\)/,
    ],
    [
      "image",
      () => withContainer({ image: `nginx${NUL}:1.27` }),
      /^spec\.template\.spec\.containers\[0\]\.image: contains a NUL/,
    ],
    [
      "env value",
      () => withContainer({ env: [{ name: "A", value: `x${NUL}` }] }),
      /^spec\.template\.spec\.containers\[0\]\.env\[0\]\.value: contains a NUL/,
    ],
    [
      "command",
      () => withContainer({ command: ["sh", `-c${NUL}`] }),
      /^spec\.template\.spec\.containers\[0\]\.command\[1\]: contains a NUL/,
    ],
    [
      "label value",
      () => withContainer({}, { labels: { app: `w${NUL}` } }),
      /^spec\.template\.labels\.app: contains a NUL/,
    ],
    [
      "label key",
      () => withContainer({}, { labels: { [`a${NUL}`]: "web" } }),
      /^spec\.template\.labels: a key contains a NUL/,
    ],
    [
      "lone high surrogate",
      () => withContainer({ env: [{ name: "A", value: "x\uD800y" }] }),
      /env\[0\]\.value: contains an unpaired surrogate \(U\+D800\)/,
    ],
    [
      "lone low surrogate",
      () => withContainer({}, { annotations: { note: "\uDC00" } }),
      /annotations\.note: contains an unpaired surrogate \(U\+DC00\)/,
    ],
  ];
  it.each(cases)("refuses a bad %s on create, naming the field, with no write", async (_what, input, message) => {
    const h = await setup();
    await refused(h, () => h.engine.createDeployment(T, input()), message);
  });

  it("refuses it on update and in node pools and quotas too", async () => {
    const h = await setup();
    await h.engine.createDeployment(T, webDeployment("web", 1));
    await h.engine.settle();
    await refused(
      h,
      () => h.engine.updateDeployment(T, "web", { template: withContainer({ image: `nginx:1.2${NUL}` }).template }),
      /containers\[0\]\.image: contains a NUL/,
    );
    await refused(
      h,
      () => h.engine.createNodePool(T, { name: "p2", machineType: "4c8g", maxSize: 1, labels: { zone: `a${NUL}` } }),
      /^nodePool\.labels\.zone: contains a NUL/,
    );
    await refused(h, () => h.engine.setQuota(T, { cpu: `4${NUL}` }), /^quota\.cpu: contains a NUL/);
  });

  it("keeps well-formed text outside the BMP", async () => {
    const h = await setup();
    await h.engine.createDeployment(T, withContainer({ env: [{ name: "GREETING", value: "hi 👋 你好" }] }));
    expect(h.engine.getDeployment(T, "web").spec.template.spec.containers[0]?.env[0]?.value).toBe("hi 👋 你好");
  });
});

describe("pod size against machine types", () => {
  it("refuses a pod bigger than every machine type", async () => {
    const h = await setup();
    await refused(
      h,
      () => h.engine.createDeployment(T, withContainer({ resources: { requests: { cpu: "12", memory: "1Gi" } } })),
      /one pod requests cpu=12, memory=1Gi .*largest machine type 8c16g.*could never be scheduled/,
    );
  });

  it("accepts a pod that fits no pool of the tenant, with a Warning event on the deployment", async () => {
    const h = await setup();
    await h.engine.createDeployment(T, withContainer({ resources: { requests: { cpu: "6", memory: "1Gi" } } }));
    const events = h.engine.listEvents(T, { objectKind: "Deployment", objectName: "web" }).items;
    expect(events.find((e) => e.reason === "NoNodePoolFits")).toMatchObject({
      type: "Warning",
      message: expect.stringMatching(/cpu=6.*machine types: 4c8g/),
    });
  });
});
