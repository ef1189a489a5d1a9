/**
 * Checks made on raw HTTP requests before any parsing: a size limit on bodies, and a
 * cross-site guard for tRPC mutations.
 */
export const maxBodyBytes = 1024 * 1024;

/** Header every first-party client sends; a cross-site form or fetch cannot set it without CORS. */
export const csrfHeader = "x-tc-client";

export type GuardResult = { ok: true; body: string | null } | { ok: false; status: number; message: string };

/**
 * The body's bytes up to `limit`, null without a body, or "too large" (refused without reading
 * it whole: a declared length over the limit is not read at all).
 */
export async function readLimitedBytes(request: Request, limit: number): Promise<Buffer | null | "too large"> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return "too large";
  if (!request.body) return null;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return "too large";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Reads the body up to `limit` bytes, refusing larger ones without reading them whole. */
export async function readLimitedBody(request: Request, limit = maxBodyBytes): Promise<GuardResult> {
  const bytes = await readLimitedBytes(request, limit);
  if (bytes === "too large")
    return { ok: false, status: 413, message: `Request body too large (limit ${limit} bytes).` };
  return { ok: true, body: bytes === null ? null : bytes.toString("utf8") };
}

/**
 * A POST to tRPC must carry our client header, and when the browser tells us the origin it
 * must be this site. Token-authenticated scripts send the header too (the typed client does).
 */
export function checkCrossSite(request: Request): GuardResult {
  if (request.method !== "POST") return { ok: true, body: null };
  if (!request.headers.get(csrfHeader)) {
    return {
      ok: false,
      status: 403,
      message: `Mutations need the ${csrfHeader} header (cross-site requests are refused).`,
    };
  }
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  // A browser sends `Origin: null` from sandboxed frames, data: URLs and some redirects: not us.
  if (origin === "null")
    return { ok: false, status: 403, message: "Cross-site request refused (the request has no origin)." };
  if (origin && host) {
    const originHost = hostOf(origin);
    if (originHost === null) return { ok: false, status: 400, message: "The Origin header is not a valid origin." };
    if (originHost !== host) return { ok: false, status: 403, message: "Cross-site request refused." };
  }
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none")
    return { ok: false, status: 403, message: "Cross-site request refused." };
  return { ok: true, body: null };
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
