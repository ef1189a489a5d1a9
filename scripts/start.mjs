#!/usr/bin/env node
/**
 * `npm start`: builds the console when the build is missing or older than the sources,
 * then serves it on $PORT (default 3000) with the embedded database in $DATA_DIR.
 */
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const distDir = process.env.NEXT_DIST_DIR || ".next";
const buildId = path.join(root, distDir, "BUILD_ID");
// A build in another folder gets its own tsconfig (next.config.ts), since Next rewrites the one it uses.
if (process.env.NEXT_DIST_DIR && !existsSync(path.join(root, `${distDir}.tsconfig.json`))) {
  writeFileSync(path.join(root, `${distDir}.tsconfig.json`), JSON.stringify({ extends: "./tsconfig.json" }));
}
const sources = [
  "app",
  "components",
  "server",
  "db",
  "i18n",
  "messages",
  "next.config.ts",
  "package-lock.json",
  "instrumentation.ts",
  "proxy.ts",
  "tsconfig.json",
];

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
const sourcesAt = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
if (builtAt < sourcesAt) {
  console.log(
    builtAt ? "[start] sources changed since the last build: building…" : "[start] first run: building the console…",
  );
  const build = spawnSync("npx", ["next", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const port = process.env.PORT ?? "3000";
// Like `next start`, plus the socket address for the sign-in throttle (scripts/serve.mjs).
const server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs")], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PORT: port },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
