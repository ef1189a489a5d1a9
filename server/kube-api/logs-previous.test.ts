/**
 * `kubectl logs --previous` through the real kubectl: a container restarted by its failing
 * liveness probe shows its killed instance's log, the current one only the new instance's; a
 * container that never restarted is refused in the kubelet's words. Skipped without kubectl.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pod } from "../engine";
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

const podsOf = (app: string): Pod[] =>
  [...f.h.services.engine.eachObject("Pod")].filter(
    (p) => p.namespace === ns && p.labels.app === app && p.deletionTimestamp === undefined,
  );

/** Drives the engine's virtual clock until `check` holds (rejects after 15 s of real time). */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await f.h.services.engine.runFor(5_000);
  }
}

const manifest = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "flaky" },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "flaky" } },
    template: {
      metadata: { labels: { app: "flaky" } },
      spec: {
        containers: [
          {
            name: "main",
            image: "nginx:1.27",
            args: ["--serve"],
            env: [{ name: "SIM_LIVENESS_FAIL_AFTER_SECONDS", value: "30" }],
            livenessProbe: { exec: { command: ["cat", "/tmp/healthy"] }, periodSeconds: 5 },
            resources: { requests: { cpu: "50m", memory: "64Mi" } },
          },
        ],
      },
    },
  },
};

describe.skipIf(!hasKubectl)("kubectl logs --previous", () => {
  it("shows the instance a failing liveness probe killed; the current log is the new instance's", async () => {
    const applied = await kubectl.run(["apply", "-f", kubectl.file("flaky.json", manifest)]);
    expect(applied.code, applied.stderr).toBe(0);
    await until(() => {
      const c = podsOf("flaky")[0]?.status.containerStatuses[0];
      return c !== undefined && c.restartCount >= 1 && "running" in c.state;
    }, "the flaky container's restart");
    const pod = podsOf("flaky")[0] as Pod;

    const previous = await kubectl.run(["logs", pod.name, "--previous"]);
    expect(previous.code, previous.stderr).toBe(0);
    const lines = previous.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/ starting nginx:1\.27 --serve$/);
    expect(lines.at(-1)).toMatch(/ process exited with code 137$/);

    const current = await kubectl.run(["logs", pod.name, "-c", "main"]);
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout).toMatch(/ starting nginx:1\.27 --serve\n/);
    expect(current.stdout).not.toContain("process exited");

    const tail = await kubectl.run(["logs", pod.name, "--previous", "--tail=1"]);
    expect(tail.stdout.trim()).toMatch(/ process exited with code 137$/);
  }, 60_000);

  it("refuses a container that never restarted, as the kubelet does", async () => {
    const pod = podsOf("web")[0] as Pod;
    expect(pod.status.containerStatuses[0]?.restartCount).toBe(0);
    const r = await kubectl.run(["logs", pod.name, "--previous"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`previous terminated container "web" in pod "${pod.name}" not found`);
  });
});
