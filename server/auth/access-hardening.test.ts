/**
 * The sign-in and sign-up boundary against a client that forges its address, owns a whole
 * IPv6 /64, makes accounts in bulk or sends huge passwords, through the auth HTTP handler as
 * the stamping server hands requests on (PGlite, or PostgreSQL with TEST_DATABASE_URL).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, testPassword } from "@/server/testing/harness";
import { parseTrustedProxies, peerAddressHeader, peerStampSecretEnv, resolveClientAddress } from "./client-address";
import { handleAuthRequest } from "./http";
import { knownDeviceCookie } from "./known-device";
import { weakPasswordReason } from "./password-strength";
import * as stamp from "./peer-stamp.mjs";
import { signUpPolicy } from "./sign-up-throttle";

let h: Harness;
beforeAll(async () => {
  stamp.ensurePeerStampSecret();
  h = await createHarness();
});
afterAll(async () => h.close());

const noProxies = parseTrustedProxies("");

/** `peer`: the socket address, stamped as serve.mjs does; `rawPeer`: a header value as a client could send it. */
async function post(path: string, body: unknown, from: { peer: string } | { rawPeer: string }, cookie?: string) {
  const value = "peer" in from ? stamp.peerStamp(from.peer) : from.rawPeer;
  const res = await handleAuthRequest(
    h.services.auth,
    new Request(`http://localhost:3000/api/auth${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: "http://localhost:3000",
        [peerAddressHeader]: value,
        ...(cookie ? { cookie } : {}),
      },
      body: JSON.stringify(body),
    }),
    noProxies,
  );
  return { status: res.status, res, body: (await res.json().catch(() => null)) as { code?: string } | null };
}
const signIn = (email: string, password: string, from: { peer: string } | { rawPeer: string }, cookie?: string) =>
  post("/sign-in/email", { email, password }, from, cookie);
const signUp = (email: string, password: string, peer: string) =>
  post("/sign-up/email", { email, password, name: "Someone" }, { peer });

describe("the peer address header", () => {
  it("is named alike by the stamping servers and the reader", () => {
    expect(stamp.peerAddressHeader).toBe(peerAddressHeader);
    expect(stamp.peerStampSecretEnv).toBe(peerStampSecretEnv);
  });

  it("is believed only with this process's secret", () => {
    const secret = "s".repeat(64);
    const read = (value: string, withSecret: string | undefined = secret) =>
      resolveClientAddress(new Headers({ [peerAddressHeader]: value }), noProxies, withSecret);
    expect(read(`${secret}:203.0.113.5`)).toBe("203.0.113.5");
    expect(read(`${secret}:::ffff:203.0.113.5`)).toBe("203.0.113.5");
    expect(read("203.0.113.5")).toBeNull();
    expect(read(`${"t".repeat(64)}:203.0.113.5`)).toBeNull();
    expect(read(`${secret.slice(1)}:203.0.113.5`)).toBeNull();
    expect(read(`:203.0.113.5`)).toBeNull();
    // Served without a stamping server (next dev, plain next start) there is no secret: nothing is believed.
    expect(read("203.0.113.5", undefined)).toBeNull();
    expect(read(":203.0.113.5", "")).toBeNull();
  });

  it("forged by a client, is not taken for its address", async () => {
    await h.signUp("forged@example.com");
    const sessionAddress = async () => {
      const { rows } = (await h.services.db.execute(
        sql`select s.ip_address from session s join "user" u on u.id = s.user_id where u.email = 'forged@example.com' order by s.created_at desc limit 1`,
      )) as unknown as { rows: { ip_address: string | null }[] };
      return rows[0]?.ip_address;
    };
    // As through `next dev` or plain `next start`: the client's own header, without the stamp.
    expect((await signIn("forged@example.com", testPassword, { rawPeer: "198.51.100.77" })).status).toBe(200);
    expect(await sessionAddress()).not.toBe("198.51.100.77");
    expect((await signIn("forged@example.com", testPassword, { peer: "198.51.100.78" })).status).toBe(200);
    expect(await sessionAddress()).toBe("198.51.100.78");
  });
});

describe("IPv6 clients", () => {
  it("count as their /64: fresh addresses of one /64 do not buy fresh counters", async () => {
    for (let i = 1; i <= 20; i++)
      expect(
        (await signIn(`v6-spray-${i}@example.com`, "not-the-password", { peer: `2001:db8:7:7::${i.toString(16)}` }))
          .status,
      ).toBe(401);
    await h.signUp("v6-owner@example.com");
    expect((await signIn("v6-owner@example.com", testPassword, { peer: "2001:db8:7:7:ffff::1" })).status).toBe(429);
    expect((await signIn("v6-owner@example.com", testPassword, { peer: "2001:db8:7:8::1" })).status).toBe(200);
  });
});

describe("a backed-off account", () => {
  it("is checked at once from a device that signed in to it before or a client that has not failed", async () => {
    await h.signUp("device-owner@example.com");
    const first = await signIn("device-owner@example.com", testPassword, { peer: "192.0.2.80" });
    const device = first.res.headers.getSetCookie().find((c) => c.startsWith(`${knownDeviceCookie}=`));
    expect(device).toMatch(/HttpOnly/i);
    // Guesses from many addresses put the account in back-off ...
    for (let i = 0; i < 6; i++)
      await signIn("device-owner@example.com", `guess-${i}-xx`, { peer: `198.51.100.${100 + i}` });
    // ... a guesser's address waits even with the right password, and a forged device cookie does not help ...
    expect((await signIn("device-owner@example.com", testPassword, { peer: "198.51.100.105" })).status).toBe(429);
    expect(
      (
        await signIn(
          "device-owner@example.com",
          testPassword,
          { peer: "198.51.100.104" },
          `${knownDeviceCookie}=forged`,
        )
      ).status,
    ).toBe(429);
    // ... but the owner's device signs in from any address, even one that has been failing ...
    const cookie = device?.split(";")[0] ?? "";
    expect((await signIn("device-owner@example.com", testPassword, { peer: "198.51.100.103" }, cookie)).status).toBe(
      200,
    );
    // ... and so does a client that has not been failing (the owner on a new browser elsewhere).
    for (let i = 0; i < 6; i++)
      await signIn("device-owner@example.com", `guess-${i}-yy`, { peer: `198.51.100.${110 + i}` });
    expect((await signIn("device-owner@example.com", testPassword, { peer: "192.0.2.81" })).status).toBe(200);
  });
});

describe("sign-up throttling", () => {
  it("allows 10 sign-ups per address an hour, then answers 429 with Retry-After, and no other address", async () => {
    // Passwords refused as guessable do not spend the allowance.
    expect((await signUp("bulk-weak@example.com", "password1", "198.18.0.1")).status).toBe(400);
    for (let i = 0; i < signUpPolicy().freeAttempts; i++)
      expect((await signUp(`bulk-${i}@example.com`, testPassword, "198.18.0.1")).status).toBe(200);
    const refused = await signUp("bulk-extra@example.com", testPassword, "198.18.0.1");
    expect(refused.status).toBe(429);
    expect(refused.body?.code).toBe("SIGN_UP_THROTTLED");
    const wait = Number(refused.res.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(3500);
    expect(wait).toBeLessThanOrEqual(3600);
    // Another address is another client.
    expect((await signUp("bulk-elsewhere@example.com", testPassword, "198.18.0.2")).status).toBe(200);
  });

  it("counts an IPv6 client as its /64", async () => {
    for (let i = 1; i <= signUpPolicy().freeAttempts; i++)
      expect((await signUp(`bulk6-${i}@example.com`, testPassword, `2001:db8:5:5::${i}`)).status).toBe(200);
    expect((await signUp("bulk6-extra@example.com", testPassword, "2001:db8:5:5::ff")).status).toBe(429);
  });
});

describe("password strength", () => {
  it("leaves a password over 128 characters to better-auth's length check, unestimated", async () => {
    expect(weakPasswordReason("a".repeat(129))).toBeNull();
    expect(weakPasswordReason("a".repeat(128))).not.toBeNull();
    const huge = await signUp("huge@example.com", "a".repeat(60_000), "198.18.1.1");
    expect(huge.status).toBe(400);
    expect(huge.body?.code).toBe("PASSWORD_TOO_LONG");
  });
});
