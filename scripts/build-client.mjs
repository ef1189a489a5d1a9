#!/usr/bin/env node
/**
 * Builds what plain Node needs from the TypeScript sources:
 *   client/index.ts → dist/client/index.js   (the "tenant-cloud-console/client" export)
 *   cli/index.ts    → dist/cli/cloudctl.js   (the cloudctl bin)
 * ESM for Node; @trpc/client, @trpc/server, superjson and yaml stay external (dependencies).
 */
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  absWorkingDir: root,
  tsconfig: join(root, "tsconfig.json"),
  external: ["@trpc/client", "@trpc/server", "superjson", "yaml"],
};

await Promise.all([
  build({ ...common, entryPoints: ["client/index.ts"], outfile: "dist/client/index.js" }),
  build({ ...common, entryPoints: ["cli/index.ts"], outfile: "dist/cli/cloudctl.js" }),
]);
if (!process.argv.includes("--quiet")) console.log("built dist/client/index.js and dist/cli/cloudctl.js");
