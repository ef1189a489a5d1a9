/**
 * cloudctl check (run in this process through cli/main.ts's `run`) against the tRPC handler on a
 * real port: pod to pod and pod to service print "delivered" with the trace and exit 0; an
 * address no pod holds prints "dropped", the reason and the engine's sentence, and exits 1;
 * -o json prints the whole answer; another tenant's pod is not found (1); from the internet, a
 * public IP bound to a pod is delivered (0) and an address bound to nothing dropped (1); mistakes
 * in the arguments are usage errors (2) before anything is asked.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@/server/testing/http-server";
import { parseTarget } from "./commands/check";
import { inProcess } from "./test-kit";

let server: TestServer;
let dir: string;
let env: Record<string, string>;
let a: { name: string; podIP?: string };
let b: { name: string; podIP?: string };
let foreignPod: string;
/** The public IP bound to pod `a`. */
let publicAddress: string;

const app = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
`;

const cloudctl = (args: string[]) => inProcess(dir, args, env);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cloudctl-check-"));
  server = await startTestServer({ timeScale: 50 });
  const lambda = await server.tenantWithToken("owner@lambda.test", "lambda", { minNodes: 1 });
  const mu = await server.tenantWithToken("owner@mu.test", "mu", { minNodes: 1 });
  env = { CLOUDCTL_URL: server.url, CLOUDCTL_TOKEN: lambda.token };
  await lambda.caller.manifests.applyYaml({ yaml: app });
  await mu.caller.manifests.applyYaml({ yaml: app });
  expect((await cloudctl(["rollout", "status", "deployment", "web", "--timeout", "60s"])).code).toBe(0);
  const pods = (await lambda.caller.pods.list({})).items;
  expect(pods).toHaveLength(2);
  const [first, second] = pods;
  if (!first || !second) throw new Error("the deployment's two pods are missing");
  [a, b] = [first, second];
  foreignPod = (await mu.caller.pods.list({})).items[0]?.name ?? "";
  expect(foreignPod).not.toBe("");
  // lambda's owner signed up first: the installation's operator, who fills the public pool.
  await lambda.caller.publicIpsAdmin.createPool({ name: "public-1", cidrs: ["203.0.113.0/28"] });
  await lambda.caller.publicIps.allocate({ name: "web-ip" });
  publicAddress = (await lambda.caller.publicIps.bind({ name: "web-ip", target: { kind: "Pod", name: a.name } }))
    .address;
}, 120_000);
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("cloudctl check", () => {
  it("pod to pod: delivered with the trace, exit 0", async () => {
    const r = await cloudctl(["check", a.name, "--to", `pod/${b.name}`, "--port", "80"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    const out = r.stdout.split("\n");
    expect(out[0]).toBe(
      `delivered: pod/${a.name} (${a.podIP}) → pod/${b.name} (${b.podIP}) tcp/80 via the private path`,
    );
    expect(out[2]).toMatch(/^STAGE\s+OUTCOME\s+DETAIL$/);
    expect(r.stdout).toMatch(/\nroute\s+passed\s+/);
  });

  it("pod to service: delivered to one of its endpoints", async () => {
    const r = await cloudctl(["check", `pod/${a.name}`, "--to", "svc/web", "--port", "80", "--protocol", "tcp"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(
      /^delivered: .* → svc\/\S*web\S* → pod\/web-\S+ \(10\.\d+\.\d+\.\d+\) tcp\/80/,
    );
  });

  it("an address no pod holds: dropped with the reason, exit 1; -o json has the whole answer", async () => {
    const r = await cloudctl(["check", a.name, "--to", "10.0.0.250", "--port", "80"]);
    expect(r.code).toBe(1);
    const out = r.stdout.split("\n");
    expect(out[0]).toMatch(/^dropped: .* → 10\.0\.0\.250 tcp\/80$/);
    expect(out[1]).toBe("reason: no-route");
    expect(out[2]).toContain("10.0.0.250");
    const json = await cloudctl(["check", a.name, "--to", "10.0.0.250", "--port", "80", "-o", "json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: "dropped", reason: { code: "no-route" } });
  });

  it("another tenant's pod is not found: exit 1, one line", async () => {
    const r = await cloudctl(["check", a.name, "--to", `pod/${foreignPod}`, "--port", "80"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*not found/i);
  });

  it("from the internet to a public IP bound to a pod: delivered along the public path, exit 0", async () => {
    const r = await cloudctl(["check", "--from-internet", "--to-address", publicAddress, "--port", "80"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout.split("\n")[0]).toBe(
      `delivered: internet (192.0.2.1) → pod/${a.name} (${publicAddress}) tcp/80 via the public path`,
    );
    const json = await cloudctl([
      "check",
      "--from-internet",
      "198.51.100.20",
      "--to",
      publicAddress,
      "--port",
      "80",
      "-o",
      "json",
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ source: { internet: true, ip: "198.51.100.20" } });
  });

  it("from the internet to an address bound to nothing: dropped, no route, exit 1", async () => {
    const r = await cloudctl(["check", "--from-internet", "--to-address", "203.0.113.14", "--port", "443"]);
    expect(r.code).toBe(1);
    const out = r.stdout.split("\n");
    expect(out[0]).toBe("dropped: internet (192.0.2.1) → 203.0.113.14 tcp/443");
    expect(out[1]).toBe("reason: no-route");
    expect(out[2]).toContain("203.0.113.14");
  });

  it("argument mistakes are usage errors (2)", async () => {
    for (const args of [
      ["check"],
      ["check", "web", "--port", "80"],
      ["check", "web", "--to", "svc/web"],
      ["check", "web", "--to", "svc/web", "--port", "0"],
      ["check", "web", "--to", "node/x", "--port", "80"],
      ["check", "web", "--to", "10.0.0.300", "--port", "80"],
      ["check", "web", "--to", "svc/web", "--port", "80", "--protocol", "gre"],
      ["check", "web", "--to", "svc/web", "--to-address", "10.0.0.7", "--port", "80"],
      ["check", "web", "--to-address", "svc/web", "--port", "80"],
      ["check", "--from-internet", "--port", "80"],
      ["check", "--from-internet", "--to", "pod/web", "--port", "80"],
      ["check", "--from-internet", "--to", "svc/web", "--port", "80"],
      ["check", "--from-internet", "203.0.113", "--to-address", "203.0.113.5", "--port", "80"],
      ["check", "--from-internet", "198.51.100.20", "extra", "--to-address", "203.0.113.5", "--port", "80"],
      ["check", "--from-internet", "--to-address", "203.0.113.5"],
    ]) {
      const r = await cloudctl(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain("Usage: cloudctl check POD");
    }
    expect((await cloudctl(["check", "web", "--to", "pod/x", "--protocol", "icmp", "-o", "yaml"])).code).not.toBe(2);
    const help = await cloudctl(["check", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Exit code 0 when delivered, 1 when dropped.");
    expect(help.stdout).toContain("cloudctl check --from-internet [ADDRESS] --to-address PUBLIC_IP");
    expect(help.stdout).toMatch(/--from-internet\s+Start on the internet/);
  });
});

describe("--to", () => {
  it("reads pod/NAME, svc/NAME and addresses, in the command's namespace", () => {
    expect(parseTarget("pod/db-0", "shop")).toEqual({ pod: "db-0", namespace: "shop" });
    expect(parseTarget("service/db", undefined)).toEqual({ service: "db" });
    expect(parseTarget("203.0.113.7", "shop")).toEqual({ address: "203.0.113.7" });
  });
});
