/**
 * Dependency-free, shared by db/, server/ and the engine: finding and escaping text PostgreSQL
 * cannot store (U+0000 in `text` and `jsonb`; an unpaired UTF-16 surrogate, not valid UTF-8).
 */

export type UnstorableReason = "nul" | "surrogate";

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no `u` flag). */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const loneSurrogates = new RegExp(loneSurrogate, "g");
const unstorableChar = new RegExp(`\u0000|${loneSurrogate.source}`);

/** Why a string cannot be stored (a NUL anywhere before a surrogate), or null when it can. */
export function unstorableReason(text: string): UnstorableReason | null {
  if (text.includes("\u0000")) return "nul";
  if (loneSurrogate.test(text)) return "surrogate";
  return null;
}

/** The first code unit of `text` that cannot be stored (U+0000 or a lone surrogate), or null. */
export function firstUnstorableChar(text: string): string | null {
  return unstorableChar.exec(text)?.[0] ?? null;
}

/** NUL shown as the visible escape `\u0000` (so a reader sees what was sent); lone surrogates as U+FFFD. */
export function storableText(value: string): string {
  return value.replaceAll("\u0000", "\\u0000").replace(loneSurrogates, "\uFFFD");
}
