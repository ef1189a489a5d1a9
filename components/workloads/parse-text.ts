/**
 * The wizard's text editor: YAML or JSON into a deployment object, or the line that went
 * wrong and why. The parsers speak English (and each browser its own), so their text is never
 * shown: a problem is a catalog key under `workloads.wizard.errors` (`syntax.*`), chosen by the
 * YAML library's error code or by the shape of the JSON parser's message.
 */
import { parseDocument, type ErrorCode } from "yaml";
import type { DeploymentObject, FieldError, TextFormat } from "./spec";

export type ParseResult =
  | { ok: true; object: DeploymentObject }
  | { ok: false; line: number | null; problem: FieldError };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const notAnObject: ParseResult = { ok: false, line: 1, problem: { key: "notAnObject" } };

/** Parse YAML or JSON and say on which line it went wrong. */
export function parseText(text: string, format: TextFormat): ParseResult {
  return format === "json" ? parseJson(text) : parseYaml(text);
}

function parseJson(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    const message = (err as Error).message;
    const lineCol = /line (\d+)/.exec(message);
    const pos = /position (\d+)/.exec(message);
    const line = lineCol ? Number(lineCol[1]) : pos ? text.slice(0, Number(pos[1])).split("\n").length : null;
    return { ok: false, line, problem: jsonProblem(message) };
  }
  return isRecord(value) ? { ok: true, object: value } : notAnObject;
}

/** V8's and Firefox's JSON messages by what they say; anything else is "not valid JSON". */
export function jsonProblem(message: string): FieldError {
  if (/unexpected end|unterminated string|end of data/i.test(message)) return { key: "syntax.jsonEnd" };
  if (/expected ':'/i.test(message)) return { key: "syntax.jsonColon" };
  if (/expected ','/i.test(message)) return { key: "syntax.jsonComma" };
  if (/property name/i.test(message)) return { key: "syntax.jsonPropertyName" };
  if (/after json|unexpected non-whitespace/i.test(message)) return { key: "syntax.jsonTrailing" };
  if (/control character/i.test(message)) return { key: "syntax.jsonControl" };
  const token = /unexpected token '(.)'/i.exec(message)?.[1];
  if (token) return { key: "syntax.jsonToken", values: { token } };
  return { key: "syntax.jsonInvalid" };
}

const yamlKeys: Partial<Record<ErrorCode, string>> = {
  BAD_INDENT: "syntax.yamlIndent",
  TAB_AS_INDENT: "syntax.yamlTab",
  MISSING_CHAR: "syntax.yamlMissingChar",
  DUPLICATE_KEY: "syntax.yamlDuplicateKey",
  BLOCK_AS_IMPLICIT_KEY: "syntax.yamlKeyLine",
  MULTILINE_IMPLICIT_KEY: "syntax.yamlKeyLine",
  UNEXPECTED_TOKEN: "syntax.yamlUnexpected",
  BAD_SCALAR_START: "syntax.yamlReservedStart",
  MULTIPLE_DOCS: "syntax.yamlMultipleDocs",
  BAD_ALIAS: "syntax.yamlAlias",
  BAD_DQ_ESCAPE: "syntax.yamlEscape",
};

/** The catalog key for a YAML error code; codes a person rarely meets share a general one. */
export const yamlProblem = (code: ErrorCode): FieldError => ({ key: yamlKeys[code] ?? "syntax.yamlInvalid" });

function parseYaml(text: string): ParseResult {
  const doc = parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first) return { ok: false, line: first.linePos?.[0]?.line ?? null, problem: yamlProblem(first.code) };
  let value: unknown;
  try {
    value = doc.toJS() as unknown;
  } catch {
    // toJS throws only for an alias whose anchor is not defined before it.
    return { ok: false, line: null, problem: { key: "syntax.yamlAlias" } };
  }
  return isRecord(value) ? { ok: true, object: value } : notAnObject;
}
