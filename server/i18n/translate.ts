/**
 * Server errors in the caller's language. The caller's locale comes from the request (the
 * console's locale cookie, else Accept-Language); a script that sends neither gets English.
 * Texts come from the same next-intl catalogs the console uses (all of them: ./catalogs.ts).
 *
 * What is translated, in order: an error's `detail` (a catalog key and values, attached where
 * it is thrown); else a text the engine's or the server's template table can read
 * (i18n/engine-messages.ts, ./app-messages.ts); else the error's own English message,
 * unchanged. Validation errors are translated per issue (a keyed message, a known text of the
 * server or the engine, or zod's own message by its issue code) and kept by field.
 */
import { createTranslator } from "next-intl";
import type { ZodError } from "zod";
import { z } from "zod";
import { parseEngineMessage } from "@/i18n/engine-messages";
import { localeCookie, negotiateLocale, type Locale } from "@/i18n/locales";
import { renderMessage, type Translate } from "@/i18n/render-message";
import type { ErrorDetail } from "../engine/core/errors";
import { parseAppMessage } from "./app-messages";
import { serverCatalog } from "./catalogs";

const translators = new Map<Locale, Translate>();

export function translatorFor(locale: Locale): Translate {
  let t = translators.get(locale);
  if (!t) {
    // A missing value is a bug in a detail, not a reason to fail the request: show the key's text as far as it goes.
    const created = createTranslator({ locale, messages: serverCatalog(locale), onError: () => undefined });
    t = Object.assign(
      (key: string, values?: Record<string, string | number>) => created(key as never, values as never),
      {
        has: (key: string) => created.has(key as never),
      },
    );
    translators.set(locale, t);
  }
  return t;
}

/** The caller's locale from request headers: the locale cookie, else Accept-Language, else English. */
export function localeOfHeaders(headers: Headers | undefined): Locale {
  if (!headers) return "en";
  return negotiateLocale(cookieValue(headers.get("cookie"), localeCookie), headers.get("accept-language"));
}

function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [k, ...v] = part.trim().split("=");
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join("="));
    } catch {
      return undefined; // a malformed cookie is no choice: fall back to Accept-Language
    }
  }
  return undefined;
}

/** An error's message as data: its own detail, else what the engine's or the server's text table reads from it. */
export function detailOf(error: { message: string; detail?: ErrorDetail }, engine: boolean): ErrorDetail | undefined {
  return error.detail ?? (engine ? parseEngineMessage(error.message) : parseAppMessage(error.message));
}

/** The message in `locale`, or `fallback` (the English text) when the catalog cannot say it. */
export function localizeDetail(detail: ErrorDetail | undefined, locale: Locale, fallback: string): string {
  return (detail && renderMessage(translatorFor(locale), detail)) ?? fallback;
}

/**
 * A fixed server text (./app-messages.ts) in the language of the request `headers` carry, for
 * answers written outside the tRPC formatter (HTTP guards, rate limits, server actions); an
 * unknown text comes back unchanged.
 */
export function localizeServerText(text: string, headers: Headers | undefined): string {
  return localizeDetail(parseAppMessage(text), localeOfHeaders(headers), text);
}

/**
 * Schema messages that are catalog keys: `z.number().max(9, catalogMessage("appMessages.topUpMax"))`.
 * The formatter renders them in the caller's language; they never reach anyone as written.
 */
export const catalogMessage = (key: string) => `${KEY_MARK}${key}`;
const KEY_MARK = "@i18n:";

type Issue = ZodError["issues"][number];

/** One validation issue in `locale`: a keyed message, zod's own message by its code, or the schema's text. */
export function localizeIssue(issue: Issue, locale: Locale): string {
  const t = translatorFor(locale);
  if (issue.message.startsWith(KEY_MARK)) {
    const key = issue.message.slice(KEY_MARK.length);
    return t.has(key) ? t(key) : key;
  }
  // A schema's own text: the server's (app-messages.ts), or the engine's quantity and text rules (the console's input schemas reuse them).
  const known = parseAppMessage(issue.message) ?? parseEngineMessage(issue.message);
  if (known) return renderMessage(t, known) ?? issue.message;
  if (!isZodDefault(issue)) return issue.message;
  const rendered = renderMessage(t, { key: `errors.validation.${issueKey(issue)}`, params: issueParams(issue) });
  return rendered ?? (locale === "zh-CN" ? (z.locales.zhCN().localeError(issue as never) as string) : issue.message);
}

/** Zod's English default, as opposed to a text a schema wrote (which is kept). */
function isZodDefault(issue: Issue): boolean {
  if (issue.code === "invalid_type") return issue.message.startsWith("Invalid input: expected");
  const generated = z.locales.en().localeError(issue as never);
  return (typeof generated === "string" ? generated : generated?.message) === issue.message;
}

/** The catalog key under `errors.validation.` for an issue: its code, refined where the text differs. */
function issueKey(issue: Issue): string {
  const t = translatorFor("en");
  const refined = (key: string) => (t.has(`errors.validation.${key}`) ? key : issue.code);
  switch (issue.code) {
    case "too_big":
    case "too_small": {
      const length = issue.origin === "string" || issue.origin === "array" || issue.origin === "set";
      if (length && issue.code === "too_small" && Number(issue.minimum) === 1 && issue.inclusive !== false)
        return "required";
      return `${issue.code}_${length ? "length" : "number"}${issue.inclusive === false ? "_exclusive" : ""}`;
    }
    case "invalid_type":
      return refined(`invalid_type_${String(issue.expected)}`);
    case "invalid_format":
      return refined(`invalid_format_${String(issue.format)}`);
    default:
      return issue.code;
  }
}

function issueParams(issue: Issue): Record<string, string | number> {
  switch (issue.code) {
    case "too_big":
      return { limit: Number(issue.maximum) };
    case "too_small":
      return { limit: Number(issue.minimum) };
    case "invalid_type":
      return { expected: String(issue.expected) };
    case "invalid_value":
      return { values: issue.values.map((v) => JSON.stringify(v)).join(", ") };
    case "unrecognized_keys":
      return { keys: issue.keys.map((k) => `"${k}"`).join(", ") };
    case "invalid_format":
      return { format: String(issue.format) };
    case "not_multiple_of":
      return { divisor: Number(issue.divisor) };
    default:
      return {};
  }
}

/** The field an issue concerns: the top-level input key, as zod's `flatten()` groups them. */
export function issueField(issue: Issue): string | undefined {
  const first = issue.path[0];
  return first === undefined ? undefined : String(first);
}

/** A field's name for a reader, when the catalog has one; else its path. */
export function fieldLabel(path: string, locale: Locale): string {
  const t = translatorFor(locale);
  const key = `errors.fields.${path.replace(/\./g, "_")}`;
  return t.has(key) ? t(key) : path;
}

/** True when a schema wrote the issue's message for people ("Top up at least 1.00."): it needs no field name before it. */
export const issueIsWritten = (issue: Issue) =>
  issue.message.startsWith(KEY_MARK) || parseAppMessage(issue.message) !== undefined;
