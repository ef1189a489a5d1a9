/**
 * How our server entries (scripts/serve.mjs, and the test server) stamp each request with its
 * socket address, in a way a client cannot forge: the value of `x-tc-peer-address` is
 * `<secret>:<address>`, where the secret is random per server process and lives only in that
 * process's environment (`TC_PEER_STAMP_SECRET`, set before Next loads). Served any other way
 * (`next dev`, plain `next start`) there is no secret, so no peer header is believed
 * (server/auth/client-address.ts reads it back). Plain JavaScript so serve.mjs can import it.
 */
import { randomBytes } from "node:crypto";

export const peerAddressHeader = "x-tc-peer-address";
export const peerStampSecretEnv = "TC_PEER_STAMP_SECRET";

/** A fresh secret for this process, replacing any inherited one (serve.mjs, before Next loads). */
export function installPeerStampSecret() {
  process.env[peerStampSecretEnv] = randomBytes(32).toString("hex");
}

/** Keeps this process's secret, or makes one (test servers, several per process). */
export function ensurePeerStampSecret() {
  process.env[peerStampSecretEnv] ||= randomBytes(32).toString("hex");
}

/** The header value proving `address` came from this process's socket. */
export function peerStamp(address) {
  const secret = process.env[peerStampSecretEnv];
  if (!secret) throw new Error(`${peerStampSecretEnv} is not set: call installPeerStampSecret() first`);
  return `${secret}:${address}`;
}
