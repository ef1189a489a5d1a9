/**
 * Where to go after signing in: only a path of this site (`/invitations/…`), never another
 * origin. Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/evil.example`
 * or `/\evil.example` become `//evil.example`: any control character or backslash is refused,
 * and what is left must resolve to the same origin as a plain path would.
 */
const PROBE_ORIGIN = "http://x";
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

export function safeReturnPath(value: string | string[] | undefined): string | null {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || path.length > 300 || !path.startsWith("/") || path.startsWith("//")) return null;
  if (UNSAFE_CHARACTERS.test(path)) return null;
  let resolved: URL;
  try {
    resolved = new URL(path, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (resolved.origin !== PROBE_ORIGIN) return null;
  // The resolved form, so what the browser follows is exactly what was checked.
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
