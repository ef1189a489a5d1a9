#!/usr/bin/env node
// cloudctl: runs the built CLI (dist/cli/cloudctl.js), building it first when it is missing.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "cli", "cloudctl.js");
if (!existsSync(built)) {
  const result = spawnSync(process.execPath, [join(root, "scripts", "build-client.mjs"), "--quiet"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0 || !existsSync(built)) {
    process.stderr.write(
      "error: cloudctl is not built; run `npm run build:client` in the tenant-cloud-console package\n",
    );
    process.exit(1);
  }
}
await import(pathToFileURL(built).href);
