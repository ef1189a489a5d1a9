/**
 * Errors over real HTTP in the caller's language: the locale cookie (or Accept-Language)
 * picks the language; without either a script gets English; the tRPC code, `data.reason`
 * and the message as data (`data.detail`) are the same in every language.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfHeader } from "../http/guards";
import { startTestServer, type TestServer } from "../testing/http-server";

let server: TestServer;
let token: string;
const template = {
  labels: { app: "web" },
  spec: {
    containers: [
      { name: "web", image: "nginx:1.27", resources: { requests: { cpu: "250m", memory: "128Mi" }, limits: {} } },
    ],
  },
};

beforeAll(async () => {
  server = await startTestServer({ timeScale: 50 });
  const alpha = await server.tenantWithToken("owner@i18n.test", "i18n");
  token = alpha.token;
  await alpha.caller.deployments.create({ name: "web", replicas: 1, template });
}, 60_000);
afterAll(async () => server?.close());

interface ErrorBody {
  error: {
    json: {
      message: string;
      code: number;
      data: {
        code: string;
        httpStatus: number;
        reason?: string;
        field?: string;
        detail?: { key: string };
        fieldErrors?: Record<string, string[]>;
      };
    };
  };
}

async function mutate(
  path: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: ErrorBody }> {
  const res = await fetch(`${server.url}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, [csrfHeader]: "test", ...headers },
    body: JSON.stringify({ json: input }),
  });
  return { status: res.status, body: (await res.json()) as ErrorBody };
}

describe("errors in the caller's language", () => {
  it("a quota refusal: Chinese with the zh-CN cookie, English without, the same reason and data for scripts", async () => {
    const zh = await mutate("deployments.scale", { name: "web", replicas: 1000 }, { cookie: "tc-locale=zh-CN" });
    const en = await mutate("deployments.scale", { name: "web", replicas: 1000 });
    expect(zh.status).toBe(403);
    expect(en.status).toBe(403);
    expect(zh.body.error.json.message).toMatch(/^超出租户配额：/);
    expect(zh.body.error.json.message).not.toMatch(/exceeded quota/);
    expect(en.body.error.json.message).toMatch(/^Over the tenant's quota: /);
    for (const { body } of [zh, en]) {
      expect(body.error.json.data).toMatchObject({
        code: "FORBIDDEN",
        reason: "QUOTA_EXCEEDED",
        field: "spec.replicas",
        detail: { key: "errors.quotaExceeded" },
      });
      expect(body.error.json.data.fieldErrors?.replicas).toEqual([body.error.json.message]);
    }
  });

  it("Accept-Language picks Chinese when no cookie was saved; a saved English choice wins over it", async () => {
    const byHeader = await mutate(
      "deployments.scale",
      { name: "web", replicas: 1000 },
      { "accept-language": "zh-CN,zh;q=0.9" },
    );
    expect(byHeader.body.error.json.message).toMatch(/^超出租户配额/);
    const saved = await mutate(
      "deployments.scale",
      { name: "web", replicas: 1000 },
      { "accept-language": "zh-CN", cookie: "tc-locale=en" },
    );
    expect(saved.body.error.json.message).toMatch(/^Over the tenant's quota/);
  });

  it("a top-up over the limit: translated at the field, with no raw field name in the message", async () => {
    const { status, body } = await mutate("billing.topUp", { amountMinor: 999_999_999 }, { cookie: "tc-locale=zh-CN" });
    expect(status).toBe(400);
    expect(body.error.json.message).toBe("单次充值金额最多为 100,000.00。");
    expect(body.error.json.data.fieldErrors).toEqual({ amountMinor: ["单次充值金额最多为 100,000.00。"] });
    const en = await mutate("billing.topUp", { amountMinor: 5 });
    expect(en.body.error.json.message).toBe("Top up at least 1.00.");
  });

  it("zod's own messages by issue code, and an unknown field named", async () => {
    const { body } = await mutate(
      "deployments.scale",
      { name: "web", replicas: 2.5, direction: "forward" },
      { cookie: "tc-locale=zh-CN" },
    );
    expect(body.error.json.data.fieldErrors?.replicas).toEqual(["必须是整数。"]);
    expect(body.error.json.message).toContain('无法识别的字段："direction"。');
  });

  it("an engine refusal without a detail is read by the engine's templates; the field travels too", async () => {
    const { body } = await mutate(
      "deployments.create",
      { name: "web", replicas: 1, template },
      { cookie: "tc-locale=zh-CN" },
    );
    expect(body.error.json.message).toBe("名为“web”的部署已存在。");
    expect(body.error.json.data).toMatchObject({
      code: "CONFLICT",
      reason: "CONFLICT",
      field: "name",
      fieldErrors: { name: ["名为“web”的部署已存在。"] },
    });
  });
});
