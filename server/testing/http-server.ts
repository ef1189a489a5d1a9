/**
 * The tRPC handler served on a real port, for tests of the typed client, the CLI and the HTTP
 * boundary: the very handler of app/api/trpc/[trpc]/route.ts (server/http/trpc-handler.ts),
 * on fresh services over a throw-away database, with a real clock running `timeScale` times
 * faster than real time (so a modelled 21 s VM boot takes well under a second); /api/metrics
 * too (server/http/metrics-handler.ts). Call limits
 * are the production defaults unless `limits` says otherwise, counted apart from any other
 * server in the process.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ensurePeerStampSecret, peerAddressHeader, peerStamp } from "../auth/peer-stamp.mjs";
import { parseTrustedProxies } from "../auth/client-address";
import { handleAuthRequest, trustedProxiesFromEnv } from "../auth/http";
import { createRealClock } from "../engine";
import { type CallLimits, callLimitsFromEnv, createCallLimiter } from "../http/rate-limit";
import { createMetricsHandler, metricsEndpoint } from "../http/metrics-handler";
import { createTrpcHandler, trpcEndpoint } from "../http/trpc-handler";
import { createServices, type Services } from "../services";
import { createContext } from "../trpc/context";
import { createCaller } from "../trpc/root";
import { openTestDatabase } from "./database";
import { cookieFrom, testPassword } from "./harness";

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:43121 (the API is at `${url}/api/trpc`). */
  url: string;
  services: Services;
  signUp(email: string): Promise<{ cookie: string; caller: () => Promise<ReturnType<typeof createCaller>> }>;
  /**
   * Signs a user up, creates a tenant and an API token in it: what a person does in the
   * console before handing a token to a script.
   */
  tenantWithToken(
    email: string,
    slug: string,
    options?: { minNodes?: number },
  ): Promise<{ token: string; caller: ReturnType<typeof createCaller> }>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: { timeScale?: number; limits?: Partial<CallLimits>; trustedProxies?: string } = {},
): Promise<TestServer> {
  ensurePeerStampSecret();
  // As TRUSTED_PROXIES would say (the test server stands in for the proxy's peer, 127.0.0.1).
  const trusted =
    options.trustedProxies === undefined ? trustedProxiesFromEnv() : parseTrustedProxies(options.trustedProxies);
  const database = await openTestDatabase();
  const clock = createRealClock(options.timeScale ?? 50);
  const services = createServices(
    database,
    { baseURL: "http://localhost:3000", secret: "test-secret-test-secret-test-secret-32" },
    { clock },
  );
  await services.start();

  const limiter = createCallLimiter({ ...callLimitsFromEnv(), ...options.limits });
  const handle = createTrpcHandler({ getServices: async () => services, limiter });
  const metrics = createMetricsHandler(async () => services, limiter);

  const server = createServer((req, res) => {
    void serve(req, res, handle, (request) => handleAuthRequest(services.auth, request, trusted), metrics).catch(
      (error: unknown) => {
        console.error("test server error", error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const callerFor = async (headers: Headers) => createCaller(await createContext(services, headers));
  // Sign-up does not sign in (so it cannot tell a taken address from a new one): sign in next, as the form does.
  const signUp: TestServer["signUp"] = async (email) => {
    await services.auth.api.signUpEmail({
      body: { email, password: testPassword, name: email.split("@")[0] ?? email },
    });
    const res = await services.auth.api.signInEmail({ body: { email, password: testPassword }, returnHeaders: true });
    const cookie = cookieFrom(res.headers);
    return { cookie, caller: () => callerFor(new Headers({ cookie })) };
  };

  return {
    url,
    services,
    signUp,
    async tenantWithToken(email, slug, opts = {}) {
      const user = await signUp(email);
      await (await user.caller()).tenants.create({ name: slug, slug });
      const caller = await user.caller();
      if (opts.minNodes !== undefined) await caller.nodePools.update({ name: "default", minSize: opts.minNodes });
      const { secret } = await caller.tokens.create({ name: `${slug}-script` });
      return { token: secret, caller };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.stop();
      await database.close();
    },
  };
}

type Handler = (request: Request) => Promise<Response>;

async function serve(req: IncomingMessage, res: ServerResponse, handle: Handler, auth: Handler, metrics: Handler) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  // As scripts/serve.mjs does: the socket address, stamped with this process's secret, replacing any client-sent value.
  headers.set(peerAddressHeader, peerStamp(req.socket.remoteAddress ?? ""));
  const chunks: Buffer[] = [];
  if (req.method !== "GET" && req.method !== "HEAD") for await (const chunk of req) chunks.push(chunk as Buffer);
  const request = new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  });
  const path = new URL(request.url).pathname;
  const response = path.startsWith(`${trpcEndpoint}/`)
    ? await handle(request)
    : path.startsWith("/api/auth/")
      ? await auth(request)
      : path === metricsEndpoint
        ? await metrics(request)
        : Response.json({ error: "Not found" }, { status: 404 });
  const outHeaders: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") outHeaders[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) outHeaders["set-cookie"] = cookies;
  res.writeHead(response.status, outHeaders);
  res.end(Buffer.from(await response.arrayBuffer()));
}
