/**
 * Which queries a live note makes stale, and how often they may be refetched for it.
 * A note names a kind; each kind maps to the tRPC routers whose answers show that kind (a pod
 * change moves the deployment's ready count, the node's pod count and the quota's usage, so all
 * of those). Invalidation refetches only the queries some page is showing; the rest are marked
 * stale and refetch when shown.
 * Guarantees of the batcher:
 * - At most one invalidation per path per its interval: a burst of notes costs one refetch of
 *   each affected query, not one per note. For changes the interval starts at 250 ms (a change
 *   someone just made shows at once) and doubles while notes keep coming, up to 3 s, so that a
 *   page over a churning tenant refetches no more often than it used to poll (every 2–4 s);
 *   a quiet spell of twice the interval brings it back to 250 ms.
 * - Nothing is lost: a path noted while its query is in flight is invalidated once that fetch
 *   has settled (an in-flight fetch may have started before the change), never cancelled and
 *   restarted (which under steady churn would never let a slow list finish).
 * No React here: the hook (use-live-updates.ts) wires it to the query client.
 */
import type { AppRouter } from "@/server/trpc/root";
import type { LiveNote } from "@/server/live/notes";

type Router = keyof AppRouter["_def"]["record"];
/** A tRPC path prefix: a router, or one procedure of it. */
export type Path = readonly [Router, ...string[]];

export interface Rule {
  paths: readonly Path[];
  /** Least wall time between two invalidations of these paths for this rule. */
  minIntervalMs: number;
  /** Under sustained notes the interval doubles up to this (default: no backing off). */
  maxIntervalMs?: number;
}

const changes = 250;
const churning = 3_000;
/** A rule for changes of a kind: these paths, 250 ms at first, backing off to 3 s under churn. */
const change = (...paths: Path[]): Rule => ({ paths, minIntervalMs: changes, maxIntervalMs: churning });

/** The tenant console: what each kind's change touches. */
export const tenantRules: Record<string, Rule> = {
  Pod: change(
    ["pods"],
    ["deployments"],
    ["nodes"],
    ["quota"],
    ["resourceQuotas"],
    ["namespaces"],
    ["monitoring", "usage"],
    ["billing"],
    // Endpoints follow readiness; addresses change a subnet's usage; groups count attached pods.
    ["services"],
    ["networks", "get"],
    ["security"],
  ),
  ReplicaSet: change(["deployments"], ["pods"]),
  Deployment: change(["deployments"], ["pods"], ["alerts"], ["quota"]),
  Node: change(["nodes"], ["nodePools"], ["pods"], ["quota"], ["billing"]),
  NodePool: change(["nodePools"], ["nodes"], ["quota"]),
  Quota: change(["quota"], ["deployments"]),
  ResourceQuota: change(["quota"], ["resourceQuotas"], ["deployments"]),
  // Deployment health reads its replica sets' warning events.
  Event: change(["events"], ["deployments"]),
  Namespace: change(
    ["namespaces"],
    ["deployments"],
    ["pods"],
    ["events"],
    ["quota"],
    ["config"],
    ["services"],
    ["networks", "get"],
    ["security"],
  ),
  ConfigMap: change(["config"]),
  Secret: change(["config"]),
  Service: change(["services"], ["networks", "get"]),
  EndpointSlice: change(["services"]),
  SecurityGroup: change(["security"]),
  NetworkPolicy: change(["security"]),
  Vpc: change(["networks", "get"]),
  Subnet: change(["networks", "get"]),
  // A binding changes the pod's public NIC and a LoadBalancer's EXTERNAL-IP; holding one is billed.
  PublicIP: change(["publicIps"], ["services"], ["pods"], ["monitoring", "podNetwork"], ["billing"]),
  // Samples land every collection round (10 s of engine time); each chart says how often it wants them (query-meta.ts).
  metrics: {
    paths: [
      ["monitoring", "series"],
      ["monitoring", "compareRevisions"],
      ["monitoring", "top"],
      // The modelled traffic's rates and totals are read at each collection round too.
      ["monitoring", "podNetwork"],
      ["security", "ruleHits"],
      ["alerts"],
    ],
    minIntervalMs: 1_000,
  },
  // Time-driven, no change feed: the month so far grows with time alone. Refreshed on the heartbeat.
  heartbeat: {
    paths: [
      ["billing", "summary"],
      ["billing", "daily"],
      ["billing", "invoices"],
    ],
    minIntervalMs: 15_000,
  },
};

/** The operators' dashboard: the same kinds, cluster-wide, as its views show them. */
export const clusterRules: Record<string, Rule> = {
  Pod: change(["cluster", "stats"], ["cluster", "tenants"], ["cluster", "nodes"]),
  Node: change(["cluster", "stats"], ["cluster", "tenants"], ["cluster", "nodes"]),
  NodePool: change(["cluster", "stats"], ["cluster", "nodes"]),
  Deployment: change(["cluster", "stats"], ["cluster", "tenants"]),
  PortBan: change(["security", "adminPortBans"]),
  PublicIPPool: change(["publicIpsAdmin", "pools"]),
  // A tenant's allocation uses the pool; a blackhole or an override changes the DDoS state and usage.
  PublicIP: change(["publicIpsAdmin"]),
  // DDoS events are Events on a PublicIP (the feed names the Event kind only).
  Event: change(["publicIpsAdmin", "ddosEvents"]),
  metrics: {
    paths: [
      ["monitoring", "clusterSeries"],
      ["monitoring", "busiestTenants"],
    ],
    minIntervalMs: 1_000,
  },
  // Queue depths and throughput are sampled by the cluster history, not committed: refreshed on the heartbeat.
  heartbeat: {
    paths: [
      ["cluster", "history"],
      ["cluster", "stats"],
    ],
    minIntervalMs: 10_000,
  },
};

/** The rule a note falls under, or "all" for a resync (notes were lost). */
export function ruleFor(rules: Record<string, Rule>, note: LiveNote): Rule | "all" | undefined {
  if (note.type === "resync") return "all";
  if (note.type === "heartbeat" || note.type === "metrics") return rules[note.type];
  return rules[note.kind];
}

export interface BatcherPorts {
  invalidate(path: Path): void;
  invalidateAll(): void;
  /** Whether a query under the path is being fetched right now. */
  isFetching(path: Path): boolean;
  /** Wall-time scheduling; tests pass a manual one. */
  schedule(ms: number, fn: () => void): () => void;
  now(): number;
}

export interface Batcher {
  note(note: LiveNote, rules: Record<string, Rule>): void;
  /** Drops pending work and ignores later notes (unmount). */
  stop(): void;
}

export function createBatcher(ports: BatcherPorts): Batcher {
  const pending = new Map<string, { path: Path; due: number; rule: Rule }>();
  /** Per path: when it was last invalidated, and the interval it is at now. */
  const last = new Map<string, { at: number; interval: number }>();
  let timer: { at: number; cancel: () => void } | undefined;
  let stopped = false;

  const arm = () => {
    let next = Number.POSITIVE_INFINITY;
    for (const p of pending.values()) next = Math.min(next, p.due);
    if (next === Number.POSITIVE_INFINITY || (timer && timer.at <= next)) return;
    timer?.cancel();
    const at = next;
    timer = { at, cancel: ports.schedule(Math.max(0, at - ports.now()), () => flush(at)) };
  };
  const flush = (at: number) => {
    if (timer?.at === at) timer = undefined;
    const now = ports.now();
    for (const [key, p] of pending) {
      if (p.due > now) continue;
      if (ports.isFetching(p.path)) {
        p.due = now + changes;
        continue;
      }
      pending.delete(key);
      const before = last.get(key);
      const { minIntervalMs: min, maxIntervalMs: max = min } = p.rule;
      const sustained = before !== undefined && now - before.at <= 2 * before.interval;
      last.set(key, { at: now, interval: sustained ? Math.min(max, Math.max(min, before.interval * 2)) : min });
      ports.invalidate(p.path);
    }
    arm();
  };

  return {
    note(note, rules) {
      if (stopped) return;
      const rule = ruleFor(rules, note);
      if (rule === undefined) return;
      if (rule === "all") {
        pending.clear();
        ports.invalidateAll();
        return;
      }
      const now = ports.now();
      for (const path of rule.paths) {
        const key = path.join(".");
        if (pending.has(key)) continue;
        const before = last.get(key);
        // A burst of one commit arrives together: gather it for `changes`; then the path's interval.
        const interval = Math.max(rule.minIntervalMs, before?.interval ?? 0);
        const due = Math.max(now + changes, (before?.at ?? Number.NEGATIVE_INFINITY) + interval);
        pending.set(key, { path, due, rule });
      }
      arm();
    },
    stop() {
      stopped = true;
      timer?.cancel();
      timer = undefined;
      pending.clear();
    },
  };
}
