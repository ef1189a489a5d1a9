/**
 * Benchmark clients, in a process of their own (forked by client-pool.ts): the server's process
 * then pays only the server's side of each request (its TLS encryption, not the clients'
 * decryption, decompression and garbage), as with kubectl on the same machine. It opens one
 * HTTPS client per simulated client it was given and the operator's, and runs what the parent
 * asks over IPC: a closed loop of one operation, one request, or the operator's paged list.
 */
import { closedLoop } from "./closed-loop";
import { WARMUP_HEADER } from "./server-latency";
import { type ApiClient, createApiClient, type Endpoint } from "./https-client";
import { pagedList } from "./paged-list";
import { type LoadOp, type PlannedRequest, REQUESTS, type RequestPlan } from "./requests";

export type ClientCommand =
  | { type: "init"; endpoint: Endpoint; tenantTokens: string[]; operatorToken: string; gzip: boolean }
  /** `offset`: the global number of this process's first client (requests name their client). */
  | {
      type: "loop";
      op: LoadOp;
      plan: RequestPlan;
      offset: number;
      clients: number;
      count: number;
      warmup: boolean;
      /** Headers over the operation's own (an Accept-Encoding of identity, to measure without gzip). */
      headers?: Record<string, string>;
    }
  | { type: "once"; client: number | "operator"; request: PlannedRequest }
  | { type: "paged"; rounds: number; pageSize: number };

export type ClientMessage = { id: number; result?: unknown; error?: string };

let tenants: ApiClient[] = [];
let operator: ApiClient | undefined;

const send = (m: ClientMessage) => process.send?.(m);

async function run(cmd: ClientCommand): Promise<unknown> {
  switch (cmd.type) {
    case "init":
      tenants = cmd.tenantTokens.map((t) => createApiClient(cmd.endpoint, t, { gzip: cmd.gzip }));
      operator = createApiClient(cmd.endpoint, cmd.operatorToken, { gzip: cmd.gzip });
      return true;
    case "loop": {
      const { expect, make } = REQUESTS[cmd.op];
      return closedLoop(tenants.slice(0, cmd.clients), { count: cmd.count, warmup: cmd.warmup, expect }, (cl, c, k) => {
        const r = make(cmd.plan, cmd.offset + c, k);
        // Warm-up requests say so, so that the server's side of the measurement leaves them out.
        const headers = { ...r.headers, ...cmd.headers, ...(cmd.warmup ? { [WARMUP_HEADER]: "1" } : {}) };
        return cl.request(r.method, r.path, { headers, ...(r.body ? { body: r.body } : {}) });
      });
    }
    case "once": {
      const client = cmd.client === "operator" ? operator : tenants[cmd.client];
      if (!client) throw new Error(`no client ${cmd.client}`);
      const r = cmd.request;
      return client.request(r.method, r.path, {
        ...(r.headers ? { headers: r.headers } : {}),
        ...(r.body ? { body: r.body } : {}),
      });
    }
    case "paged":
      if (!operator) throw new Error("not initialised");
      return pagedList(operator, cmd.rounds, cmd.pageSize);
  }
}

process.on("message", (m: { id: number; cmd: ClientCommand }) => {
  run(m.cmd).then(
    (result) => send({ id: m.id, result }),
    (error: unknown) =>
      send({ id: m.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
// The parent gone, nothing is left to measure for.
process.on("disconnect", () => {
  for (const c of [...tenants, ...(operator ? [operator] : [])]) c.close();
  process.exit(0);
});
