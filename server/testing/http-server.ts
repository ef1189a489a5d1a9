/**
 * The tRPC handler served on a real port, for tests of the typed client and the CLI: the
 * same guards and handler as app/api/trpc/[trpc]/route.ts, on fresh services over a
 * throw-away database, with a real clock running `timeScale` times faster than real time
 * (so a modelled 21 s VM boot takes well under a second).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createRealClock } from "../engine";
import { checkCrossSite, readLimitedBody } from "../http/guards";
import { createServices, type Services } from "../services";
import { createContext } from "../trpc/context";
import { appRouter, createCaller } from "../trpc/root";
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
  tenantWithToken(email: string, slug: string, options?: { minNodes?: number }): Promise<{ token: string; caller: ReturnType<typeof createCaller> }>;
  close(): Promise<void>;
}

export async function startTestServer(options: { timeScale?: number } = {}): Promise<TestServer> {
  const database = await openTestDatabase();
  const clock = createRealClock(options.timeScale ?? 50);
  const services = createServices(database, { baseURL: "http://localhost:3000", secret: "test-secret-test-secret-test-secret-32" }, { clock });
  await services.start();

  const handle = async (request: Request): Promise<Response> => {
    const crossSite = checkCrossSite(request);
    if (!crossSite.ok) return jsonError(crossSite.status, "FORBIDDEN", crossSite.message);
    const body = await readLimitedBody(request);
    if (!body.ok) return jsonError(body.status, "PAYLOAD_TOO_LARGE", body.message);
    const req = new Request(request.url, { method: request.method, headers: request.headers, body: body.body });
    return fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => createContext(services, request.headers) });
  };

  const server = createServer((req, res) => {
    void serve(req, res, handle).catch((error: unknown) => {
      console.error("test server error", error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const callerFor = async (headers: Headers) => createCaller(await createContext(services, headers));
  const signUp: TestServer["signUp"] = async (email) => {
    const res = await services.auth.api.signUpEmail({ body: { email, password: testPassword, name: email.split("@")[0] ?? email }, returnHeaders: true });
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

async function serve(req: IncomingMessage, res: ServerResponse, handle: (request: Request) => Promise<Response>) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const chunks: Buffer[] = [];
  if (req.method !== "GET" && req.method !== "HEAD") for await (const chunk of req) chunks.push(chunk as Buffer);
  const request = new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  });
  const path = new URL(request.url).pathname;
  const response = path.startsWith("/api/trpc/") ? await handle(request) : Response.json({ error: "Not found" }, { status: 404 });
  const outHeaders: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") outHeaders[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) outHeaders["set-cookie"] = cookies;
  res.writeHead(response.status, outHeaders);
  res.end(Buffer.from(await response.arrayBuffer()));
}

function jsonError(status: number, code: string, message: string): Response {
  return Response.json({ error: { message, code, data: { code, httpStatus: status } } }, { status });
}
