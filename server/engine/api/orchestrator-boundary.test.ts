/**
 * The orchestrator port is the only way in: no file outside server/engine reaches the
 * engine's `internals` or names its implementation type (`Engine`,
 * `ReturnType<typeof createEngine>`). A static check over the sources, so a new consumer
 * that reaches past the port fails here rather than at the next engine refactor.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");
const SCANNED = ["app", "bin", "cli", "client", "components", "db", "i18n", "lib", "playwright", "scripts", "server"];
const SKIPPED_DIRS = new Set(["node_modules", ".next", "dist"]);
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;

/**
 * Files allowed past the port, each with why. A file listed here that no longer reaches past
 * it fails the test, so the list only shrinks.
 */
const ALLOWED: Record<string, string> = {
  "scripts/bench/engine.ts":
    "the engine benchmark measures internals the port does not expose on purpose (scheduler counters, queue depths, the virtual clock)",
  "scripts/bench/lib.ts": "builds the benchmark's white-box engine (newEngine) for scripts/bench/engine.ts",
  "server/leadership/leadership.test.ts":
    "tests the standby guard on a stand-in object with an `internals` field, not on the engine",
};

const RULES: { name: string; pattern: RegExp }[] = [
  { name: "reaches engine.internals", pattern: /\.internals\b/ },
  { name: "names ReturnType<typeof createEngine>", pattern: /ReturnType<\s*typeof\s+createEngine\s*>/ },
  // `Engine` imported by name (alone or in a list), from the engine's public face or any module of it.
  {
    name: "imports the Engine type",
    pattern: /import\s+(type\s+)?\{[^}]*\b(type\s+)?Engine\b(?!\w)[^}]*\}\s*from\s*["'][^"']*engine[^"']*["']/,
  },
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && rel !== "server/engine") out.push(...sourceFiles(rel));
    } else if (SOURCE.test(entry.name)) out.push(rel);
  }
  return out;
}

function violations(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  return RULES.filter((r) => r.pattern.test(text)).map((r) => r.name);
}

describe("the orchestrator port boundary", () => {
  const files = SCANNED.flatMap((d) => {
    try {
      return sourceFiles(d);
    } catch {
      return []; // a folder this checkout does not have
    }
  });

  it("scans the sources outside server/engine", () => {
    expect(files).toContain("server/services.ts");
    expect(files.some((f) => f.startsWith("server/engine/"))).toBe(false);
  });

  it("no file outside server/engine reaches past the port", () => {
    const found = files.filter((f) => !(f in ALLOWED)).flatMap((f) => violations(f).map((v) => `${f}: ${v}`));
    expect(found).toEqual([]);
  });

  it("every allowed exception still needs its exception", () => {
    const stale = Object.keys(ALLOWED).filter((f) => files.includes(f) && violations(f).length === 0);
    expect(stale).toEqual([]);
  });
});
