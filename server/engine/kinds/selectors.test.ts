import { describe, expect, it } from "vitest";
import { EngineError } from "../core/errors";
import {
  compileFieldSelector,
  deploymentSelectorProblem,
  fieldSelectorMatcher,
  formatLabelRequirements,
  formatLabelSelector,
  labelSelectorMatcher,
  labelSelectorObjectMatcher,
  parseFieldSelector,
  parseLabelSelector,
  selectorSelectsLabels,
} from "./selectors";

const web = { app: "web", tier: "frontend", env: "prod" };
const db = { app: "db", tier: "backend" };
const bare = {};

function errorOf(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error("expected an EngineError");
}

describe("label selector strings", () => {
  // [selector, matches web, matches db, matches a pod without labels]
  const table: [string, boolean, boolean, boolean][] = [
    ["", true, true, true],
    ["   ", true, true, true],
    ["app=web", true, false, false],
    ["app==web", true, false, false],
    ["app = web", true, false, false],
    ["app!=web", false, true, true],
    ["app=web,tier=frontend", true, false, false],
    ["app=web,tier=backend", false, false, false],
    ["app in (web,db)", true, true, false],
    ["app in (web, db)", true, true, false],
    ["app notin (web)", false, true, true],
    ["env", true, false, false],
    ["!env", false, true, true],
    ["app,!env", false, true, false],
    ["env=", false, false, false],
    ["env in (prod,)", true, false, false],
    ["env notin (,staging)", true, true, true],
    ["example.com/team=a", false, false, false],
    ["app=web, env in (prod), !canary", true, false, false],
  ];
  it.each(table)("%j", (sel, w, d, b) => {
    const m = labelSelectorMatcher(sel);
    expect([m(web), m(db), m(bare)]).toEqual([w, d, b]);
  });

  it("an empty value selects a label present with the empty value", () => {
    expect(labelSelectorMatcher("env=")({ env: "" })).toBe(true);
    expect(labelSelectorMatcher("env in (prod,)")({ env: "" })).toBe(true);
  });

  it("compares integers with > and <", () => {
    expect(labelSelectorMatcher("gen>3")({ gen: "4" })).toBe(true);
    expect(labelSelectorMatcher("gen>3")({ gen: "3" })).toBe(false);
    expect(labelSelectorMatcher("gen<3")({ gen: "x" })).toBe(false);
    expect(labelSelectorMatcher("gen<3")({})).toBe(false);
  });

  it("parses into sorted, de-duplicated requirements and formats them back", () => {
    const reqs = parseLabelSelector("app in (b,a,b), !canary,track,x!=y");
    expect(reqs).toEqual([
      { key: "app", operator: "in", values: ["a", "b"] },
      { key: "canary", operator: "!", values: [] },
      { key: "track", operator: "exists", values: [] },
      { key: "x", operator: "!=", values: ["y"] },
    ]);
    expect(formatLabelRequirements(reqs)).toBe("app in (a,b),!canary,track,x!=y");
  });

  // [selector, a part the message must contain]
  const invalid: [string, string][] = [
    ["app in ()", "can't be empty"],
    ["app in (a", "expected a value, ',' or ')'"],
    ["app in a", "expected '(' after 'in'"],
    ["app in (a b)", `after "a"`],
    ["app=web,", "missing after the last ','"],
    [",app", "expected a label key, found ',' at position 1"],
    ["app=a=b", "expected ',' between requirements"],
    ["app web", `after key "app"`],
    ["-app=x", `key "-app": name part must consist`],
    [`${"k".repeat(64)}=x`, "name part must be no more than 63 characters"],
    ["a/b/c=x", "at most one '/'"],
    ["Example.com/a=x", "prefix part must be a lowercase DNS-1123 subdomain"],
    ["/a=x", "prefix part must be non-empty"],
    [`app=${"v".repeat(64)}`, `for key "app": must be no more than 63 characters`],
    ["app=-x", `value "-x" for key "app"`],
    ["app in (ok,-bad)", `value "-bad" for key "app"`],
    ["gen>x", "must be an integer"],
    ["!", "expected a label key, found end of selector"],
  ];
  it.each(invalid)("refuses %j", (sel, part) => {
    const e = errorOf(() => parseLabelSelector(sel));
    expect(e.code).toBe("INVALID");
    expect(e.message).toContain(`invalid label selector "${sel}"`);
    expect(e.message).toContain(part);
  });
});

describe("label selector objects", () => {
  it("ANDs matchLabels and matchExpressions", () => {
    const m = labelSelectorObjectMatcher({
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "env", operator: "In", values: ["prod", "staging"] },
        { key: "canary", operator: "DoesNotExist" },
      ],
    });
    expect(m(web)).toBe(true);
    expect(m({ ...web, canary: "1" })).toBe(false);
    expect(m({ ...web, env: "dev" })).toBe(false);
    expect(m(db)).toBe(false);
  });

  it("{} selects everything and a missing selector nothing", () => {
    expect(labelSelectorObjectMatcher({})(bare)).toBe(true);
    expect(labelSelectorObjectMatcher(undefined)(web)).toBe(false);
    expect(selectorSelectsLabels({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["x"] }] }, bare)).toBe(
      true,
    );
  });

  it("names the bad field", () => {
    expect(
      errorOf(() => labelSelectorObjectMatcher({ matchExpressions: [{ key: "a", operator: "In", values: [] }] }))
        .message,
    ).toBe("selector.matchExpressions[0].values: must be specified when operator is In");
    expect(
      errorOf(() =>
        labelSelectorObjectMatcher(
          { matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] },
          "spec.selector",
        ),
      ).message,
    ).toBe("spec.selector.matchExpressions[0].values: may not be specified when operator is Exists");
    expect(
      errorOf(() =>
        labelSelectorObjectMatcher({ matchExpressions: [{ key: "a", operator: "Like" as "In", values: ["x"] }] }),
      ).message,
    ).toContain('operator: "Like" is not one of In, NotIn, Exists, DoesNotExist');
    expect(errorOf(() => labelSelectorObjectMatcher({ matchLabels: { app: "-x" } })).message).toContain(
      'selector.matchLabels.app: value "-x"',
    );
  });

  it("formats as kubectl's SELECTOR column", () => {
    expect(formatLabelSelector({ matchLabels: { app: "web" } })).toBe("app=web");
    expect(
      formatLabelSelector({ matchLabels: { app: "web" }, matchExpressions: [{ key: "env", operator: "Exists" }] }),
    ).toBe("app=web,env");
    expect(formatLabelSelector({})).toBe("<none>");
  });

  it("a deployment's selector must be non-empty and select its template labels", () => {
    expect(deploymentSelectorProblem({ matchLabels: { app: "web" } }, web)).toBeUndefined();
    expect(deploymentSelectorProblem({ matchLabels: { app: "db" } }, web)).toBe(
      "spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`",
    );
    expect(deploymentSelectorProblem({}, web)).toContain("empty selector is invalid for deployment");
    expect(deploymentSelectorProblem(undefined, web)).toBe("spec.selector: Required value");
  });
});

describe("field selectors", () => {
  interface Row {
    name: string;
    phase?: string;
  }
  const getters = { "metadata.name": (r: Row) => r.name, "status.phase": (r: Row) => r.phase };

  it("parses =, == and != terms, with escapes", () => {
    expect(parseFieldSelector("metadata.name=web,status.phase!=Running, spec.nodeName==n1")).toEqual([
      { field: "metadata.name", operator: "=", value: "web" },
      { field: "status.phase", operator: "!=", value: "Running" },
      { field: "spec.nodeName", operator: "=", value: "n1" },
    ]);
    expect(parseFieldSelector(String.raw`metadata.name=a\,b\=c\\d`)).toEqual([
      { field: "metadata.name", operator: "=", value: String.raw`a,b=c\d` },
    ]);
    expect(parseFieldSelector("")).toEqual([]);
    expect(parseFieldSelector("metadata.name=")).toEqual([{ field: "metadata.name", operator: "=", value: "" }]);
  });

  it("matches with the kind's getters; absent fields read as empty", () => {
    const m = fieldSelectorMatcher("metadata.name=web,status.phase!=Running", getters);
    expect(m({ name: "web", phase: "Pending" })).toBe(true);
    expect(m({ name: "web", phase: "Running" })).toBe(false);
    expect(m({ name: "db" })).toBe(false);
    expect(fieldSelectorMatcher("status.phase=", getters)({ name: "x" })).toBe(true);
    expect(fieldSelectorMatcher(undefined, getters)({ name: "x" })).toBe(true);
  });

  it("refuses bad terms and fields the kind does not declare", () => {
    expect(errorOf(() => parseFieldSelector("metadata.name")).message).toContain(`can't understand "metadata.name"`);
    expect(errorOf(() => parseFieldSelector("=x")).message).toContain("can't understand");
    expect(errorOf(() => parseFieldSelector("a=b=c")).message).toContain("unescaped '='");
    expect(errorOf(() => parseFieldSelector(String.raw`a=b\x`)).message).toContain("invalid escape sequence");
    expect(errorOf(() => compileFieldSelector(parseFieldSelector("spec.foo=x"), getters)).message).toBe(
      "field label not supported: spec.foo",
    );
  });
});
