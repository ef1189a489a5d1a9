/**
 * Resolved callers of the Kubernetes API, by the SHA-256 of their token, for a few seconds:
 * resolving a token is four database reads and a write (about 11 ms of a 12 ms GET on PGlite,
 * bench:api), and kubectl and controllers send the same token many times a second.
 * kube-apiserver caches webhook token reviews the same way (`--authentication-token-webhook-cache-ttl`).
 *
 * Guarantees: an entry is used only within `ttlMs` of being resolved and only while no tRPC
 * mutation has run in this process since (credential-epoch.ts): a revoke, a removed member or a
 * changed role through this process takes effect on the next request; through another process
 * (a standby serving reads) within `ttlMs`. Failures are never cached. Bounded: at most
 * `maxEntries`, the oldest dropped first.
 */
import { createHash } from "node:crypto";
import { credentialEpoch } from "../auth/credential-epoch";
import type { Caller } from "./auth";

export interface CallerCache {
  get(token: string): Caller | undefined;
  set(token: string, caller: Caller, epochAtResolve: number): void;
}

export function createCallerCache({
  ttlMs = 5_000,
  maxEntries = 10_000,
  now = () => Date.now(),
}: {
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
} = {}): CallerCache {
  const entries = new Map<string, { caller: Caller; at: number; epoch: number }>();
  const keyOf = (token: string) => createHash("sha256").update(token).digest("base64url");
  return {
    get(token) {
      const key = keyOf(token);
      const e = entries.get(key);
      if (!e) return undefined;
      if (e.epoch !== credentialEpoch() || now() - e.at >= ttlMs) {
        entries.delete(key);
        return undefined;
      }
      return e.caller;
    },
    set(token, caller, epochAtResolve) {
      // Resolved while a credential changed: it may already be stale, so it is not kept.
      if (epochAtResolve !== credentialEpoch()) return;
      const key = keyOf(token);
      entries.delete(key);
      entries.set(key, { caller, at: now(), epoch: epochAtResolve });
      if (entries.size > maxEntries)
        for (const oldest of entries.keys()) {
          entries.delete(oldest);
          break;
        }
    },
  };
}
