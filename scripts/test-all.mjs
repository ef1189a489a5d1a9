#!/usr/bin/env node
/**
 * `npm test`: every test. Vitest (unit, engine and router tests), then Playwright (the
 * production build in Debian's Chromium). With TEST_DATABASE_URL set, router tests and the
 * browser tests' server both use fresh databases on that PostgreSQL server; without it,
 * embedded PGlite. Ends with one line: `tests: N passed, N failed`.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const results = path.join(root, ".test-results");
mkdirSync(results, { recursive: true });
process.env.NEXT_TELEMETRY_DISABLED = "1";

const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } }).status ?? 1;
const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null);

ensureChromium();

// 1. Vitest
const vitestFile = path.join(results, "vitest.json");
rmSync(vitestFile, { force: true });
const vitestStatus = run("npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestFile}`,
]);
const vitest = readJson(vitestFile);
const unit = { passed: vitest?.numPassedTests ?? 0, failed: vitest?.numFailedTests ?? 0 };
// A runner that broke (or failed outside any test) counts as one failed test, never as none.
if (vitestStatus !== 0 && unit.failed === 0) unit.failed += 1;

// 2. Playwright
const e2eDatabase = await createE2eDatabase();
const playwrightFile = path.join(results, "playwright.json");
rmSync(playwrightFile, { force: true });
const playwrightStatus = run("npx", ["playwright", "test", "--reporter=list,json"], {
  PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightFile,
  PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightFile,
  E2E_DATABASE_URL: e2eDatabase?.url ?? "",
});
await e2eDatabase?.drop();
const stats = readJson(playwrightFile)?.stats;
const e2e = { passed: (stats?.expected ?? 0) + (stats?.flaky ?? 0), failed: stats?.unexpected ?? 0 };
// The web server not starting (or a global set-up failing) leaves a report of no tests: one failed.
if (playwrightStatus !== 0 && e2e.failed === 0) e2e.failed += 1;

const passed = unit.passed + e2e.passed;
const failed = unit.failed + e2e.failed;
const where = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite";
console.log(
  `\nvitest: ${unit.passed} passed, ${unit.failed} failed; playwright: ${e2e.passed} passed, ${e2e.failed} failed (database: ${where})`,
);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || vitestStatus !== 0 || playwrightStatus !== 0 ? 1 : 0);

function ensureChromium() {
  const binary = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(binary)) return;
  if (process.getuid?.() === 0) {
    console.log(
      "[test] Debian's chromium is missing: installing it (Playwright cannot download its own browser here)…",
    );
    run("apt-get", ["update", "-qq"]);
    run("apt-get", ["install", "-y", "-qq", "chromium"]);
  }
  if (!existsSync(binary))
    console.error(`[test] ${binary} not found: install Debian's chromium package (apt-get install chromium).`);
}

async function createE2eDatabase() {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return null;
  const { default: pg } = await import("pg");
  const name = `tc_e2e_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
