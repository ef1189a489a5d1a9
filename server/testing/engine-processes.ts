/**
 * Server processes for the one-writer tests and the failover benchmark: each runs
 * server/testing/engine-process.ts (the services of server/runtime.ts, without Next) with the
 * given environment, and is driven by JSON lines. Every line it prints is kept, so a test waits
 * on what the process said, never on time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export type Line = Record<string, unknown> & { event?: string };

export interface EngineProcess {
  readonly pid: number;
  /** JSON lines from stdout, in order. */
  readonly lines: Line[];
  /** Every other line, stdout and stderr (logs). */
  readonly logs: string[];
  /** Resolves with the first line from `from` on (an index into `lines`) that `match` accepts. */
  next(match: (line: Line) => boolean, what: string, from?: number, timeoutMs?: number): Promise<Line>;
  /** Resolves once a log line matches. */
  logged(pattern: RegExp, what: string, timeoutMs?: number): Promise<string>;
  /** Sends a command and resolves with its answer. */
  ask(command: Line & { cmd: string }, timeoutMs?: number): Promise<Line>;
  signal(signal: NodeJS.Signals): void;
  readonly exited: Promise<number | null>;
}

const entry = path.resolve(path.dirname(new URL(import.meta.url).pathname), "engine-process.ts");

export function startEngineProcess(env: Record<string, string>, options: { maxOldSpaceMb?: number } = {}) {
  const args = ["--import", "tsx"];
  if (options.maxOldSpaceMb) args.push(`--max-old-space-size=${options.maxOldSpaceMb}`);
  const child: ChildProcess = spawn(process.execPath, [...args, entry], {
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: "",
      DATA_DIR: "",
      BETTER_AUTH_SECRET: "test-secret-test-secret-test-secret-32",
      NEXT_TELEMETRY_DISABLED: "1",
      ...env,
    },
  });
  const lines: Line[] = [];
  const logs: string[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const read = (stream: NodeJS.ReadableStream | null, json: boolean) =>
    stream &&
    createInterface({ input: stream }).on("line", (text) => {
      if (json && text.startsWith("{")) {
        try {
          lines.push(JSON.parse(text) as Line);
          return wake();
        } catch {
          // a log line that happens to start with "{": kept as a log
        }
      }
      logs.push(text);
      wake();
    });
  read(child.stdout, true);
  read(child.stderr, false);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      exitCode = code;
      resolve(code);
      wake();
    }),
  );

  const waitUntil = <T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (exitCode !== undefined) {
          done();
          reject(new Error(`process ${child.pid} exited (${exitCode}) before ${what}:\n${logs.slice(-30).join("\n")}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what} from process ${child.pid}:\n${logs.slice(-30).join("\n")}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const process_: EngineProcess = {
    pid: child.pid ?? -1,
    lines,
    logs,
    next: (match, what, from = 0, timeoutMs = 30_000) =>
      waitUntil(() => lines.slice(from).find(match), what, timeoutMs),
    logged: (pattern, what, timeoutMs = 30_000) => waitUntil(() => logs.find((l) => pattern.test(l)), what, timeoutMs),
    ask(command, timeoutMs = 30_000) {
      const from = lines.length;
      child.stdin?.write(`${JSON.stringify(command)}\n`);
      return process_.next((l) => l.event === command.cmd, `the answer to ${command.cmd}`, from, timeoutMs);
    },
    signal: (signal) => void child.kill(signal),
    exited,
  };
  return process_;
}
