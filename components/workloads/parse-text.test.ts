/** The text editor's problems are catalog keys (in both languages), never the parsers' English. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsonProblem, parseText } from "./parse-text";

const catalog = (locale: string) =>
  (
    JSON.parse(readFileSync(new URL(`../../messages/${locale}/workloads.json`, import.meta.url), "utf8")) as {
      workloads: { wizard: { errors: Record<string, unknown> } };
    }
  ).workloads.wizard.errors;
const lookup = (errors: Record<string, unknown>, key: string) =>
  key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], errors);

function problemOf(text: string, format: "yaml" | "json") {
  const r = parseText(text, format);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return r;
}

describe("parseText", () => {
  it("names YAML problems by the library's code, with their line", () => {
    expect(problemOf("name: a\nname: b", "yaml")).toEqual({
      ok: false,
      line: 2,
      problem: { key: "syntax.yamlDuplicateKey" },
    });
    expect(problemOf("a:\n\t- b", "yaml").problem.key).toBe("syntax.yamlTab");
    expect(problemOf('a: "x', "yaml").problem.key).toBe("syntax.yamlMissingChar");
    expect(problemOf("a: [1, 2", "yaml").problem.key).toBe("syntax.yamlIndent");
    expect(problemOf("name: a\n  replicas: 2", "yaml").problem.key).toBe("syntax.yamlKeyLine");
    expect(problemOf("a: *missing", "yaml").problem.key).toBe("syntax.yamlAlias");
    expect(problemOf("- a\n- b", "yaml").problem.key).toBe("notAnObject");
  });

  it("names JSON problems by what the parser says, with their line", () => {
    expect(problemOf('{\n  "a": 1,\n}', "json")).toEqual({
      ok: false,
      line: 3,
      problem: { key: "syntax.jsonPropertyName" },
    });
    expect(problemOf('{"a": 1', "json").problem.key).toBe("syntax.jsonComma");
    expect(problemOf('{"a" 1}', "json").problem.key).toBe("syntax.jsonColon");
    expect(problemOf('{"a": 1} x', "json").problem.key).toBe("syntax.jsonTrailing");
    expect(problemOf('{"a": tru}', "json").problem).toEqual({ key: "syntax.jsonToken", values: { token: "}" } });
    expect(problemOf("", "json").problem.key).toBe("syntax.jsonEnd");
    expect(jsonProblem("JSON.parse: end of data while reading object contents")).toEqual({ key: "syntax.jsonEnd" });
    expect(jsonProblem("something new")).toEqual({ key: "syntax.jsonInvalid" });
  });

  it("every key it can answer is in both catalogs", () => {
    const keys = [
      "notAnObject",
      "syntax.jsonInvalid",
      "syntax.yamlInvalid",
      "syntax.yamlUnexpected",
      "syntax.yamlReservedStart",
      "syntax.yamlMultipleDocs",
      "syntax.yamlEscape",
      "syntax.jsonControl",
    ];
    for (const text of ["name: a\nname: b", "a:\n\t- b", 'a: "x', "a: [1, 2", "name: a\n  replicas: 2", "a: *missing"])
      keys.push(problemOf(text, "yaml").problem.key);
    for (const locale of ["en", "zh-CN"])
      for (const key of keys) expect(typeof lookup(catalog(locale), key), `${locale}: ${key}`).toBe("string");
  });
});
