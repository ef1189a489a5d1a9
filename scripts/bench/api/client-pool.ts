/**
 * The parent's handle on the client processes (client-process.ts), forked with node and tsx,
 * requests and answers over IPC (structured clone, so bodies come back as bytes). The simulated
 * clients are split between `processes` processes (by default one per CPU, as separate kubectl
 * processes would spread over the machine's cores); the parent keeps the server.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Samples } from "./closed-loop";
import type { ClientCommand, ClientMessage } from "./client-process";
import type { ApiResponse, Endpoint } from "./https-client";
import type { PagedRun } from "./paged-list";
import type { LoadOp, PlannedRequest, RequestPlan } from "./requests";

export interface ClientPool {
  readonly processes: number;
  /** A closed loop of `op` from the first `clients` clients; its `cpuMs` is the client processes'. */
  loop(op: LoadOp, plan: RequestPlan, opts: LoopOptions): Promise<Samples>;
  once(client: number | "operator", request: PlannedRequest): Promise<ApiResponse>;
  paged(rounds: number, pageSize: number): Promise<PagedRun>;
  /** Closes the clients and waits for the processes to end. */
  close(): Promise<void>;
}

export interface LoopOptions {
  clients: number;
  count: number;
  warmup: boolean;
  headers?: Record<string, string>;
}

interface ClientProcess {
  call<T>(cmd: ClientCommand): Promise<T>;
  close(): Promise<void>;
}

function forkClientProcess(): ClientProcess {
  const child: ChildProcess = fork(fileURLToPath(new URL("./client-process.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    serialization: "advanced",
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 0;
  let exited: Error | undefined;
  child.on("message", (m: ClientMessage) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(`client process: ${m.error}`));
    else p.resolve(m.result);
  });
  child.on("exit", (code, signal) => {
    exited = new Error(`client process exited (${signal ?? code})`);
    for (const p of pending.values()) p.reject(exited);
    pending.clear();
  });
  return {
    call: <T>(cmd: ClientCommand) =>
      new Promise<T>((resolve, reject) => {
        if (exited) return reject(exited);
        const id = next++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (exited || child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}

/** Samples of several processes' loops, run side by side, as one loop's. */
function merged(parts: Samples[]): Samples {
  const sum = (f: (s: Samples) => number) => parts.reduce((a, s) => a + f(s), 0);
  const firstError = parts.find((s) => s.firstError)?.firstError;
  return {
    ms: parts.flatMap((s) => s.ms),
    errors: sum((s) => s.errors),
    ...(firstError ? { firstError } : {}),
    wallS: Math.max(...parts.map((s) => s.wallS)),
    cpuMs: sum((s) => s.cpuMs),
    retries: sum((s) => s.retries ?? 0),
    wireBytes: sum((s) => s.wireBytes ?? 0),
  };
}

export async function startClientPool(opts: {
  endpoint: Endpoint;
  tenantTokens: string[];
  operatorToken: string;
  gzip: boolean;
  processes: number;
}): Promise<ClientPool> {
  const count = Math.max(1, Math.min(opts.processes, opts.tenantTokens.length));
  const per = Math.ceil(opts.tenantTokens.length / count);
  // Process p holds clients [p × per, (p + 1) × per).
  const procs = Array.from({ length: count }, forkClientProcess);
  await Promise.all(
    procs.map((p, i) =>
      p.call({
        type: "init",
        endpoint: opts.endpoint,
        tenantTokens: opts.tenantTokens.slice(i * per, (i + 1) * per),
        operatorToken: opts.operatorToken,
        gzip: opts.gzip,
      }),
    ),
  );
  const first = procs[0] as ClientProcess;
  return {
    processes: count,
    loop: async (op, plan, o) => {
      const runs = procs.map((p, i) => {
        const clients = Math.max(0, Math.min(per, o.clients - i * per));
        return clients === 0 ? undefined : p.call<Samples>({ type: "loop", op, plan, ...o, offset: i * per, clients });
      });
      return merged(await Promise.all(runs.filter((r) => r !== undefined)));
    },
    once: async (client, request) => {
      const p = client === "operator" ? first : procs[Math.floor(client / per)];
      if (!p) throw new Error(`no client ${client}`);
      const local = client === "operator" ? client : client % per;
      const r = await p.call<ApiResponse>({ type: "once", client: local, request });
      // Structured clone hands a Buffer back as a plain Uint8Array.
      return { ...r, body: Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength) };
    },
    paged: (rounds, pageSize) => first.call({ type: "paged", rounds, pageSize }),
    close: async () => {
      await Promise.all(procs.map((p) => p.close()));
    },
  };
}
