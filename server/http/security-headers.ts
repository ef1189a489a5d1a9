/**
 * Browser hardening headers. The fixed ones go on every response (next.config.ts `headers()`);
 * the Content-Security-Policy carries a fresh nonce per request and HSTS depends on how the
 * request arrived, so the root proxy (proxy.ts) sets those. No imports: next.config.ts and the
 * proxy both read this file.
 */

/** On every response, static files included. */
export const fixedSecurityHeaders: { key: string; value: string }[] = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];

/** Two years, as HSTS preload lists ask; sent only on responses that arrived over HTTPS. */
export const strictTransportSecurity = "max-age=63072000; includeSubDomains";

/**
 * Scripts run only with this request's nonce (Next puts it on its own scripts when it finds the
 * policy on the request) and what they load ('strict-dynamic'). Styles allow inline attributes:
 * React and the charts set `style=` on elements, which a nonce cannot cover. Development adds
 * 'unsafe-eval', which React's dev build needs for its error overlays.
 */
export function contentSecurityPolicy(nonce: string, { development = false } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A nonce of 128 random bits, base64 as CSP expects. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Whether the browser reached us over HTTPS: directly, or through a TLS-terminating proxy that
 * says so. A client that fakes the header gains nothing: browsers ignore HSTS over plain HTTP.
 */
export function servedOverHttps(url: URL, headers: Headers): boolean {
  if (url.protocol === "https:") return true;
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}
