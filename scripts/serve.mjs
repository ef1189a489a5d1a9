#!/usr/bin/env node
/**
 * Serves the built console as `next start` does, with one addition: each request carries the
 * socket's address in `x-tc-peer-address`, stamped with this process's secret and replacing
 * whatever a client sent under that name (server/auth/peer-stamp.mjs). A Next route handler
 * cannot see the socket, and `next start` passes a client-supplied X-Forwarded-For through
 * unchanged, so this is the one address the sign-in throttle can trust
 * (server/auth/client-address.ts; X-Forwarded-For counts only from TRUSTED_PROXIES).
 */
import { createServer } from "node:http";
import path from "node:path";
import { installPeerStampSecret, peerAddressHeader, peerStamp } from "../server/auth/peer-stamp.mjs";

// As `next start` sets it, before Next and React load; the secret too, so only this process knows it.
process.env.NODE_ENV = "production";
installPeerStampSecret();
const { default: next } = await import("next");

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const port = Number(process.env.PORT ?? "3000");
const app = next({ dev: false, dir: root, port, hostname: "localhost" });
await app.prepare();
const handle = app.getRequestHandler();

createServer((req, res) => {
  req.headers[peerAddressHeader] = peerStamp(req.socket.remoteAddress ?? "");
  void handle(req, res);
}).listen(port, () => console.log(`[serve] console listening on port ${port}`));
