/**
 * Text the database cannot store: PostgreSQL refuses U+0000 in `text` and `jsonb`, and an
 * unpaired UTF-16 surrogate is not valid UTF-8, so neither may get past the boundary. One
 * walk over any input (strings and object keys, however deep) finds the first such value
 * and names where it is, so the caller hears exactly which field to fix.
 */
import { storableText, type UnstorableReason, unstorableReason } from "@/lib/storable-text";
import type { ErrorDetail } from "../engine/core/errors";

export { type UnstorableReason, unstorableReason };

export interface UnstorableText {
  /** Dotted path of the field, as zod names it (`containers.0.env.KEY`); "" for the input itself. */
  path: string;
  /** Whether the value itself or one of its object keys holds the character. */
  in: "value" | "key";
  reason: UnstorableReason;
}

/** A place in the input: its key and its parent's place (a list, so a deep walk never copies paths). */
interface Place {
  key: string;
  parent: Place | null;
}

const pathOf = (place: Place | null): string => {
  const keys: string[] = [];
  for (let p = place; p; p = p.parent) keys.push(p.key);
  return keys.reverse().join(".");
};

/**
 * The first unstorable string or key in `input`, or null. Iterative (an attacker's deeply
 * nested input cannot overflow the stack), linear in the input's size, and visits each
 * object once (cycles are safe).
 */
export function findUnstorableText(input: unknown): UnstorableText | null {
  const stack: { value: unknown; place: Place | null }[] = [{ value: input, place: null }];
  const seen = new Set<object>();
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, place } = item;
    if (typeof value === "string") {
      const reason = unstorableReason(value);
      if (reason) return { path: pathOf(place), in: "value", reason };
      continue;
    }
    if (value === null || typeof value !== "object" || seen.has(value)) continue;
    seen.add(value);
    const entries: [unknown, unknown][] =
      value instanceof Map
        ? [...value.entries()]
        : value instanceof Set
          ? [...value].map((v, i) => [String(i), v])
          : Object.entries(value);
    for (const [key] of entries) {
      const reason = typeof key === "string" ? unstorableReason(key) : null;
      if (reason) return { path: pathOf(place), in: "key", reason };
    }
    // Pushed in reverse so the first field is reported first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [unknown, unknown];
      stack.push({ value: child, place: { key: String(key), parent: place } });
    }
  }
  return null;
}

const reasonText: Record<UnstorableReason, string> = {
  nul: "a NUL character (U+0000)",
  surrogate: "an unpaired UTF-16 surrogate",
};

/** "Field "name" contains a NUL character (U+0000), which cannot be stored; remove it." */
export function describeUnstorable(found: UnstorableText): string {
  const where = found.path ? `Field "${printable(found.path)}"` : "The input";
  const what = found.in === "key" ? "has a key that contains" : "contains";
  return `${where} ${what} ${reasonText[found.reason]}, which cannot be stored; remove it.`;
}

/** A path that itself may hold the bad character, made safe to echo back. */
function printable(path: string): string {
  return storableText(path).slice(0, 200);
}

/**
 * The same refusal as data, so the error formatter can say it in the caller's language and
 * forms can show it at the field (catalog keys of messages/<locale>/errors.json).
 */
export function unstorableDetail(found: UnstorableText): ErrorDetail {
  const message = { key: "appMessages.unstorable", text: describeUnstorable(found) };
  if (!found.path) return message;
  return {
    key: "errors.fieldMessage",
    params: { field: printable(found.path), message },
    text: describeUnstorable(found),
    field: found.path,
  };
}
