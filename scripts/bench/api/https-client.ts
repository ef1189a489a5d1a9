/**
 * The benchmark's Kubernetes API clients: node:https over a keep-alive agent that trusts the
 * server's CA only (certificates verified, as kubectl does with its kubeconfig's CA data), one
 * agent per simulated client so each holds its own TLS connection, bearer token on every call.
 * With `gzip` (the default, as Go's transport under kubectl and client-go), every request says
 * `Accept-Encoding: gzip` and a gzipped answer is decompressed as it arrives.
 */
import { Agent, request as httpsRequest } from "node:https";
import { performance } from "node:perf_hooks";
import { createGunzip } from "node:zlib";

export interface ApiResponse {
  status: number;
  /** The answer's body, decompressed when it came gzipped. */
  body: Buffer;
  /** Bytes of body received (compressed, when it came gzipped). */
  wireBytes: number;
  contentEncoding?: string;
  /** Wall time from sending the request to the last byte of the answer received and decompressed. */
  ms: number;
}

export interface ApiClient {
  /** Requests sent again because the server had just closed their kept-alive connection. */
  retries: number;
  request(
    method: string,
    path: string,
    opts?: { headers?: Record<string, string>; body?: string },
  ): Promise<ApiResponse>;
  /** A watch: every newline-delimited event as it arrives, with its arrival time; resolves once the headers are in. */
  watch(path: string, onEvent: (line: string, arrivedAt: number) => void): Promise<{ close(): void }>;
  close(): void;
}

export interface Endpoint {
  host: string;
  port: number;
  /** PEM of the CA the server's certificate chains to. */
  ca: string;
}

export function createApiClient(endpoint: Endpoint, token: string, opts: { gzip?: boolean } = {}): ApiClient {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: endpoint.ca });
  const base = { host: endpoint.host, port: endpoint.port, agent, servername: "localhost" };
  const auth: Record<string, string> = {
    authorization: `Bearer ${token}`,
    "user-agent": "kbench/1 (api benchmark)",
    ...(opts.gzip !== false ? { "accept-encoding": "gzip" } : {}),
  };
  const client: ApiClient = {
    retries: 0,
    request(method, path, opts = {}) {
      const started = performance.now();
      const headers: Record<string, string> = { ...auth, accept: "application/json", ...opts.headers };
      if (opts.body !== undefined) headers["content-length"] = String(Buffer.byteLength(opts.body));
      const attempt = (retry: boolean) =>
        new Promise<ApiResponse>((resolve, reject) => {
          const req = httpsRequest({ ...base, method, path, headers }, (res) => {
            const chunks: Buffer[] = [];
            let wireBytes = 0;
            const encoding = res.headers["content-encoding"];
            res.on("data", (c: Buffer) => {
              wireBytes += c.length;
            });
            res.on("error", reject);
            const body = encoding === "gzip" ? res.pipe(createGunzip()) : res;
            body.on("data", (c: Buffer) => chunks.push(c));
            body.on("error", reject);
            body.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks),
                wireBytes,
                ...(encoding ? { contentEncoding: encoding } : {}),
                ms: performance.now() - started,
              }),
            );
          });
          req.on("error", (error: NodeJS.ErrnoException) => {
            // The server closed an idle kept-alive connection as this request went out on it (its
            // keepAliveTimeout): send it again on a new one, as Go's and node's clients do.
            if (retry && req.reusedSocket && error.code === "ECONNRESET") {
              client.retries++;
              resolve(attempt(false));
            } else reject(error);
          });
          req.end(opts.body);
        });
      return attempt(true);
    },
    watch(path, onEvent) {
      return new Promise((resolve, reject) => {
        // A watch holds its connection for its lifetime: its own agent, as a second kubectl would.
        const watchAgent = new Agent({ keepAlive: false, ca: endpoint.ca });
        const req = httpsRequest({ ...base, agent: watchAgent, method: "GET", path, headers: auth }, (res) => {
          if (res.statusCode !== 200 || res.headers["content-encoding"] !== undefined) {
            res.resume();
            reject(new Error(`watch ${path}: HTTP ${res.statusCode} ${res.headers["content-encoding"] ?? ""}`));
            return;
          }
          let buffer = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            const at = performance.now();
            buffer += chunk;
            let end = buffer.indexOf("\n");
            while (end >= 0) {
              onEvent(buffer.slice(0, end), at);
              buffer = buffer.slice(end + 1);
              end = buffer.indexOf("\n");
            }
          });
          res.on("error", () => undefined);
          resolve({
            close() {
              req.destroy();
              watchAgent.destroy();
            },
          });
        });
        req.on("error", reject);
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
  return client;
}
