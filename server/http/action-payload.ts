/**
 * A server action's arguments arrive in React's reply encoding; when Next cannot decode them it
 * throws before the action runs, and the caller gets a 500. The console's actions take plain
 * data only (objects, arrays, strings, numbers, booleans, null), which React sends as a JSON
 * text body; a body that is not that is refused here, in the proxy, with a 400.
 *
 * Strings beginning with `$` are React's markers: `$$…` is an escaped dollar, and a few stand for
 * plain values (undefined, ±Infinity, NaN, -0, a date, a bigint). Any other marker refers to
 * an outlined part (a Map, a Set, a promise, a form, a file…) that a plain-data call never has.
 */

/** Markers for plain values, as React's `processReply` writes them. */
const plainMarker = /^\$(\$|undefined$|Infinity$|-Infinity$|NaN$|-0$|D|n-?\d+$)/;

/** Why a server action request cannot be decoded, or null when it can. Multipart bodies are left to Next. */
export function malformedActionPayload(contentType: string | null, body: string): string | null {
  if (contentType?.toLowerCase().startsWith("multipart/form-data")) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(body);
  } catch {
    return "The server action's arguments are not valid JSON.";
  }
  if (!Array.isArray(decoded)) return "The server action's arguments must be a list.";
  const stack: unknown[] = [decoded];
  for (let value = stack.pop(); value !== undefined; value = stack.pop()) {
    if (typeof value === "string") {
      if (value.startsWith("$") && !plainMarker.test(value))
        return "The server action's arguments refer to parts the request does not have.";
    } else if (value !== null && typeof value === "object") {
      for (const child of Object.values(value)) stack.push(child);
    }
  }
  return null;
}
