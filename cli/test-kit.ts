/**
 * cloudctl for tests: `inProcess` runs the CLI's own `run` in the test's process (no Node start per
 * command, so a suite of many commands stays fast), with the environment a real process would get;
 * `spawned` runs the built bundle as `npx cloudctl` does, for what only a real process shows (the bin,
 * exit codes, the package build). Both answer { code, stdout, stderr }, stdout and stderr ending in a
 * newline per line printed, as a process's would.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Io } from "./commands/types";
import { run } from "./main";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const root = join(import.meta.dirname, "..");
const exec = promisify(execFile);

/** The variables cloudctl reads, as a test sets them (unset: empty, so the caller's shell cannot leak in). */
function cliEnv(configDir: string, env: Record<string, string>): Record<string, string> {
  return { CLOUDCTL_CONFIG: join(configDir, "config.json"), CLOUDCTL_URL: "", CLOUDCTL_TOKEN: "", ...env };
}

/**
 * Runs `cloudctl args` in this process. Calls must not overlap (they set process.env for their
 * duration); `stop` ends a watching command (`get -w`) and `onOut` sees each stdout line as printed.
 */
export async function inProcess(
  configDir: string,
  args: string[],
  env: Record<string, string> = {},
  options: { stop?: AbortSignal; onOut?: (line: string) => void; stdin?: string } = {},
): Promise<CliResult> {
  const vars = cliEnv(configDir, env);
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  let stdout = "";
  let stderr = "";
  const io: Io = {
    out: (text) => {
      stdout += `${text}\n`;
      options.onOut?.(text);
    },
    err: (text) => {
      stderr += `${text}\n`;
    },
    readStdin: async () => options.stdin ?? "",
    ...(options.stop ? { stop: options.stop } : {}),
  };
  try {
    return { code: await run(args, io), stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Runs the built bin (bin/cloudctl.mjs) as a child process; build it first (scripts/build-client.mjs). */
export async function spawned(configDir: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [join(root, "bin/cloudctl.mjs"), ...args], {
      env: { ...process.env, ...cliEnv(configDir, env) },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Builds dist/client and dist/cli (what `spawned` and the package export run). */
export async function buildBundles(): Promise<void> {
  await exec(process.execPath, [join(root, "scripts/build-client.mjs"), "--quiet"]);
}
