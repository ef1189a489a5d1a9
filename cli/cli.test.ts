/**
 * cloudctl against the tRPC handler on a real port, with a throw-away config directory. Most
 * commands run in this process (cli/test-kit.ts: the same `run` the bin calls, without a Node
 * start each); the bin itself, as `npx cloudctl` runs it, is spawned where only a process shows
 * the behaviour (the saved config's mode, exit codes, the package export).
 */
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@/server/testing/http-server";
import { createCloudClient } from "@/client/index";
import { commands } from "./main";
import { buildBundles, type CliResult, inProcess, spawned } from "./test-kit";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..");
let server: TestServer;
let dir: string;
let token: string;
let betaToken: string;

type Result = CliResult;

/** cloudctl in this process (calls run one after another: they set the environment). */
const cloudctl = (args: string[], env: Record<string, string> = {}) => inProcess(dir, args, env);

const lines = (text: string) => text.trimEnd().split("\n");

beforeAll(async () => {
  await buildBundles();
  dir = await mkdtemp(join(tmpdir(), "cloudctl-test-"));
  server = await startTestServer({ timeScale: 50 });
  token = (await server.tenantWithToken("cli@alpha.test", "alpha", { minNodes: 2 })).token;
  const beta = await server.tenantWithToken("owner@beta.test", "beta");
  betaToken = beta.token;
  await beta.caller.deployments.create({
    name: "private",
    replicas: 1,
    template: { spec: { containers: [{ name: "x", image: "nginx:1.27" }] } },
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("cloudctl against a server", () => {
  it("logs in and saves the context with mode 0600", async () => {
    const login = await spawned(dir, ["login", "--url", server.url, "--token", token]);
    expect(login).toMatchObject({ code: 0, stderr: "" });
    expect(login.stdout).toContain('in tenant "alpha" (context "alpha"');
    expect((await stat(join(dir, "config.json"))).mode & 0o777).toBe(0o600);
    const contexts = await cloudctl(["config", "get-contexts"]);
    expect(lines(contexts.stdout)[0]).toMatch(/^CURRENT\s+NAME\s+SERVER\s+TENANT\s+USER$/);
    expect(contexts.stdout).toContain(server.url);
    expect((await cloudctl(["config", "use-context", "alpha"])).stdout).toContain('Switched to context "alpha"');
  });

  it("creates, applies, waits, scales, rolls back and lists deployments", async () => {
    expect(
      (
        await cloudctl(["create", "deployment", "web", "--image", "nginx:1.27", "--replicas", "2", "--cpu", "250m"])
      ).stdout.trim(),
    ).toBe("deployment/web created");
    const manifest = join(dir, "api.yaml");
    const yaml = (image: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  selector:\n    matchLabels: { app: api }\n  template:\n    metadata:\n      labels: { app: api }\n    spec:\n      containers:\n        - name: api\n          image: ${image}\n          resources:\n            requests: { cpu: 200m, memory: 64Mi }\n`;
    await writeFile(manifest, yaml("nginx:1.26"));
    expect((await cloudctl(["apply", "-f", manifest])).stdout.trim()).toBe("deployment/api created");
    const status = await cloudctl(["rollout", "status", "deployment", "api", "--timeout", "30s"]);
    expect(status).toMatchObject({ code: 0 });
    expect(lines(status.stdout).at(-1)).toBe('deployment "api" successfully rolled out');

    await writeFile(manifest, yaml("nginx:1.27"));
    expect((await cloudctl(["apply", "-f", manifest])).stdout.trim()).toBe("deployment/api configured");
    expect((await cloudctl(["rollout", "status", "deploy/api"])).code).toBe(0);
    expect((await cloudctl(["scale", "deployment", "api", "--replicas", "3"])).stdout.trim()).toBe(
      "deployment/api scaled",
    );
    expect((await cloudctl(["rollout", "undo", "deployment", "api"])).stdout.trim()).toBe("deployment/api rolled back");
    expect((await cloudctl(["rollout", "status", "deployment", "api"])).code).toBe(0);
    expect((await cloudctl(["rollout", "status", "deployment", "web"])).code).toBe(0);

    const table = await cloudctl(["get", "deployments"]);
    expect(table.code).toBe(0);
    const rows = lines(table.stdout);
    expect(rows[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+HEALTH\s+AGE$/);
    expect(rows[1]).toMatch(/^api\s+3\/3\s+3\s+3\s+Available\s+\S+$/);
    expect(rows[2]).toMatch(/^web\s+2\/2\s+2\s+2\s+Available\s+\S+$/);
    // Columns line up: every row's READY starts where the header's does.
    expect(new Set(rows.map((r) => r.search(/\S+\s+\S+\s+\S+\s+\S+\s+\S+$/))).size).toBe(1);

    // -o json prints the Kubernetes objects, a list as kubectl's `v1 List` (the deployments' revisions: `rollout history`).
    const json = JSON.parse((await cloudctl(["get", "deployments", "-o", "json"])).stdout) as {
      apiVersion: string;
      kind: string;
      items: { apiVersion: string; kind: string; metadata: { name: string }; spec: { replicas: number } }[];
    };
    expect(json).toMatchObject({ apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" } });
    expect(json.items.map((d) => [d.apiVersion, d.kind, d.metadata.name, d.spec.replicas])).toEqual([
      ["apps/v1", "Deployment", "api", 3],
      ["apps/v1", "Deployment", "web", 2],
    ]);
    const one = JSON.parse((await cloudctl(["get", "deployment", "api", "-o", "json"])).stdout) as {
      kind: string;
      metadata: { annotations: Record<string, string> };
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(one.kind).toBe("Deployment");
    expect(one.spec.template.spec.containers[0]?.image).toBe("nginx:1.26");
    expect(one.metadata.annotations["deployment.kubernetes.io/revision"]).toBe("3");

    const history = await cloudctl(["rollout", "history", "deployment", "api"]);
    expect(history.stdout).toMatch(/REVISION\s+IMAGES/);
    // describe says why each kept revision exists: the undo made revision 1 current again as revision 3.
    const described = lines((await cloudctl(["describe", "deployment", "api"])).stdout);
    expect(described).toContainEqual(
      expect.stringMatching(/^\s*Revision\s+ReplicaSet\s+Replicas\s+Images\s+Change-Cause$/),
    );
    expect(described).toContainEqual(
      expect.stringMatching(/^\s*3\s+api-\S+\s+3\s+nginx:1\.26\s+rolled back to revision 1$/),
    );
    // The rollout is done once the new pods are available; the old ones may still be terminating.
    let pods = await cloudctl(["get", "pods", "-o", "wide", "-l", "app=api"]);
    for (let i = 0; i < 200 && lines(pods.stdout).length !== 4; i++) {
      await new Promise((r) => setTimeout(r, 50));
      pods = await cloudctl(["get", "pods", "-o", "wide", "-l", "app=api"]);
    }
    expect(lines(pods.stdout)[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE$/);
    expect(lines(pods.stdout).slice(1)).toHaveLength(3);
    // Each pod has its own address in the tenant's default subnet.
    const ips = lines(pods.stdout)
      .slice(1)
      .map((l) => l.split(/\s+/)[5]);
    expect(ips.every((ip) => /^10\.0\.\d+\.\d+$/.test(ip ?? ""))).toBe(true);
    expect(new Set(ips).size).toBe(3);
    expect((await cloudctl(["top", "nodes"])).stdout).toMatch(/^NAME\s+CPU\(requests\)\s+CPU%/);
    const top = lines((await cloudctl(["top", "pods"])).stdout);
    expect(top[0]).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s+CPU\(requests\)\s+MEMORY\(requests\)\s+NODE$/);
    // Every api pod is listed with its requests (usage appears with its first sample).
    expect(top.filter((l) => /^api-\S+\s+(\d+m?|<none>)\s+(\S+)\s+200m\s+64Mi\s/.test(l))).toHaveLength(3);
  });

  it("drains a node: its pods move to the other one", async () => {
    const nodes = lines((await cloudctl(["get", "nodes", "-o", "name"])).stdout);
    expect(nodes).toHaveLength(2);
    const name = nodes[0]!.replace("node/", "");
    const drain = await cloudctl(["drain", "node", name, "--timeout", "30s"]);
    expect(drain).toMatchObject({ code: 0 });
    expect(lines(drain.stdout)[0]).toBe(`node/${name} cordoned`);
    expect(lines(drain.stdout).at(-1)).toBe(`node/${name} drained`);
    const after = await cloudctl(["get", "nodes"]);
    expect(after.stdout).toMatch(new RegExp(`${name}\\s+Ready,SchedulingDisabled\\s+default\\s+0/110`));
    expect((await cloudctl(["rollout", "status", "deployment", "web"])).code).toBe(0);
    expect((await cloudctl(["get", "pods", "-o", "wide"])).stdout).not.toContain(name);
    expect((await cloudctl(["uncordon", name])).stdout.trim()).toBe(`node/${name} uncordoned`);
    expect((await cloudctl(["get", "events"])).stdout).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
  });
});

describe("health, as the server derives it", () => {
  it("get and describe print the health the API serves: a crash loop is Degraded with its reason", async () => {
    const cloud = createCloudClient({ url: server.url, token });
    await cloud.deployments.create.mutate({
      name: "crash",
      replicas: 2,
      template: { labels: { app: "crash" }, spec: { containers: [{ name: "app", image: "myapp:crash" }] } },
    });
    try {
      // Until the back-off is long (5 restarts: 160 s of engine time between runs), so the state holds still while we look.
      for (;;) {
        const d = await cloud.deployments.get.query({ name: "crash" });
        if (
          d.pods.every(
            (p) => (p.status.containerStatuses[0]?.restartCount ?? 0) >= 5 && p.health.reason === "CrashLoopBackOff",
          )
        )
          break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const d = await cloud.deployments.get.query({ name: "crash" });
      expect(d.health).toMatchObject({ state: "Degraded", reason: "CrashLoopBackOff" });
      const row = lines((await cloudctl(["get", "deployments"])).stdout).find((l) => l.startsWith("crash "));
      expect(row).toMatch(/^crash\s+0\/2\s+2\s+0\s+Degraded:CrashLoopBackOff\s+\S+$/);
      const pods = lines((await cloudctl(["get", "pods", "-l", "app=crash"])).stdout).slice(1);
      expect(pods.map((l) => l.split(/\s+/)[0]).sort()).toEqual(d.pods.map((p) => p.name).sort());
      for (const l of pods) expect(l.split(/\s+/)[2]).toBe("CrashLoopBackOff");
      const described = (await cloudctl(["describe", "deployment", "crash"])).stdout;
      expect(described).toMatch(/^Health:\s+Degraded:CrashLoopBackOff$/m);
      expect(described).toMatch(
        /^Blocked By:\s+CrashLoopBackOff: back-off \d+s restarting failed container=app pod=crash-\S+ \(pod crash-\S+ and 1 more\)$/m,
      );
      const pod = (await cloudctl(["describe", "pod", d.pods[0]!.name])).stdout;
      expect(pod).toMatch(/^Status:\s+CrashLoopBackOff$/m);
      expect(pod).toMatch(/^Health:\s+Degraded$/m);
    } finally {
      await cloud.deployments.delete.mutate({ name: "crash" });
    }
  }, 60_000);
});

describe("errors and exit codes", () => {
  const oneLine = (r: Result) => {
    expect(r.stdout).toBe("");
    expect(lines(r.stderr)).toHaveLength(1);
    return r.stderr.trim();
  };

  it("a wrong token: 1, one line", async () => {
    const r = await cloudctl(["get", "pods"], { CLOUDCTL_URL: server.url, CLOUDCTL_TOKEN: "tc_wrong" });
    expect(r.code).toBe(1);
    expect(oneLine(r)).toBe("error: The API token is invalid or has been revoked.");
    const login = await cloudctl(["login", "--url", server.url, "--token", "tc_wrong"]);
    expect(login.code).toBe(1);
  });

  it("another tenant's object: 1, not found", async () => {
    const r = await cloudctl(["get", "deployment", "private"]);
    expect(r.code).toBe(1);
    expect(oneLine(r)).toMatch(/^error: deployment "private" not found$/);
    expect((await cloudctl(["scale", "deployment", "private", "--replicas", "0"])).stderr).toMatch(/not found/);
    // and beta itself sees it
    expect(
      (await cloudctl(["get", "deployment", "private"], { CLOUDCTL_URL: server.url, CLOUDCTL_TOKEN: betaToken })).code,
    ).toBe(0);
  });

  it("a file with bad YAML: 1, says the line", async () => {
    const file = join(dir, "bad.yaml");
    await writeFile(file, "kind: Deployment\nmetadata:\n  name: x\n spec: [\n");
    const r = await cloudctl(["apply", "-f", file]);
    expect(r.code).toBe(1);
    expect(oneLine(r)).toMatch(/^error: .*bad\.yaml: line 4, column \d+: /);
  });

  it("a server that is down: 1, could not reach it (after retries)", async () => {
    const r = await cloudctl(["get", "pods"], { CLOUDCTL_URL: "http://127.0.0.1:9", CLOUDCTL_TOKEN: "x" });
    expect(r.code).toBe(1);
    expect(oneLine(r)).toMatch(
      /^error: could not reach the server at http:\/\/127\.0\.0\.1:9 \(.* after 3 attempts\)$/,
    );
  });

  it("usage mistakes: 2 with a hint", async () => {
    const unknown = await spawned(dir, ["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain("cloudctl --help");
    const flag = await cloudctl(["get", "pods", "--bogus"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown flag '--bogus'[\s\S]*Usage: cloudctl get/);
    expect((await cloudctl(["scale", "deployment", "web"])).code).toBe(2);
    expect((await cloudctl(["get", "widgets"])).code).toBe(2);
    expect((await cloudctl(["bill", "--month", "May"])).code).toBe(2);
  });

  it("bill and invoices: the running month's draft, with a total; an unknown month is an error", async () => {
    const bill = await cloudctl(["bill"]);
    expect(bill.code).toBe(0);
    expect(bill.stdout).toMatch(/^Invoice \d{4}-\d{2} \(month so far \(draft\)\), /);
    expect(bill.stdout).toMatch(/^TOTAL \d+\.\d{2} /m);
    const invoices = await cloudctl(["get", "invoices"]);
    expect(invoices.code).toBe(0);
    expect(invoices.stdout).toMatch(/^ID\s+STATUS\s+PERIOD\s+TOTAL/);
    expect(invoices.stdout).toMatch(/^current\s+draft\s+/m);
    const missing = await cloudctl(["bill", "--month", "2001-01"]);
    expect(missing.code).toBe(1);
    expect(oneLine(missing)).toBe("error: no invoice for 2001-01");
  });

  it("--help on every command: 0; the overview groups console commands apart from kubectl's", async () => {
    for (const c of commands) {
      const r = await cloudctl([c.name, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: cloudctl ${c.name}`);
      if (c.kubectl) expect(r.stdout).toContain(`kubectl --kubeconfig FILE ...):\n  ${c.kubectl.split("\n")[0]}`);
    }
    // The bin itself: help on stdout with 0, no command at all is a usage mistake (2).
    const help = await spawned(dir, ["--help"]);
    expect(help.code).toBe(0);
    const text = help.stdout;
    const consoleAt = text.indexOf("Console commands (kubectl has no equivalent):");
    const objectsAt = text.indexOf("Object commands (kubectl now does these as well or better, as shown under each");
    expect(consoleAt).toBeGreaterThan(0);
    expect(objectsAt).toBeGreaterThan(consoleAt);
    const consoleSection = text.slice(consoleAt, objectsAt);
    for (const name of ["login", "config", "kubeconfig", "bill"])
      expect(consoleSection).toMatch(new RegExp(`^  ${name} `, "m"));
    for (const name of ["get", "scale", "rollout", "logs", "drain"])
      expect(consoleSection).not.toMatch(new RegExp(`^  ${name} `, "m"));
    expect(text.slice(objectsAt)).toMatch(/^ {2}scale\s+.*\n\s+kubectl scale deployment NAME --replicas N$/m);
    expect((await spawned(dir, [])).code).toBe(2);
  });
});

describe("the package export", () => {
  it("a plain Node script imports tenant-cloud-console/client and talks to the server", async () => {
    const script = `import { createCloudClient } from "tenant-cloud-console/client";
const cloud = createCloudClient({ url: process.env.URL, token: process.env.TOKEN });
const { items } = await cloud.deployments.list.query({});
console.log(items.map((d) => d.name).join(","));`;
    const file = join(root, "dist", "probe-script.mjs");
    await writeFile(file, script);
    try {
      const { stdout } = await run(process.execPath, [file], {
        env: { ...process.env, URL: server.url, TOKEN: token },
      });
      expect(stdout.trim()).toBe("api,web");
    } finally {
      await rm(file, { force: true });
    }
  });
});

describe("cloudctl apply in a large tenant", () => {
  it("finds an existing deployment however many the tenant has (more than a page)", async () => {
    const gamma = await server.tenantWithToken("many@gamma.test", "gamma");
    const { id: tenantId } = await gamma.caller.tenants.current();
    const template = { spec: { containers: [{ name: "x", image: "nginx:1.27" }] } };
    // 501 deployments: the one to apply sorts last, past the first page of 500.
    for (let i = 0; i < 500; i++)
      await server.services.engine.createDeployment(tenantId, {
        name: `d${String(i).padStart(3, "0")}`,
        replicas: 0,
        template,
      });
    await server.services.engine.createDeployment(tenantId, { name: "zz-last", replicas: 0, template });
    const file = join(dir, "last.yaml");
    await writeFile(
      file,
      "kind: Deployment\nmetadata:\n  name: zz-last\nspec:\n  replicas: 0\n  template:\n    spec:\n      containers:\n        - name: x\n          image: nginx:1.28\n",
    );
    const r = await cloudctl(["apply", "-f", file], { CLOUDCTL_URL: server.url, CLOUDCTL_TOKEN: gamma.token });
    expect(r).toMatchObject({ code: 0, stdout: "deployment/zz-last configured\n" });
    expect(server.services.engine.getDeployment(tenantId, "zz-last").spec.template.spec.containers[0]?.image).toBe(
      "nginx:1.28",
    );
  }, 120_000);
});

describe("cloudctl namespaces", () => {
  it("creates a namespace, works in it with -n, lists across namespaces with -A, and deletes it", async () => {
    const delta = await server.tenantWithToken("owner@delta.test", "delta");
    const env = { CLOUDCTL_URL: server.url, CLOUDCTL_TOKEN: delta.token };
    expect(await cloudctl(["create", "namespace", "delta-dev"], env)).toMatchObject({
      code: 0,
      stdout: "namespace/delta-dev created\n",
    });
    const ns = await cloudctl(["get", "ns"], env);
    expect(lines(ns.stdout)[0]).toMatch(/^NAME\s+STATUS\s+AGE$/);
    expect(
      lines(ns.stdout)
        .slice(1)
        .map((l) => l.split(/\s+/).slice(0, 2)),
    ).toEqual([
      ["delta", "Active"],
      ["delta-dev", "Active"],
    ]);

    for (const args of [
      ["create", "deployment", "web", "--image", "nginx:1.27", "--replicas", "0"],
      ["create", "deployment", "web", "--image", "nginx:1.27", "--replicas", "0", "-n", "delta-dev"],
    ])
      expect(await cloudctl(args, env)).toMatchObject({ code: 0, stdout: "deployment/web created\n" });
    expect((await cloudctl(["scale", "deployment", "web", "--replicas", "0", "-n", "delta-dev"], env)).code).toBe(0);

    // Without -n: the tenant's default namespace only, as kubectl lists `default`.
    const plain = await cloudctl(["get", "deployments", "-o", "name"], env);
    expect(plain.stdout).toBe("deployment/web\n");
    const inDev = await cloudctl(["get", "deployments", "-n", "delta-dev"], env);
    expect(lines(inDev.stdout)[0]).toMatch(/^NAME\s+READY/);
    const all = await cloudctl(["get", "deployments", "-A"], env);
    expect(lines(all.stdout)[0]).toMatch(/^NAMESPACE\s+NAME\s+READY/);
    expect(
      lines(all.stdout)
        .slice(1)
        .map((l) => l.split(/\s+/).slice(0, 2).join("/"))
        .sort(),
    ).toEqual(["delta-dev/web", "delta/web"]);
    const described = await cloudctl(["describe", "deployment", "web", "-n", "delta-dev"], env);
    expect(described.stdout).toMatch(/^Namespace:\s+delta-dev$/m);

    expect(await cloudctl(["delete", "namespace", "delta-dev"], env)).toMatchObject({
      code: 0,
      stdout: 'namespace "delta-dev" deleted\n',
    });
    const refused = await cloudctl(["delete", "namespace", "delta"], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("default namespace");
    expect(await cloudctl(["get", "deployments", "-n", "nope"], env)).toMatchObject({ code: 1 });
  }, 120_000);

  it("keeps a default namespace in the context (config set-context --namespace)", async () => {
    const epsilon = await server.tenantWithToken("owner@epsilon.test", "epsilon");
    await epsilon.caller.namespaces.create({ name: "epsilon-ops" });
    const login = await cloudctl(["login", "--url", server.url, "--token", epsilon.token, "--name", "eps"]);
    expect(login.code).toBe(0);
    expect(await cloudctl(["config", "set-context", "--current", "--namespace", "epsilon-ops"])).toMatchObject({
      code: 0,
      stdout: 'Context "eps" modified.\n',
    });
    expect(lines((await cloudctl(["config", "get-contexts"])).stdout)[0]).toMatch(/\sNAMESPACE$/);
    await cloudctl(["create", "deployment", "job", "--image", "nginx:1.27", "--replicas", "0"]);
    expect((await epsilon.caller.deployments.get({ name: "job", namespace: "epsilon-ops" })).namespace).toBe(
      "epsilon-ops",
    );
  }, 60_000);
});
