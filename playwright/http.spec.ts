/**
 * The HTTP surface of the real Next server: hardening headers on every kind of response, a CSP
 * the console runs under without a single refusal, and malformed requests (undecodable paths,
 * bad Origin headers, undecodable server-action payloads) answered 4xx, never 500.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIResponse, test } from "@playwright/test";
import { freshEmail } from "./accounts";
import { seedTenant, signUpAndIn } from "./api-session";

function expectHardened(response: APIResponse) {
  const headers = response.headers();
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  return headers;
}

test.describe("hardening headers", () => {
  test("pages carry a nonce CSP that forbids framing, fresh for every request", async ({ request }) => {
    const first = await request.get("/sign-in");
    const headers = expectHardened(first);
    const csp = headers["content-security-policy"] ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/=_-]{16,}$/);
    // Next put the nonce on its own scripts.
    expect(await first.text()).toContain(`nonce="${nonce}"`);
    const second = await request.get("/sign-in");
    expect(second.headers()["content-security-policy"]).not.toBe(csp);
    expect(headers["strict-transport-security"]).toBeUndefined();
  });

  test("API responses and static files are hardened too; HSTS only behind HTTPS", async ({ request }) => {
    expectHardened(await request.get("/api/health"));
    const html = await (await request.get("/sign-in")).text();
    const asset = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
    expect(asset).toMatch(/^\/_next\/static\/.+\.js$/);
    expectHardened(await request.get(asset ?? ""));
    const viaTls = await request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
    expect(viaTls.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
  });

  test("the sign-in page runs under the policy without refusals or errors", async ({ page }) => {
    const problems: string[] = [];
    page.on("console", (m) => void (m.type() === "error" && problems.push(m.text())));
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto("/sign-in");
    // Hydrated: the client-side validation answers without a round trip.
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Passwords are 8 to 128 characters.")).toBeVisible();
    expect(problems).toEqual([]);
  });
});

test.describe("malformed requests", () => {
  test("an undecodable path gets a 400 page (JSON under /api), never a stack", async ({ request }) => {
    for (const bad of [
      "/pods/%E0%A4%A",
      "/workloads/%E0%A4%A",
      "/billing/invoices/%E0%A4%A",
      "/pods/%",
      "/pods/a%00b",
    ]) {
      const res = await request.get(bad);
      expect(res.status(), bad).toBe(400);
      expect(res.headers()["content-type"]).toContain("text/html");
      const body = await res.text();
      expect(body).toContain("This address is not valid");
      expect(body).toContain('href="/"');
      expectHardened(res);
    }
    const zh = await request.get("/pods/%E0%A4%A", { headers: { "accept-language": "zh-CN,zh;q=0.9" } });
    expect(await zh.text()).toContain("此地址无效");
    const api = await request.get("/api/trpc/%E0");
    expect(api.status()).toBe(400);
    expect((await api.json()).error.code).toBe("BAD_REQUEST");
  });

  test("a name that decodes to '%' renders its page (decoded once, not twice)", async ({ page, baseURL }) => {
    await signUpAndIn(page.request, baseURL ?? "", freshEmail("percent"));
    await seedTenant(page, "percent");
    for (const where of ["/pods/%25", "/workloads/%25", "/billing/invoices/%25"]) {
      const res = await page.goto(where);
      expect(res?.status(), where).toBe(200);
    }
    await expect(page).toHaveTitle(/Invoice/);
  });

  test("a tRPC POST with Origin: null or an unparsable Origin is refused with 4xx", async ({ request, baseURL }) => {
    const post = (origin: string) =>
      request.post("/api/trpc/tenants.create", {
        headers: { "x-tc-client": "e2e", origin },
        data: { json: { name: "x", slug: "x" } },
      });
    expect((await post("null")).status()).toBe(403);
    expect((await post("http://[::1")).status()).toBe(400);
    // A well-formed request from our origin gets past the guard (and is refused for want of a session).
    expect((await post(baseURL ?? "")).status()).toBe(401);
  });

  test("a server action with undecodable arguments answers 400; decodable ones get the action's own answer", async ({
    page,
    baseURL,
  }) => {
    await signUpAndIn(page.request, baseURL ?? "", freshEmail("action"));
    const action = actionId("createDeploymentAction");
    const call = (body: string) =>
      page.request.post("/workloads/new", {
        headers: { "next-action": action, origin: baseURL ?? "", "content-type": "text/plain;charset=UTF-8" },
        data: body,
      });
    for (const bad of ["garbage{", "", '["$Q1"]', '{"not":"a list"}'])
      expect((await call(bad)).status(), bad).toBe(400);
    const refused = await call('[{"name":"x"}]');
    expect(refused.status()).toBe(200);
    // Decoded and run: the action answers in its result (here: no tenant chosen yet), not with a 500.
    expect(await refused.text()).toContain('"ok":false');
  });
});

/** The id Next gave a server action in this build (the spec runs beside the server it tests). */
function actionId(exportedName: string): string {
  const manifest = JSON.parse(
    readFileSync(path.join(process.env.NEXT_DIST_DIR || ".next", "server", "server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === exportedName);
  if (!found) throw new Error(`no server action named ${exportedName} in this build`);
  return found[0];
}
