/**
 * A counter of changes that may change who a credential is: every tRPC mutation bumps it
 * (revoking a token, removing a member, changing a role, an operator's role — all are
 * mutations), so a cache of resolved callers (the Kubernetes API's, server/kube-api/caller-cache.ts)
 * drops everything at once in this process. Coarse on purpose: one list of "what changes a
 * credential" would drift from the routers; mutations are rare beside API reads.
 * Kept on globalThis: Next loads this module in more than one bundle of one process (the tRPC
 * route and the Kubernetes API's listener, started from instrumentation), and both must see one counter.
 */
const key = Symbol.for("tenant-cloud.credential-epoch");
type GlobalWithEpoch = typeof globalThis & { [key]?: { value: number } };

function counter(): { value: number } {
  const g = globalThis as GlobalWithEpoch;
  g[key] ??= { value: 0 };
  return g[key];
}

export function credentialEpoch(): number {
  return counter().value;
}

export function credentialsMayHaveChanged(): void {
  counter().value++;
}
