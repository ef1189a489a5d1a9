/**
 * A LimitRange's refusal answers 403 Forbidden, as Kubernetes' LimitRanger admission does
 * (`pods "<name>-" is forbidden: …`), on create, update and dry run; nothing is created or
 * changed; the real kubectl prints it as `Error from server (Forbidden)`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";
import { hasKubectl, kubectlAs } from "./testing/kubectl";

let f: KubeFixture;
let ns: string;

beforeAll(async () => {
  f = await startKubeFixture();
  ns = f.tenants.a.namespace;
  const lr = await send("POST", `/api/v1/namespaces/${ns}/limitranges`, {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: "bounds" },
    spec: { limits: [{ type: "Container", max: { cpu: "1" } }] },
  });
  if (lr.status !== 201) throw new Error(`LimitRange not created: ${await lr.text()}`);
}, 60_000);
afterAll(async () => f?.close());

function send(method: string, p: string, body: unknown, contentType = "application/json") {
  return f.handler(
    new Request(`https://kube.test${p}`, {
      method,
      headers: { authorization: `Bearer ${f.tokens.a}`, "content-type": contentType, accept: "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

const deployment = (name: string, cpuLimit: string) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: "c", image: "nginx:1.27", resources: { limits: { cpu: cpuLimit } } }] },
    },
  },
});

const deployments = () => [...f.h.services.engine.eachObject("Deployment")].filter((d) => d.namespace === ns);

describe("LimitRange refusals on the Kubernetes API", () => {
  it("a create over the max is 403 Forbidden in LimitRanger's words, and makes nothing", async () => {
    for (const query of ["", "?dryRun=All"]) {
      const r = await send("POST", `/apis/apps/v1/namespaces/${ns}/deployments${query}`, deployment("big", "2"));
      expect(r.status).toBe(403);
      expect(await r.json()).toMatchObject({
        kind: "Status",
        status: "Failure",
        reason: "Forbidden",
        code: 403,
        message: 'pods "big-" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
      });
    }
    expect(deployments().some((d) => d.name === "big")).toBe(false);
  });

  it("an update of the template over the max is 403 too, and changes nothing", async () => {
    const before = deployments().find((d) => d.name === "web");
    const r = await send(
      "PATCH",
      `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      { spec: { template: { spec: { containers: [{ name: "web", resources: { limits: { cpu: "3" } } }] } } } },
      "application/strategic-merge-patch+json",
    );
    expect(r.status).toBe(403);
    expect((await r.json()).message).toBe(
      'pods "web-" is forbidden: maximum cpu usage per Container is 1, but limit is 3',
    );
    expect(deployments().find((d) => d.name === "web")?.resourceVersion).toBe(before?.resourceVersion);
  });

  it("a template within the range is admitted; a LimitRange's own bad spec is still 422 Invalid", async () => {
    expect((await send("POST", `/apis/apps/v1/namespaces/${ns}/deployments`, deployment("fits", "500m"))).status).toBe(
      201,
    );
    const bad = await send("POST", `/api/v1/namespaces/${ns}/limitranges`, {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "upside-down" },
      spec: { limits: [{ type: "Container", min: { cpu: "2" }, max: { cpu: "1" } }] },
    });
    expect(bad.status).toBe(422);
  });
});

describe.skipIf(!hasKubectl)("LimitRange refusals through the real kubectl", () => {
  it("prints Error from server (Forbidden)", async () => {
    const kubectl = kubectlAs(f, f.tokens.a, ns);
    const r = await kubectl.run(["create", "-f", kubectl.file("big.json", deployment("big", "2"))]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /Error from server \(Forbidden\): error when creating ".*big\.json": pods "big-" is forbidden: maximum cpu usage per Container is 1, but limit is 2/,
    );
  });
});
