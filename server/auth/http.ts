/**
 * better-auth over HTTP, as app/api/auth/[...all]/route.ts and the test server serve it: only
 * the public endpoints, a body limit, and the client address resolved once (see
 * client-address.ts) and handed on in a header the client cannot set.
 */
import { readLimitedBody } from "../http/guards";
import type { Auth } from "./auth";
import { publicAuthPaths } from "./auth";
import { clientAddressHeader, parseTrustedProxies, resolveClientAddress, type TrustedProxies } from "./client-address";

let fromEnvironment: TrustedProxies | null = null;

/** `TRUSTED_PROXIES`, read once (a bad entry fails the first auth request loudly). */
export function trustedProxiesFromEnv(): TrustedProxies {
  fromEnvironment ??= parseTrustedProxies(process.env.TRUSTED_PROXIES);
  return fromEnvironment;
}

export async function handleAuthRequest(
  auth: Auth,
  request: Request,
  trusted = trustedProxiesFromEnv(),
): Promise<Response> {
  const path = new URL(request.url).pathname.replace(/^\/api\/auth/, "");
  if (!publicAuthPaths.has(path)) return Response.json({ message: "Not found." }, { status: 404 });
  const body = await readLimitedBody(request, 64 * 1024);
  if (!body.ok) return Response.json({ message: body.message }, { status: body.status });
  const headers = new Headers(request.headers);
  headers.delete(clientAddressHeader);
  const address = resolveClientAddress(request.headers, trusted);
  if (address) headers.set(clientAddressHeader, address);
  return auth.handler(new Request(request.url, { method: request.method, headers, body: body.body }));
}
