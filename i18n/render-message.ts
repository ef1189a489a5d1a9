/**
 * Renders a message given as data (`MessageRef`: a catalog key and its values) with a
 * next-intl translator: the server's error formatter and the console's event views share it,
 * so a refusal reads the same in a banner and in an event.
 */
import type { MessageParam, MessageRef } from "@/server/engine/core/errors";

/** What next-intl's `createTranslator()` and root `useTranslations()` both offer. */
export interface Translate {
  (key: string, values?: Record<string, string | number>): string;
  has(key: string): boolean;
}

/**
 * The message in the translator's language, or undefined when its key is not in the catalog
 * (the caller then shows the English text it has). Nested values fall back to their own text.
 */
export function renderMessage(t: Translate, ref: MessageRef): string | undefined {
  if (!ref.key || !t.has(ref.key)) return undefined;
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(ref.params ?? {})) values[name] = renderParam(t, value);
  return t(ref.key, values);
}

function renderParam(t: Translate, value: MessageParam): string | number {
  if (typeof value === "string" || typeof value === "number") return value;
  if (Array.isArray(value)) return value.map((v) => renderParam(t, v)).join(separatorOf(t, value));
  return renderMessage(t, value) ?? value.text ?? value.key;
}

/** A list is joined by its items' namespace's `separator` (`errors.separator`: "; "), else by the errors' one. */
function separatorOf(t: Translate, items: MessageRef[]): string {
  const key = items.find((i) => i.key)?.key;
  const own = key ? `${key.slice(0, key.lastIndexOf("."))}.separator` : "";
  if (own && t.has(own)) return t(own);
  return t.has("errors.separator") ? t("errors.separator") : "; ";
}
