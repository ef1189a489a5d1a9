/**
 * Runs before every route (Next 16's proxy, formerly middleware). It refuses, with a 400, what
 * would otherwise make a route throw: a path that cannot be decoded (`/pods/%E0%A4%A`), and a
 * server action whose arguments Next cannot decode. And it sets the per-request headers: a
 * Content-Security-Policy with a fresh nonce (Next reads it from the request and puts it on its
 * own scripts, which is why every page renders dynamically) and HSTS when the request came over
 * HTTPS. The fixed hardening headers come from next.config.ts, for every response.
 */
import { type NextRequest, NextResponse } from "next/server";
import { localeCookie } from "@/i18n/locales";
import { malformedActionPayload } from "@/server/http/action-payload";
import { badRequestPage, isMalformedPath } from "@/server/http/bad-request-page";
import {
  contentSecurityPolicy,
  fixedSecurityHeaders,
  newNonce,
  servedOverHttps,
  strictTransportSecurity,
} from "@/server/http/security-headers";

export async function proxy(request: NextRequest) {
  const csp = contentSecurityPolicy(newNonce(), { development: process.env.NODE_ENV === "development" });
  const https = servedOverHttps(request.nextUrl, request.headers);
  const headers: Record<string, string> = {
    "Content-Security-Policy": csp,
    ...(https ? { "Strict-Transport-Security": strictTransportSecurity } : {}),
  };

  const refusal = await refuse(request);
  if (refusal) {
    // Answered here, so next.config's headers are not applied: add them ourselves.
    const all = { ...Object.fromEntries(fixedSecurityHeaders.map((h) => [h.key, h.value])), ...headers };
    if (refusal.page)
      return badRequestPage(request.cookies.get(localeCookie)?.value, request.headers.get("accept-language"), all);
    const body = {
      error: { message: refusal.message, code: "BAD_REQUEST", data: { code: "BAD_REQUEST", httpStatus: 400 } },
    };
    return Response.json(body, { status: 400, headers: all });
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** A page for a person's address bar; JSON for the API and for server action calls. */
async function refuse(request: NextRequest): Promise<{ page: boolean; message: string } | null> {
  const { pathname } = request.nextUrl;
  if (isMalformedPath(pathname)) {
    return {
      page: !pathname.startsWith("/api/"),
      message: "The path has a malformed percent-encoding or a character that cannot be used.",
    };
  }
  if (request.method === "POST" && request.headers.has("next-action")) {
    const message = malformedActionPayload(request.headers.get("content-type"), await request.text());
    if (message) return { page: false, message };
  }
  return null;
}

export const config = {
  // Not the build's static files: they carry no HTML, and the fixed headers reach them anyway.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
