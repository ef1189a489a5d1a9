/**
 * Refusals added for issue 11, over real HTTP in the caller's language: the access work's
 * (an invitation taken with a token, a bad invitation link, a token creating a tenant) and the
 * engine's validation (a memory of a few bytes), each at its field where it has one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfHeader } from "../http/guards";
import { startTestServer, type TestServer } from "../testing/http-server";

let server: TestServer;
let token: string;
let cookie: string;
const zh = "tc-locale=zh-CN";

beforeAll(async () => {
  server = await startTestServer({ timeScale: 50 });
  token = (await server.tenantWithToken("owner@refusals.test", "refusals")).token;
  cookie = (await server.signUp("invitee@refusals.test")).cookie;
}, 60_000);
afterAll(async () => server?.close());

interface ErrorBody {
  error: { json: { message: string; data: { code: string; field?: string; fieldErrors?: Record<string, string[]> } } };
}

async function mutate(
  path: string,
  input: unknown,
  auth: Record<string, string>,
  locale?: string,
): Promise<ErrorBody["error"]["json"]> {
  const cookies = [auth.cookie, locale].filter(Boolean).join("; ");
  const res = await fetch(`${server.url}/api/trpc/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [csrfHeader]: "test",
      ...(auth.authorization ? { authorization: auth.authorization } : {}),
      ...(cookies ? { cookie: cookies } : {}),
    },
    body: JSON.stringify({ json: input }),
  });
  return ((await res.json()) as ErrorBody).error.json;
}
const bearer = () => ({ authorization: `Bearer ${token}` });

describe("refusals in the caller's language", () => {
  it("an invitation taken with an API token, and a token creating a tenant", async () => {
    expect((await mutate("invitations.accept", { secret: "x".repeat(20) }, bearer(), zh)).message).toBe(
      "邀请只能在控制台中接受，不能使用 API 令牌接受。",
    );
    expect((await mutate("invitations.accept", { secret: "x".repeat(20) }, bearer())).message).toBe(
      "Invitations are accepted in the console, not with an API token.",
    );
    expect((await mutate("tenants.create", { name: "More", slug: "more" }, bearer(), zh)).message).toBe(
      "API 令牌只在一个租户内操作，不能创建租户。",
    );
  });

  it("an invitation link that is not valid, for a signed-in person (its detail names a key outside errors.json)", async () => {
    const en = await mutate("invitations.accept", { secret: "y".repeat(30) }, { cookie });
    const cn = await mutate("invitations.accept", { secret: "y".repeat(30) }, { cookie }, zh);
    expect(en.message).toBe("This invitation link is not valid: it was already used, cancelled, or mistyped.");
    expect(cn.message).toMatch(/[\u4e00-\u9fff]/);
    expect(cn.message).not.toMatch(/invitation/);
  });

  it("a container memory of a few bytes: Chinese, at the memory field", async () => {
    const template = {
      spec: {
        containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "100m", memory: "256" } } }],
      },
    };
    const cn = await mutate("deployments.create", { name: "tiny", replicas: 1, template }, bearer(), zh);
    // The router's input schema reuses the engine's quantity rule, so zod reports it (by its input path).
    const issue = "“256”是 256 字节，低于容器的最小值 4Mi；不带单位的数量按字节计算，你是不是想写“256Mi”？";
    expect(cn.message).toBe(`template.spec.containers.0.resources.requests.memory：${issue}`);
    expect(cn.data.fieldErrors?.template).toEqual([issue]);
    // The engine's own refusal (what a template edit through the CLI or API meets) reads the same.
    const en = await mutate("deployments.create", { name: "tiny", replicas: 1, template }, bearer());
    expect(en.message).toBe(
      'template.spec.containers.0.resources.requests.memory: "256" is 256 bytes, below the minimum of 4Mi for a container; a quantity without a unit is bytes: did you mean "256Mi"?',
    );
  });
});
