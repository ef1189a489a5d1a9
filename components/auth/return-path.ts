/**
 * Where to go after signing in: only a path of this site (`/invitations/…`), never another
 * origin (`//evil.example`, `/\evil.example`, `https://…`), so the parameter cannot redirect away.
 */
export function safeReturnPath(value: string | string[] | undefined): string | null {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\") || path.length > 300) return null;
  return path;
}
