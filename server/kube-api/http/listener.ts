/**
 * The HTTPS listener of the Kubernetes API: node's https server in front of the fetch-style
 * handler. It turns each request into a Request (with an AbortSignal that fires when the
 * client goes, so watches and log streams end at once) and streams the Response back.
 *
 * Guarantees: a body larger than the handler's bound is cut off while it arrives (nothing
 * past 1.5 MiB is buffered); a response stream is cancelled when the socket closes, and its
 * writes wait for the socket to drain, so a slow client holds at most one chunk here (the
 * watch's own queue is bounded).
 */
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { KubeHandler } from "../handler";
import { MAX_BODY_BYTES } from "../handler";
import { statusOf } from "../status";
import type { TlsMaterial } from "./tls";

export interface KubeListener {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export const PEER_ADDRESS = Symbol.for("tenant-cloud.kube-api.peer");

export async function startKubeListener(
  handler: KubeHandler,
  tls: TlsMaterial,
  opts: { port: number; host?: string },
): Promise<KubeListener> {
  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    void serve(handler, req, res).catch((error: unknown) => {
      console.error("[kube-api] listener error", error);
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify(statusOf("InternalError", "Internal error")));
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Peer addresses of requests, for the handler's unresolved-token budget. */
const peers = new WeakMap<Request, string>();
export const peerOf = (request: Request): string | null => peers.get(request) ?? null;

async function serve(handler: KubeHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  let body: Buffer | undefined;
  if (hasBody) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        // Keep nothing more; the handler answers 413 from the declared/partial size.
        chunks.length = 0;
        chunks.push(Buffer.alloc(MAX_BODY_BYTES + 1));
        req.resume();
        break;
      }
      chunks.push(chunk as Buffer);
    }
    body = Buffer.concat(chunks);
  }
  const request = new Request(`https://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: body?.length ? new Uint8Array(body) : undefined,
    signal: abort.signal,
  });
  peers.set(request, req.socket.remoteAddress ?? "");
  const response = await handler(request);
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === "warning") return;
    out[name] = value;
  });
  const warnings = response.headers.get("warning");
  if (warnings) out.warning = warnings.split(/,(?=\s*299 )/).map((w) => w.trim());
  res.writeHead(response.status, out);
  if (!response.body) {
    res.end();
    return;
  }
  // A watch may have nothing to say for a while: the client must see its headers at once.
  res.flushHeaders();
  const reader = response.body.getReader();
  abort.signal.addEventListener("abort", () => void reader.cancel().catch(() => undefined), { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value))
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.on("drain", done);
          res.on("close", done);
        });
      if (abort.signal.aborted) break;
    }
  } catch {
    // the client left mid-stream
  }
  res.end();
}
