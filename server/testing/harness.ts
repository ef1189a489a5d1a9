/**
 * Router-test harness: real services on a throw-away database, users signed up through
 * better-auth, and tRPC callers acting as a session or as an API token.
 */
import { createVirtualClock, type VirtualClock } from "../engine";
import { createServices, type Services } from "../services";
import { createContext } from "../trpc/context";
import { createCaller } from "../trpc/root";
import { openTestDatabase } from "./database";

export interface Harness {
  /** The current services; replaced by `crashAndRestart`. */
  readonly services: Services;
  clock: VirtualClock;
  /**
   * Throws the running engine away (whatever it had not committed is lost, as in a crash)
   * and starts new services on the same database, with the clock where it was.
   */
  crashAndRestart(): Promise<Services>;
  close(): Promise<void>;
  signUp(email: string, password?: string, name?: string): Promise<TestUser>;
  anonymous(): ReturnType<typeof createCaller>;
  withToken(secret: string): Promise<ReturnType<typeof createCaller>>;
}

export interface TestUser {
  email: string;
  cookie: string;
  /** A caller that reads the session afresh on every use (so tenant switches are seen). */
  caller(): Promise<ReturnType<typeof createCaller>>;
}

export const testPassword = "correct horse battery";

export async function createHarness(): Promise<Harness> {
  const database = await openTestDatabase();
  const clock = createVirtualClock(Date.now());
  const build = async () => {
    const built = createServices(
      database,
      { baseURL: "http://localhost:3000", secret: "test-secret-test-secret-test-secret-32" },
      { clock },
    );
    await built.start();
    return built;
  };
  let services = await build();
  const callerFor = async (headers: Headers) => createCaller(await createContext(services, headers));

  return {
    get services() {
      return services;
    },
    clock,
    async crashAndRestart() {
      await services.stop();
      services = await build();
      return services;
    },
    async close() {
      await services.stop();
      await database.close();
    },
    async signUp(email, password = testPassword, name = email.split("@")[0] ?? email) {
      // Sign-up does not sign in (so it cannot tell a taken address from a new one): sign in next, as the form does.
      await services.auth.api.signUpEmail({ body: { email, password, name } });
      const res = await services.auth.api.signInEmail({ body: { email, password }, returnHeaders: true });
      const cookie = cookieFrom(res.headers);
      return { email, cookie, caller: () => callerFor(new Headers({ cookie })) };
    },
    anonymous: () =>
      createCaller({ services, headers: new Headers(), requestId: "test", principal: null, principalError: null }),
    withToken: (secret) => callerFor(new Headers({ authorization: `Bearer ${secret}` })),
  };
}

export function cookieFrom(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}
