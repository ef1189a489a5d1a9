/**
 * The typed client as a script uses it, against the tRPC handler on a real port (a fresh
 * database, the engine's clock 50× faster than real time): deploy, wait, scale, roll back,
 * drain, read events; and the errors a script must be able to tell apart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@/server/testing/http-server";
import { CloudError, createCloudClient, waitForRollout, type CloudClient } from "./index";

let server: TestServer;
let cloud: CloudClient;
let otherToken: string;
const template = (image: string) => ({
  labels: { app: "web" },
  spec: { containers: [{ name: "web", image, resources: { requests: { cpu: "250m", memory: "128Mi" }, limits: {} } }] },
});

beforeAll(async () => {
  server = await startTestServer({ timeScale: 50 });
  const alpha = await server.tenantWithToken("script@alpha.test", "alpha", { minNodes: 2 });
  otherToken = (await server.tenantWithToken("owner@beta.test", "beta")).token;
  cloud = createCloudClient({ url: server.url, token: alpha.token });
}, 60_000);
afterAll(async () => server?.close());

const runningImages = async () => {
  const pods = (await cloud.pods.list.query({ deployment: "web", limit: 500 })).items.filter(
    (p) => p.deletionTimestamp === undefined && p.status.phase === "Running",
  );
  return {
    count: pods.length,
    images: [...new Set(pods.map((p) => p.spec.containers[0]?.image))],
    nodes: pods.map((p) => p.nodeName),
  };
};

describe("a deployment script", () => {
  it("creates, waits for the rollout, scales, updates, rolls back, drains and reads events", async () => {
    expect(await cloud.tenants.current.query()).toMatchObject({ slug: "alpha" });
    await cloud.deployments.create.mutate({ name: "web", replicas: 3, template: template("nginx:1.26") });
    const messages: string[] = [];
    const created = await waitForRollout(cloud, "web", {
      timeoutMs: 20_000,
      intervalMs: 100,
      onProgress: (p) => messages.push(p.message),
    });
    expect(created.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(messages.at(-1)).toBe('deployment "web" successfully rolled out');

    await cloud.deployments.scale.mutate({ name: "web", replicas: 5 });
    await waitForRollout(cloud, "web", { timeoutMs: 20_000, intervalMs: 100 });
    expect((await runningImages()).count).toBe(5);

    await cloud.deployments.update.mutate({ name: "web", template: template("nginx:1.27") });
    await waitForRollout(cloud, "web", { timeoutMs: 20_000, intervalMs: 100 });
    expect(await runningImages()).toMatchObject({ count: 5, images: ["nginx:1.27"] });

    await cloud.deployments.rollback.mutate({ name: "web" });
    const rolledBack = await waitForRollout(cloud, "web", { timeoutMs: 20_000, intervalMs: 100 });
    expect(await runningImages()).toMatchObject({ count: 5, images: ["nginx:1.26"] });
    expect(rolledBack.revisions.map((r) => r.revision)).toEqual([2, 3]);

    const nodes = (await cloud.nodes.list.query({})).items;
    expect(nodes.filter((n) => n.phase === "Ready")).toHaveLength(2);
    const busiest = nodes.reduce((a, b) => (b.podsRemaining > a.podsRemaining ? b : a));
    await cloud.nodes.drain.mutate({ name: busiest.name });
    await expect
      .poll(async () => (await cloud.nodes.get.query({ name: busiest.name })).podsRemaining, {
        timeout: 20_000,
        interval: 100,
      })
      .toBe(0);
    await waitForRollout(cloud, "web", { timeoutMs: 20_000, intervalMs: 100 });
    const after = await runningImages();
    expect(after.count).toBe(5);
    expect(after.nodes.every((n) => n !== busiest.name)).toBe(true);

    const events = (await cloud.events.list.query({ limit: 500 })).items;
    expect(events.some((e) => e.reason === "ScalingReplicaSet" && e.objectName === "web")).toBe(true);
    expect(events.some((e) => e.reason === "DeploymentRollback")).toBe(true);
  });

  it("reads the month's bill: lines that add up to the total", async () => {
    const bill = await cloud.billing.invoice.query({ id: "current" });
    expect(bill.status).toBe("draft");
    expect(bill.lines.reduce((sum, l) => sum + l.amountMinor, 0n)).toBe(bill.totalMinor);
  });

  it("fails a rollout that exceeds its progress deadline", async () => {
    await cloud.deployments.create.mutate({
      name: "broken",
      replicas: 1,
      progressDeadlineSeconds: 30,
      template: template("nginx:missing"),
    });
    const error = await waitForRollout(cloud, "broken", { timeoutMs: 20_000, intervalMs: 100 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({
      code: "ROLLOUT_FAILED",
      message: 'deployment "broken" exceeded its progress deadline',
    });
  });
});

describe("namespaces in a script", () => {
  it("creates a namespace, rolls a deployment out in it and reads views with string resource versions", async () => {
    await cloud.namespaces.create.mutate({ name: "alpha-batch" });
    await cloud.deployments.create.mutate({
      namespace: "alpha-batch",
      name: "web",
      replicas: 1,
      template: template("nginx:1.27"),
    });
    const done = await waitForRollout(cloud, "web", { namespace: "alpha-batch", timeoutMs: 60_000, intervalMs: 50 });
    expect(done.namespace).toBe("alpha-batch");
    expect(done.resourceVersion).toMatch(/^\d+$/);
    expect(done).not.toHaveProperty("tenantId");
    const names = (await cloud.namespaces.list.query()).items.map((n) => [n.name, n.default]);
    expect(names).toEqual(
      expect.arrayContaining([
        ["alpha", true],
        ["alpha-batch", false],
      ]),
    );
    await expect(cloud.deployments.get.query({ namespace: "beta", name: "web" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  }, 60_000);
});

describe("errors a script can tell apart", () => {
  it("a wrong token: UNAUTHORIZED with the server's one-line reason", async () => {
    const bad = createCloudClient({ url: server.url, token: "tc_not-a-real-token" });
    await expect(bad.pods.list.query({})).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: "The API token is invalid or has been revoked.",
    });
  });

  it("a revoked token says so", async () => {
    const user = await server.signUp("revoker@gamma.test");
    await (await user.caller()).tenants.create({ name: "Gamma", slug: "gamma" });
    const owner = await user.caller();
    const token = await owner.tokens.create({ name: "short-lived" });
    const client = createCloudClient({ url: server.url, token: token.secret });
    expect(await client.tenants.current.query()).toMatchObject({ slug: "gamma" });
    await owner.tokens.revoke({ tokenId: token.id });
    await expect(client.tenants.current.query()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: "The API token is invalid or has been revoked.",
    });
  });

  it("another tenant's object is NOT_FOUND, and the precise reason travels", async () => {
    const beta = createCloudClient({ url: server.url, token: otherToken });
    await expect(beta.deployments.get.query({ name: "web" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      reason: "NOT_FOUND",
    });
    await expect(beta.deployments.scale.mutate({ name: "web", replicas: 1 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(cloud.deployments.scale.mutate({ name: "web", replicas: -1 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Replicas cannot be negative.",
    });
  });

  it("a server that is down: reads retry with back-off, then one NETWORK error", async () => {
    const down = createCloudClient({ url: "http://127.0.0.1:9", token: "x", retryDelayMs: 50 });
    const started = Date.now();
    const error = await down.pods.list.query({}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NETWORK" });
    expect((error as Error).message).toMatch(
      /^could not reach the server at http:\/\/127\.0\.0\.1:9 \(.* after 3 attempts\)$/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(150); // 50 + 100 ms of back-off at least
  });

  it("mutations are not retried when the request may have reached the server; reads are", async () => {
    const calls: string[] = [];
    const flaky = (input: string | URL | Request, init?: RequestInit) => {
      calls.push(init?.method ?? "GET");
      return Promise.reject(
        new TypeError("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) }),
      );
    };
    const client = createCloudClient({ url: server.url, token: "x", fetch: flaky, retryDelayMs: 1 });
    await expect(client.deployments.scale.mutate({ name: "web", replicas: 2 })).rejects.toMatchObject({
      code: "NETWORK",
    });
    expect(calls).toEqual(["POST"]);
    calls.length = 0;
    await expect(client.pods.list.query({})).rejects.toMatchObject({ code: "NETWORK" });
    expect(calls).toEqual(["GET", "GET", "GET"]);
  });

  it("a URL that is not the API says so", async () => {
    const wrong = createCloudClient({ url: `${server.url}/elsewhere`, token: "x", retries: 1 });
    await expect(wrong.pods.list.query({})).rejects.toMatchObject({
      code: "BAD_RESPONSE",
      message: expect.stringContaining("check the URL"),
    });
  });
});
