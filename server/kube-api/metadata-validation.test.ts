/**
 * Label and annotation rules as kube-apiserver applies them (apimachinery's IsQualifiedName and
 * IsValidLabelValue, the 256 KiB annotation total): refused with 422 Invalid naming the field on
 * the Kubernetes API (the real kubectl prints it), with the same text on tRPC, nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labelValueProblems, qualifiedNameProblems } from "../engine/kinds/validation";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";
import { hasKubectl, kubectlAs, type KubectlRunner } from "./testing/kubectl";

let f: KubeFixture;
let kubectl: KubectlRunner;
let ns: string;

beforeAll(async () => {
  f = await startKubeFixture();
  ns = f.tenants.a.namespace;
  kubectl = kubectlAs(f, f.tokens.a, ns);
}, 60_000);
afterAll(async () => f?.close());

function send(method: string, p: string, body: unknown, contentType = "application/merge-patch+json") {
  return f.handler(
    new Request(`https://kube.test${p}`, {
      method,
      headers: { authorization: `Bearer ${f.tokens.a}`, "content-type": contentType, accept: "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

const deploymentPath = () => `/apis/apps/v1/namespaces/${ns}/deployments/web`;
const labelsPatch = (labels: Record<string, string>) => send("PATCH", deploymentPath(), { metadata: { labels } });

describe("the rules, in apimachinery's words", () => {
  it("qualified names: an optional DNS-subdomain prefix ≤ 253, a name part ≤ 63", () => {
    for (const ok of ["app", "My.Name_1", "example.com/MyName", "a.b-c.d/x", `${"p".repeat(253)}/n`, "n".repeat(63)])
      expect(qualifiedNameProblems(ok), ok).toEqual([]);
    expect(qualifiedNameProblems("n".repeat(64))).toEqual(["name part must be no more than 63 characters"]);
    expect(qualifiedNameProblems(`${"p".repeat(254)}/n`)).toEqual(["prefix part must be no more than 253 characters"]);
    expect(qualifiedNameProblems("Example.com/x")[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain must/);
    expect(qualifiedNameProblems("/x")).toEqual(["prefix part must be non-empty"]);
    expect(qualifiedNameProblems("a/")).toContain("name part must be non-empty");
    expect(qualifiedNameProblems("-bad")[0]).toMatch(
      /^name part must consist of alphanumeric characters, '-', '_' or '\.'/,
    );
    expect(qualifiedNameProblems("a/b/c")[0]).toMatch(
      /^a qualified name must consist of .* with an optional DNS subdomain prefix/,
    );
  });
  it("label values: empty, or ≤ 63 of the name form", () => {
    for (const ok of ["", "v1", "my_value.2", "v".repeat(63)]) expect(labelValueProblems(ok), ok).toEqual([]);
    expect(labelValueProblems("v".repeat(64))).toEqual(["must be no more than 63 characters"]);
    expect(labelValueProblems("has space")[0]).toMatch(/^a valid label must be an empty string or consist of/);
  });
});

describe("on the Kubernetes API", () => {
  it("a bad label key or value is 422 Invalid at metadata.labels; nothing changes", async () => {
    const before = [...f.h.services.engine.eachObject("Deployment")].find((d) => d.name === "web");
    const r = await labelsPatch({ "-bad": "x" });
    expect(r.status).toBe(422);
    const status = await r.json();
    expect(status).toMatchObject({ reason: "Invalid", code: 422, details: { name: "web", kind: "Deployment" } });
    expect(status.details.causes[0]).toMatchObject({ reason: "FieldValueInvalid", field: "metadata.labels" });
    expect(status.details.causes[0].message).toMatch(/^Invalid value: "-bad": name part must consist of/);
    const value = await (await labelsPatch({ tier: "v".repeat(64) })).json();
    expect(value.details.causes[0].message).toBe(
      `Invalid value: "${"v".repeat(64)}": must be no more than 63 characters`,
    );
    const after = [...f.h.services.engine.eachObject("Deployment")].find((d) => d.name === "web");
    expect(after?.resourceVersion).toBe(before?.resourceVersion);
    // Good ones pass: a prefixed key, an empty value.
    expect((await labelsPatch({ "example.com/team": "", tier: "web" })).status).toBe(200);
  });

  it("annotation keys may have an upper-case prefix; all of them together hold at most 256 KiB", async () => {
    const ok = await send("PATCH", deploymentPath(), {
      metadata: { annotations: { "Example.com/Note": "free text, any form" } },
    });
    expect(ok.status).toBe(200);
    const bad = await (await send("PATCH", deploymentPath(), { metadata: { annotations: { "a b": "x" } } })).json();
    expect(bad.details.causes[0]).toMatchObject({ field: "metadata.annotations" });
    const big = await send("PATCH", deploymentPath(), { metadata: { annotations: { big: "é".repeat(131_072) } } });
    expect(big.status).toBe(422);
    expect((await big.json()).details.causes[0]).toMatchObject({
      field: "metadata.annotations",
      message: "Too long: must have at most 262144 bytes",
    });
  });

  it("a pod template's and a namespace's labels are held to the same rules", async () => {
    const created = await send(
      "POST",
      `/apis/apps/v1/namespaces/${ns}/deployments`,
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "badtpl" },
        spec: {
          selector: { matchLabels: { app: "badtpl" } },
          template: {
            metadata: { labels: { app: "badtpl", "x/y/z": "1" } },
            spec: { containers: [{ name: "main", image: "nginx:1.27" }] },
          },
        },
      },
      "application/json",
    );
    expect(created.status).toBe(422);
    expect((await created.json()).message).toMatch(/labels: Invalid value: "x\/y\/z": a qualified name must/);
    const namespace = await send(
      "POST",
      "/api/v1/namespaces",
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-a-x", labels: { "team ": "a" } } },
      "application/json",
    );
    expect(namespace.status).toBe(422);
  });
});

describe("on tRPC", () => {
  it("refuses with the field and the rule", async () => {
    const a = await f.ownerA.caller();
    await expect(
      a.deployments.create({
        name: "trpc-bad",
        replicas: 1,
        template: {
          labels: { app: "trpc-bad", "bad key": "x" },
          spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
        },
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/template\.labels: Invalid value: "bad key": name part must consist of/),
    });
  });
});

describe.skipIf(!hasKubectl)("through the real kubectl", () => {
  it("prints the server's refusal with the field", async () => {
    const r = await kubectl.run([
      "patch",
      "deployment",
      "web",
      "--type",
      "merge",
      "-p",
      '{"metadata":{"labels":{"-bad":"x"}}}',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /The Deployment "web" is invalid: metadata\.labels: Invalid value: "-bad": name part must/,
    );
    const ok = await kubectl.run(["label", "deployment", "web", "example.com/owner=team-a"]);
    expect(ok.code, ok.stderr).toBe(0);
  });
});
