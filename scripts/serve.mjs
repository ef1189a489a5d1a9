#!/usr/bin/env node
/**
 * Serves the built console as `next start` does, with one addition: each request carries the
 * socket's address in `x-tc-peer-address`, replacing whatever a client sent under that name.
 * A Next route handler cannot see the socket, and `next start` passes a client-supplied
 * X-Forwarded-For through unchanged, so this is the one address the sign-in throttle can trust
 * (server/auth/client-address.ts; X-Forwarded-For counts only from TRUSTED_PROXIES).
 */
import { createServer } from "node:http";
import path from "node:path";

// As `next start` sets it, before Next and React load.
process.env.NODE_ENV = "production";
const { default: next } = await import("next");

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const port = Number(process.env.PORT ?? "3000");
const app = next({ dev: false, dir: root, port, hostname: "localhost" });
await app.prepare();
const handle = app.getRequestHandler();

createServer((req, res) => {
  req.headers["x-tc-peer-address"] = req.socket.remoteAddress ?? "";
  void handle(req, res);
}).listen(port, () => console.log(`[serve] console listening on port ${port}`));
