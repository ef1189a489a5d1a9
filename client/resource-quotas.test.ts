/**
 * A namespace's ResourceQuota through the typed client, as a script uses it over HTTP: set,
 * list with used and hard, a deployment over it refused with 403 and reason QUOTA_EXCEEDED,
 * a stale resourceVersion refused with CONFLICT, bad input with 400, delete.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@/server/testing/http-server";
import { createCloudClient, type CloudClient } from "./index";

let server: TestServer;
let cloud: CloudClient;
const template = { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } };

beforeAll(async () => {
  server = await startTestServer({ timeScale: 50 });
  const { token, caller } = await server.tenantWithToken("script@lambda.test", "lambda");
  await caller.namespaces.create({ name: "lambda-dev" });
  cloud = createCloudClient({ url: server.url, token, retries: 1 });
}, 60_000);
afterAll(async () => server?.close());

describe("resource quotas in a script", () => {
  it("sets, reads, enforces and deletes a namespace's quota, with errors a script can tell apart", async () => {
    const set = await cloud.resourceQuotas.set.mutate({ namespace: "lambda-dev", name: "compute", hard: { pods: 1 } });
    expect(set).toMatchObject({ name: "compute", namespace: "lambda-dev", hard: { pods: 1 } });
    expect(typeof set.resourceVersion).toBe("string");

    await expect(
      cloud.deployments.create.mutate({ namespace: "lambda-dev", name: "web", replicas: 2, template }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", reason: "QUOTA_EXCEEDED", httpStatus: 403 });
    // Other namespaces (here the tenant's default) are not limited by it.
    await cloud.deployments.create.mutate({ name: "web", replicas: 2, template });

    await cloud.resourceQuotas.set.mutate({
      namespace: "lambda-dev",
      name: "compute",
      hard: { pods: 3 },
      resourceVersion: set.resourceVersion,
    });
    await expect(
      cloud.resourceQuotas.set.mutate({
        namespace: "lambda-dev",
        name: "compute",
        hard: { pods: 9 },
        resourceVersion: set.resourceVersion,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", httpStatus: 409 });
    await expect(
      cloud.resourceQuotas.set.mutate({ namespace: "lambda-dev", hard: { memory: "lots" } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });

    const { items } = await cloud.resourceQuotas.list.query({});
    expect(items.map((q) => [q.namespace, q.name, q.hard, q.used.pods])).toEqual([
      ["lambda-dev", "compute", { pods: 3 }, 0],
    ]);
    await cloud.resourceQuotas.delete.mutate({ namespace: "lambda-dev", name: "compute" });
    expect((await cloud.resourceQuotas.list.query({ namespace: "lambda-dev" })).items).toEqual([]);
  });
});
