/**
 * cloudctl's resource quotas (run in this process through cli/main.ts's `run`) against the
 * tRPC handler on a real port: create with --hard, get (kubectl's NAME AGE REQUEST LIMIT, -A
 * adds NAMESPACE), describe, apply -f to change one, delete; a deployment over a quota fails
 * with the server's reason; mistakes in --hard are usage errors (exit 2).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@/server/testing/http-server";
import { run } from "./main";
import { parseHard } from "./quota-hard";

let server: TestServer;
let dir: string;

async function cloudctl(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    readStdin: async () => "",
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
const lines = (text: string) => text.trimEnd().split("\n");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cloudctl-quota-"));
  server = await startTestServer({ timeScale: 50 });
  const kappa = await server.tenantWithToken("owner@kappa.test", "kappa", { minNodes: 1 });
  await kappa.caller.namespaces.create({ name: "kappa-dev" });
  process.env.CLOUDCTL_CONFIG = join(dir, "config.json");
  process.env.CLOUDCTL_URL = server.url;
  process.env.CLOUDCTL_TOKEN = kappa.token;
}, 60_000);
afterAll(async () => {
  delete process.env.CLOUDCTL_URL;
  delete process.env.CLOUDCTL_TOKEN;
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("--hard", () => {
  it("reads kubectl's resources, requests.* as the plain ones", () => {
    expect(parseHard("cpu=2,memory=4Gi,pods=10", "create")).toEqual({ cpu: "2", memory: "4Gi", pods: 10 });
    expect(parseHard("requests.cpu=500m, requests.memory=1Gi", "create")).toEqual({ cpu: "500m", memory: "1Gi" });
  });

  it("refuses what quotas cannot limit, bad entries, repeats and a missing flag", () => {
    for (const [text, message] of [
      ["services=3", 'unsupported resource "services"'],
      ["limits.cpu=1", 'unsupported resource "limits.cpu"'],
      ["cpu", 'bad --hard entry "cpu"'],
      ["pods=1.5", "pods must be a whole number"],
      ["cpu=1,requests.cpu=2", "names cpu twice"],
      ["", "missing --hard"],
    ] as const)
      expect(() => parseHard(text, "create")).toThrow(message);
  });
});

describe("cloudctl resource quotas", () => {
  it("creates one, refuses a deployment over it with the reason, lists, describes, changes and deletes it", async () => {
    expect(
      await cloudctl(["create", "quota", "compute", "-n", "kappa-dev", "--hard", "cpu=1,memory=1Gi,pods=2"]),
    ).toMatchObject({ code: 0, stdout: "resourcequota/compute created" });
    expect(await cloudctl(["create", "resourcequota", "compute", "-n", "kappa-dev", "--hard", "pods=9"])).toMatchObject(
      { code: 1, stderr: 'error: resourcequotas "compute" already exists' },
    );

    const refused = await cloudctl([
      "create",
      "deployment",
      "web",
      "--image",
      "nginx:1.27",
      "--replicas",
      "3",
      "-n",
      "kappa-dev",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: .*pods: 3 more requested, 0 of 2 in use.*\(QUOTA_EXCEEDED\)$/);
    expect(
      await cloudctl(["create", "deployment", "web", "--image", "nginx:1.27", "--replicas", "2", "-n", "kappa-dev"]),
    ).toMatchObject({ code: 0 });

    // Usage counts the pods once they exist (the server's clock runs 50 times faster).
    let table = await cloudctl(["get", "quota", "-n", "kappa-dev"]);
    for (let i = 0; i < 100 && !table.stdout.includes("pods: 2/2"); i++) {
      await new Promise((r) => setTimeout(r, 100));
      table = await cloudctl(["get", "quota", "-n", "kappa-dev"]);
    }
    expect(lines(table.stdout)[0]).toMatch(/^NAME\s+AGE\s+REQUEST\s+LIMIT$/);
    expect(lines(table.stdout)[1]).toMatch(/^compute\s+\S+\s+cpu: 200m\/1, memory: 256Mi\/1Gi, pods: 2\/2$/);

    const all = await cloudctl(["get", "resourcequotas", "-A"]);
    expect(lines(all.stdout)[0]).toMatch(/^NAMESPACE\s+NAME\s+AGE\s+REQUEST\s+LIMIT$/);
    expect(
      lines(all.stdout)
        .slice(1)
        .map((l) => l.split(/\s+/).slice(0, 2).join("/")),
    ).toEqual(["kappa-dev/compute"]);
    // Without -n: the tenant's default namespace, which has none.
    expect(await cloudctl(["get", "quota"])).toMatchObject({ code: 0, stdout: "", stderr: "No resourcequotas found." });

    // -o json: the ResourceQuota as the Kubernetes API serves it (quantities as Kubernetes writes them).
    const one = JSON.parse((await cloudctl(["get", "quota", "compute", "-n", "kappa-dev", "-o", "json"])).stdout) as {
      kind: string;
      metadata: { name: string; namespace: string };
      spec: { hard: Record<string, string> };
      status: { hard: Record<string, string> };
    };
    expect(one).toMatchObject({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "compute", namespace: "kappa-dev" },
    });
    expect(Object.values(one.spec.hard).sort()).toEqual(["1", "1Gi", "2"]);
    expect(one.status.hard).toEqual(one.spec.hard);
    expect(await cloudctl(["get", "quota", "nope", "-n", "kappa-dev"])).toMatchObject({ code: 1 });

    const described = await cloudctl(["describe", "quota", "compute", "-n", "kappa-dev"]);
    expect(described.code).toBe(0);
    expect(lines(described.stdout)).toEqual([
      "Name:       compute",
      "Namespace:  kappa-dev",
      expect.stringMatching(/^Resource\s+Used\s+Hard$/),
      expect.stringMatching(/^-+\s+-+\s+-+$/),
      expect.stringMatching(/^cpu\s+200m\s+1$/),
      expect.stringMatching(/^memory\s+256Mi\s+1Gi$/),
      expect.stringMatching(/^pods\s+2\s+2$/),
    ]);

    const manifest = join(dir, "quota.yaml");
    await writeFile(
      manifest,
      "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\n  namespace: kappa-dev\nspec:\n  hard:\n    requests.cpu: 2\n    pods: '5'\n",
    );
    expect(await cloudctl(["apply", "-f", manifest])).toMatchObject({
      code: 0,
      stdout: "resourcequota/compute configured",
    });
    expect((await cloudctl(["get", "quota", "-n", "kappa-dev", "-o", "name"])).stdout).toBe("resourcequota/compute");
    expect(lines((await cloudctl(["get", "quota", "-n", "kappa-dev"])).stdout)[1]).toMatch(
      /^compute\s+\S+\s+cpu: 200m\/2, pods: 2\/5$/,
    );
    expect(await cloudctl(["scale", "deployment", "web", "--replicas", "5", "-n", "kappa-dev"])).toMatchObject({
      code: 0,
    });

    expect(await cloudctl(["delete", "quota", "compute", "-n", "kappa-dev"])).toMatchObject({
      code: 0,
      stdout: 'resourcequota "compute" deleted',
    });
    expect(await cloudctl(["delete", "quota", "compute", "-n", "kappa-dev"])).toMatchObject({
      code: 1,
      stderr: 'error: resourcequota "compute" not found',
    });
    expect(await cloudctl(["get", "quota", "-n", "kappa-dev"])).toMatchObject({ stderr: "No resourcequotas found." });
  }, 60_000);

  it("says what is wrong: usage mistakes exit 2, a quantity the server refuses exits 1 with its words", async () => {
    const usage = await cloudctl(["create", "quota", "q", "--hard", "services=3"]);
    expect(usage.code).toBe(2);
    expect(lines(usage.stderr)[0]).toBe(
      'error: unsupported resource "services" in --hard (quotas limit cpu, memory and pods)',
    );
    expect((await cloudctl(["create", "quota", "q"])).code).toBe(2);
    const bad = await cloudctl(["create", "quota", "q", "-n", "kappa-dev", "--hard", "cpu=lots"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"lots" is not a CPU quantity');
    expect(await cloudctl(["create", "quota", "q", "-n", "nope", "--hard", "pods=1"])).toMatchObject({ code: 1 });
    const manifest = join(dir, "bad-quota.yaml");
    await writeFile(manifest, "kind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard:\n    services: 3\n");
    expect(await cloudctl(["apply", "-f", manifest])).toMatchObject({
      code: 1,
      stderr: `error: ${manifest}: spec.hard.services is not supported (quotas limit cpu, memory and pods)`,
    });
    for (const command of ["create", "get", "delete", "describe"])
      expect((await cloudctl([command, "--help"])).stdout).toContain("quota");
  });
});
