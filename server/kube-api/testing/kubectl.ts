/**
 * The real kubectl for the Kubernetes API's tests: each run with a kubeconfig, a fresh
 * --cache-dir (kubectl caches discovery for hours), an environment of PATH and HOME only, a
 * 20 s request timeout and a kill after 25 s. Runs are asynchronous: the listener is in the
 * test's own process, and a synchronous spawn would block it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { KubeFixture } from "./fixture";

export const KUBECTL = "/usr/bin/kubectl";
/** For `describe.skipIf(!hasKubectl)`: the machine may not have kubectl. */
export const hasKubectl = existsSync(KUBECTL);

const REQUEST_TIMEOUT = "20s";
const KILL_AFTER_MS = 25_000;

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A run still going: its process, its output so far, and its end. */
export interface KubectlProcess {
  child: ChildProcess;
  stdout(): string;
  done: Promise<KubectlRun>;
}

export interface KubectlRunner {
  start(args: string[]): KubectlProcess;
  run(args: string[]): Promise<KubectlRun>;
  /** Runs kubectl and returns its stdout; throws with its stderr when it exits non-zero. */
  ok(args: string[]): Promise<string>;
  /** Writes a manifest into `dir` (an object as JSON) and returns its path. */
  file(name: string, content: string | object): string;
}

/** `dir` holds the cache dirs and manifests and is kubectl's HOME (a fixture's `dir`). */
export function kubectlRunner({ dir, kubeconfig }: { dir: string; kubeconfig: string }): KubectlRunner {
  function start(args: string[]): KubectlProcess {
    const cache = mkdtempSync(path.join(dir, "cache-"));
    const child = spawn(
      KUBECTL,
      ["--kubeconfig", kubeconfig, "--cache-dir", cache, "--request-timeout", REQUEST_TIMEOUT, ...args],
      {
        env: { PATH: process.env.PATH ?? "", HOME: dir } as unknown as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
    const done = new Promise<KubectlRun>((resolve) =>
      child.on("close", (code) => {
        clearTimeout(killer);
        resolve({ code: code ?? 1, stdout, stderr });
      }),
    );
    return { child, stdout: () => stdout, done };
  }

  const run = (args: string[]) => start(args).done;

  return {
    start,
    run,
    async ok(args) {
      const r = await run(args);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    file(name, content) {
      const p = path.join(dir, name);
      writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
      return p;
    },
  };
}

/** kubectl as `token` on the fixture's listener, with `namespace` as the kubeconfig's default. */
export function kubectlAs(f: KubeFixture, token: string, namespace?: string): KubectlRunner {
  return kubectlRunner({ dir: f.dir, kubeconfig: f.kubeconfig(token, namespace) });
}
