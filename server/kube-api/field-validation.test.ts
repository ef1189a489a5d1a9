/**
 * fieldValidation with real kubectl: `apply --validate=strict|warn|ignore` (client-side and
 * --server-side) of manifests with a field the schema does not declare, and duplicate fields in
 * the handler in-process. A field the schema declares but the server does not model is kept and
 * warned about whatever the validation. Skipped without kubectl.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duplicateFields } from "./convert/field-validation";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";
import { hasKubectl, kubectlAs, type KubectlRunner } from "./testing/kubectl";

let f: KubeFixture;
let kubectl: KubectlRunner;
let ns: string;

type Obj = Record<string, unknown>;

const manifest = (name: string, extra: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "main", image: "nginx:1.27", bogus: 1 }], hostNetwork: true },
      },
      ...extra,
    },
  });

function post(path: string, body: string, query = "") {
  return f.handler(
    new Request(`https://kube.test${path}${query}`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.tokens.a}`, "content-type": "application/json" },
      body,
    }),
  );
}

describe.skipIf(!hasKubectl)("fieldValidation with real kubectl", () => {
  beforeAll(async () => {
    f = await startKubeFixture();
    ns = f.tenants.a.namespace;
    kubectl = kubectlAs(f, f.tokens.a, ns);
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it("--validate=strict refuses unknown fields by name; warn keeps going with a warning; ignore is silent", async () => {
    const strict = await kubectl.run([
      "apply",
      "--validate=strict",
      "-f",
      kubectl.file("s.json", manifest("strict", { foo: 1 })),
    ]);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toMatch(/BadRequest/);
    expect(strict.stderr).toMatch(
      /strict decoding error: unknown field "spec\.foo", unknown field "spec\.template\.spec\.containers\[0\]\.bogus"/,
    );
    expect((await kubectl.run(["get", "deploy", "strict"])).stderr).toMatch(/NotFound/);

    const warn = await kubectl.run([
      "apply",
      "--validate=warn",
      "-f",
      kubectl.file("w.json", manifest("warn", { foo: 1 })),
    ]);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toMatch(/Warning: unknown field "spec\.foo"/);
    expect(warn.stderr).toMatch(/Warning: unknown field "spec\.template\.spec\.containers\[0\]\.bogus"/);
    // A field Kubernetes has and this server does not model is kept, and said so.
    expect(warn.stderr).toMatch(/spec\.template\.spec\.hostNetwork: stored as given/);
    const stored = JSON.parse(await kubectl.ok(["get", "deploy", "warn", "-o", "json"])) as {
      spec: Record<string, unknown> & { template: { spec: Record<string, unknown> & { containers: Obj[] } } };
    };
    expect(stored.spec.foo).toBeUndefined();
    expect(stored.spec.template.spec.containers[0]?.bogus).toBeUndefined();
    expect(stored.spec.template.spec.hostNetwork).toBe(true);

    const ignore = await kubectl.run([
      "apply",
      "--validate=ignore",
      "-f",
      kubectl.file("i.json", manifest("ignore", { foo: 1 })),
    ]);
    expect(ignore.code).toBe(0);
    expect(ignore.stderr).not.toMatch(/unknown field/);
    expect(await kubectl.ok(["get", "deploy", "ignore", "-o", "jsonpath={.spec.replicas}"])).toBe("1");
  });

  it("server-side apply and config maps follow the parameter too", async () => {
    const ssa = await kubectl.run([
      "apply",
      "--server-side",
      "--validate=strict",
      "-f",
      kubectl.file("ssa.json", manifest("ssa", { foo: 1 })),
    ]);
    expect(ssa.stderr).toMatch(/unknown field "spec\.foo"/);
    expect((await kubectl.run(["get", "deploy", "ssa"])).stderr).toMatch(/NotFound/);
    const ssaWarn = await kubectl.run([
      "apply",
      "--server-side",
      "--validate=warn",
      "-f",
      kubectl.file("ssa2.json", manifest("ssa", { foo: 1 })),
    ]);
    expect(ssaWarn.code).toBe(0);
    expect(ssaWarn.stderr).toMatch(/Warning: unknown field "spec\.foo"/);

    const cm = kubectl.file(
      "cm.json",
      JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, extra: 1 }),
    );
    expect((await kubectl.run(["apply", "--validate=strict", "-f", cm])).stderr).toMatch(
      /ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra"/,
    );
    expect((await kubectl.run(["apply", "--validate=warn", "-f", cm])).stderr).toMatch(
      /Warning: unknown field "extra"/,
    );
  });

  it("duplicate fields: Strict refuses them by path, the default warns and keeps the last", async () => {
    const body = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"a":"1","a":"2"}}`;
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const strict = await post(path, body, "?fieldValidation=Strict");
    expect(strict.status).toBe(400);
    expect(((await strict.json()) as { message: string }).message).toMatch(/duplicate field "data\.a"/);
    const warned = await post(path, body);
    expect(warned.status).toBe(201);
    expect(warned.headers.get("warning")).toBe('299 - "duplicate field \\"data.a\\""');
    expect(((await warned.json()) as { data: unknown }).data).toEqual({ a: "2" });
    expect((await post(path, body, "?fieldValidation=Nope")).status).toBe(422);
  });
});

describe("duplicate fields", () => {
  it("are found by path in JSON (escapes, lists, nesting) and YAML", () => {
    expect(
      duplicateFields('{"a":1,"b":{"c":"x,\\"y","c":2},"l":[{"n":1},{"n":1,"n":2}],"k\\u0041":1,"kA":2,"a":3}'),
    ).toEqual(["b.c", "l[1].n", "kA", "a"]);
    expect(duplicateFields("metadata:\n  name: x\n  name: y\nspec:\n  - a: 1\n    a: 2\n")).toEqual([
      "metadata.name",
      "spec[0].a",
    ]);
    expect(duplicateFields('{"a":{"b":1},"c":[1,2,{"b":1}]}')).toEqual([]);
  });
});
