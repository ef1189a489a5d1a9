/** `cloudctl kubeconfig` against the kubeconfig route on a real port; then kubectl uses what it printed. */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, statSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeconfigCommand } from "../../cli/commands/kubeconfig";
import { createKubeconfigHandler } from "./kubeconfig-handler";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";

let f: KubeFixture;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  f = await startKubeFixture();
  const handle = createKubeconfigHandler({ getServices: async () => f.h.services });
  const server = createServer(async (req, res) => {
    const r = await handle(
      new Request(`http://x${req.url}`, { method: req.method, headers: req.headers as Record<string, string> }),
    );
    res.writeHead(r.status, Object.fromEntries(r.headers));
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
}, 120_000);
afterAll(async () => {
  await close?.();
  await f?.close();
});

async function run(args: string[], token: string) {
  const out: string[] = [];
  const saved = { url: process.env.CLOUDCTL_URL, token: process.env.CLOUDCTL_TOKEN, kube: process.env.KUBE_API_URL };
  process.env.CLOUDCTL_URL = url;
  process.env.CLOUDCTL_TOKEN = token;
  process.env.KUBE_API_URL = f.url; // where this test's listener is
  try {
    await kubeconfigCommand.run(args, { out: (t) => out.push(t), err: (t) => out.push(t), readStdin: async () => "" });
  } finally {
    process.env.CLOUDCTL_URL = saved.url;
    process.env.CLOUDCTL_TOKEN = saved.token;
    if (saved.kube === undefined) delete process.env.KUBE_API_URL;
    else process.env.KUBE_API_URL = saved.kube;
  }
  return out.join("\n");
}

describe("cloudctl kubeconfig", () => {
  it("prints a kubeconfig for the logged-in token, or writes it 0600", async () => {
    const printed = await run([], f.tokens.a);
    expect(printed).toMatch(/^apiVersion: v1\nkind: Config/);
    expect(printed).toContain(`server: ${f.url}`);
    const file = path.join(mkdtempSync(path.join(f.dir, "cli-")), "kc.yaml");
    expect(await run(["-o", file], f.tokens.a)).toContain(`to ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toContain(`namespace: ${f.tenants.a.namespace}`);
    if (existsSync("/usr/bin/kubectl")) {
      const got = await new Promise<string>((resolve) =>
        execFile(
          "/usr/bin/kubectl",
          ["--kubeconfig", file, "--cache-dir", path.join(f.dir, "cli-cache"), "get", "deploy", "-o", "name"],
          { encoding: "utf8" },
          (_e, so, se) => resolve(so + se),
        ),
      );
      expect(got).toContain("deployment.apps/web");
    }
  });
  it("says plainly when the server refuses the token", async () => {
    await expect(run([], "bogus")).rejects.toThrow(/HTTP 401/);
  });
});
