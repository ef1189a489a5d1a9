import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, testPassword, type Harness } from "@/server/testing/harness";
import { parseTrustedProxies, peerAddressHeader } from "./client-address";
import { handleAuthRequest } from "./http";
import { ensurePeerStampSecret, peerStamp } from "./peer-stamp.mjs";
import { accountPolicy } from "./throttle";

let h: Harness;
beforeAll(async () => {
  ensurePeerStampSecret();
  h = await createHarness();
  await h.signUp("known@example.com");
});
afterAll(async () => h.close());

const noProxies = parseTrustedProxies("");

/** A request as the stamping server hands it on: `peer` is the socket address (stamped, unless given raw). */
function authRequest(path: string, body: unknown, peer: string, extra: Record<string, string> = {}) {
  return new Request(`http://localhost:3000/api/auth${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: "http://localhost:3000",
      [peerAddressHeader]: peerStamp(peer),
      ...extra,
    },
    body: JSON.stringify(body),
  });
}

async function signIn(
  email: string,
  password: string,
  peer = "203.0.113.7",
  extra: Record<string, string> = {},
  trusted = noProxies,
) {
  const res = await handleAuthRequest(
    h.services.auth,
    authRequest("/sign-in/email", { email, password }, peer, extra),
    trusted,
  );
  return {
    status: res.status,
    body: (await res.json().catch(() => null)) as { message?: string; code?: string } | null,
    res,
  };
}

async function signUp(email: string, password: string, peer = "203.0.113.8") {
  const res = await handleAuthRequest(
    h.services.auth,
    authRequest("/sign-up/email", { email, password, name: "Someone" }, peer),
    noProxies,
  );
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null, res };
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
});

describe("sign-in throttling", () => {
  it("slows a guesser down without locking the owner out", async () => {
    await h.signUp("target@example.com");
    // The owner signed in before on their own device, which keeps a cookie saying so.
    const owner = await signIn("target@example.com", testPassword, "192.0.2.99");
    const device = owner.res.headers
      .getSetCookie()
      .find((c) => c.startsWith("tc_known_device="))!
      .split(";")[0]!;
    for (let i = 0; i < 5; i++)
      expect((await signIn("target@example.com", `guess-${i}-xx`, "192.0.2.10")).status).toBe(401);
    const slowed = await signIn("target@example.com", `guess-5-xx`, "192.0.2.10");
    expect(slowed.status).toBe(429);
    expect(Number(slowed.res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(slowed.body?.message).toMatch(/Too many failed sign-in attempts/);
    // Even the right password waits, from the client that has been failing ...
    expect((await signIn("target@example.com", testPassword, "192.0.2.10")).status).toBe(429);
    // ... but the owner, on their device, signs in at once.
    expect((await signIn("target@example.com", testPassword, "192.0.2.99", { cookie: device ?? "" })).status).toBe(200);
  });

  it("backs off longer and longer, never with a fixed lock-out", async () => {
    await h.signUp("patient@example.com");
    const retryAfter: number[] = [];
    for (let i = 0; i < 5; i++) await signIn("patient@example.com", `nope-${i}-xx`, "192.0.2.20");
    for (let round = 0; round < 3; round++) {
      // Wait out the back-off by moving the window into the past, as time passing would.
      await h.services.db.execute(
        (await import("drizzle-orm"))
          .sql`update sign_in_attempt set locked_until = now() - interval '1 second' where key = 'email:patient@example.com'`,
      );
      expect((await signIn("patient@example.com", `again-${round}-xx`, "192.0.2.20")).status).toBe(401);
      const refused = await signIn("patient@example.com", `again-${round}-yy`, "192.0.2.20");
      expect(refused.status).toBe(429);
      retryAfter.push(Number(refused.res.headers.get("retry-after")));
    }
    expect(retryAfter[1]).toBeGreaterThan(retryAfter[0]!);
    expect(retryAfter[2]).toBeGreaterThan(retryAfter[1]!);
  });

  it("throttles one address spraying many accounts, and no other address", async () => {
    for (let i = 0; i < 20; i++)
      expect((await signIn(`spray-${i}@example.com`, "not-the-password", "192.0.2.200")).status).toBe(401);
    expect((await signIn("known@example.com", testPassword, "192.0.2.200")).status).toBe(429);
    expect((await signIn("known@example.com", testPassword, "192.0.2.201")).status).toBe(200);
  });

  it("counts 40 concurrent guesses before checking any: 5 passwords are checked, not 40", async () => {
    await h.signUp("burst@example.com");
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn("burst@example.com", `burst-${i}-xx`, "192.0.2.40")),
    );
    const statuses = answers.map((a) => a.status);
    // Each back-off step (30 s, 1 min, …) that ends during the burst lets one more guess through, by design.
    const steps = Math.floor(Math.log2((Date.now() - started) / accountPolicy.baseDelayMs + 1));
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(5 + steps);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - checked);
  });

  it("ignores X-Forwarded-For from a client that is not a trusted proxy", async () => {
    // Rotating forged addresses does not buy fresh counters: the socket address is counted.
    for (let i = 0; i < 20; i++)
      await signIn(`xff-${i}@example.com`, "not-the-password", "192.0.2.50", { "x-forwarded-for": `10.9.0.${i}` });
    expect(
      (await signIn("known@example.com", testPassword, "192.0.2.50", { "x-forwarded-for": "10.9.9.9" })).status,
    ).toBe(429);
  });

  it("trusts X-Forwarded-For from a configured proxy, per client behind it", async () => {
    const proxy = parseTrustedProxies("192.0.2.60, 10.0.0.0/8");
    for (let i = 0; i < 20; i++) {
      await signIn(
        `proxied-${i}@example.com`,
        "not-the-password",
        "192.0.2.60",
        { "x-forwarded-for": "198.51.100.60, 10.1.2.3" },
        proxy,
      );
    }
    const fromSameClient = await signIn(
      "known@example.com",
      testPassword,
      "192.0.2.60",
      { "x-forwarded-for": "198.51.100.60" },
      proxy,
    );
    expect(fromSameClient.status).toBe(429);
    const fromOtherClient = await signIn(
      "known@example.com",
      testPassword,
      "192.0.2.60",
      { "x-forwarded-for": "198.51.100.61" },
      proxy,
    );
    expect(fromOtherClient.status).toBe(200);
  });
});

describe("sign-up", () => {
  it("answers the same for a taken address as for a new one, and signs nobody in", async () => {
    const fresh = await signUp("brand-new@example.com", "a fine long passphrase 9");
    const taken = await signUp("known@example.com", "a fine long passphrase 9");
    expect(fresh.status).toBe(200);
    expect(taken.status).toBe(200);
    const shape = (b: Record<string, unknown> | null) => ({
      token: b?.token,
      keys: Object.keys((b?.user as object) ?? {}).sort(),
    });
    expect(shape(taken.body)).toEqual(shape(fresh.body));
    expect(fresh.res.headers.getSetCookie()).toEqual([]);
    expect(taken.res.headers.getSetCookie()).toEqual([]);
    // The taken address keeps its own password.
    expect((await signIn("known@example.com", testPassword, "198.51.100.9")).status).toBe(200);
  });

  it("refuses common and guessable passwords with a clear message", async () => {
    for (const password of ["aaaaaaaa", "password1", "12345678", "qwertyuiop"]) {
      const refused = await signUp(`weak-${password}@example.com`, password);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        code: "PASSWORD_TOO_WEAK",
        message: expect.stringContaining("too easy to guess"),
      });
    }
    expect((await signUp("strong@example.com", testPassword)).status).toBe(200);
  });

  it("refuses passwords shorter than 8 or longer than 128 characters", async () => {
    await expect(h.signUp("short@example.com", "1234567")).rejects.toThrow();
    await expect(h.signUp("long@example.com", "x".repeat(129))).rejects.toThrow();
    const longest = "correct horse battery staple ".repeat(5).slice(0, 128);
    await expect(h.signUp("ok@example.com", longest)).resolves.toMatchObject({ email: "ok@example.com" });
  });
});
