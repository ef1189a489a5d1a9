import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, testPassword, type Harness } from "@/server/testing/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.signUp("known@example.com");
});
afterAll(async () => h.close());

async function signIn(email: string, password: string, ip = "203.0.113.7") {
  const request = new Request("http://localhost:3000/api/auth/sign-in/email", {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": ip },
    body: JSON.stringify({ email, password }),
  });
  const res = await h.services.auth.handler(request);
  return { status: res.status, body: (await res.json().catch(() => null)) as { message?: string; code?: string } | null, res };
}

describe("sign-in", () => {
  it("gives an unknown email and a wrong password the same answer", async () => {
    const unknown = await signIn("nobody@example.com", "whatever-123", "198.51.100.1");
    const wrong = await signIn("known@example.com", "wrong-password", "198.51.100.2");
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(unknown.status);
    expect(wrong.body).toEqual(unknown.body);
  });

  it("starts a new session on every sign-in with an httpOnly, SameSite cookie", async () => {
    const first = await signIn("known@example.com", testPassword, "198.51.100.3");
    const second = await signIn("known@example.com", testPassword, "198.51.100.3");
    const cookieOf = (r: Response) => r.headers.getSetCookie().find((c) => c.includes("session_token"));
    const a = cookieOf(first.res);
    const b = cookieOf(second.res);
    expect(a).toMatch(/HttpOnly/i);
    expect(a).toMatch(/SameSite=Lax/i);
    expect(a?.split(";")[0]).not.toBe(b?.split(";")[0]);
  });

  it("ends the session on sign-out", async () => {
    const user = await h.signUp("leaving@example.com");
    expect(await (await user.caller()).session.me()).not.toBeNull();
    const res = await h.services.auth.handler(
      new Request("http://localhost:3000/api/auth/sign-out", {
        method: "POST",
        headers: { cookie: user.cookie, origin: "http://localhost:3000", "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(res.status).toBe(200);
    expect(await (await user.caller()).session.me()).toBeNull();
  });

  it("throttles guessing per account, even with the right password afterwards", async () => {
    await h.signUp("target@example.com");
    for (let i = 0; i < 5; i++) expect((await signIn("target@example.com", `guess-${i}-xx`, `192.0.2.${i}`)).status).toBe(401);
    const locked = await signIn("target@example.com", testPassword, "192.0.2.99");
    expect(locked.status).toBe(429);
    expect(locked.body?.message).toMatch(/Too many failed sign-in attempts/);
  });

  it("throttles one address spraying many accounts", async () => {
    for (let i = 0; i < 20; i++) await signIn(`spray-${i}@example.com`, "not-the-password", "192.0.2.200");
    expect((await signIn("known@example.com", testPassword, "192.0.2.200")).status).toBe(429);
    expect((await signIn("known@example.com", testPassword, "192.0.2.201")).status).toBe(200);
  });

  it("refuses passwords shorter than 8 or longer than 128 characters", async () => {
    await expect(h.signUp("short@example.com", "1234567")).rejects.toThrow();
    await expect(h.signUp("long@example.com", "x".repeat(129))).rejects.toThrow();
    await expect(h.signUp("ok@example.com", "x".repeat(128))).resolves.toMatchObject({ email: "ok@example.com" });
  });
});
