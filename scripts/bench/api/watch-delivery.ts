/**
 * Watch delivery: `watchers` HTTPS watches of the namespace's deployments (kubectl get deploy
 * -w, from the list's resourceVersion), then `changes` strategic merge patches of their labels,
 * one every `intervalMs`, sent over HTTPS by another client. Delivery = the event's arrival
 * at a watcher (its line read off the socket) less the commit's time; a commit's time is when
 * an in-process engine watch opened first sees that revision (the engine fans out right after
 * the store's commit returns, watchers in the order they were opened).
 */
import { performance } from "node:perf_hooks";
import { percentile, round } from "../lib";
import type { ApiClient } from "./https-client";
import { type Line, TARGETS } from "./ops";
import type { World } from "./world";

export interface WatchShape {
  changes: number;
  intervalMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function watchDelivery(
  w: World,
  watchers: ApiClient[],
  writer: ApiClient,
  shape: WatchShape,
): Promise<Line> {
  const { engine } = w.services;
  const rv = engine.currentRevision();
  const committedAt = new Map<number, number>();
  const marker = engine.watch(
    "Deployment",
    { tenantId: w.tenantId, namespace: w.namespace, resourceVersion: rv },
    (e) => {
      if (e.type !== "BOOKMARK" && e.type !== "ERROR") committedAt.set(e.resourceVersion, performance.now());
    },
  );
  const samples: number[] = [];
  let unmatched = 0;
  let errors = 0;
  const path = `/apis/apps/v1/namespaces/${w.namespace}/deployments?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`;
  const streams = await Promise.all(
    watchers.map((client) =>
      client.watch(path, (line, arrivedAt) => {
        const frame = JSON.parse(line) as { type: string; object?: { metadata?: { resourceVersion?: string } } };
        if (frame.type === "BOOKMARK") return;
        if (frame.type === "ERROR") return void errors++;
        const t0 = committedAt.get(Number(frame.object?.metadata?.resourceVersion));
        if (t0 === undefined) unmatched++;
        else samples.push(arrivedAt - t0);
      }),
    ),
  );

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let patchErrors = 0;
  for (let i = 0; i < shape.changes; i++) {
    const next = t0 + (i + 1) * shape.intervalMs;
    const name = w.deployments[i % w.deployments.length] as string;
    const res = await writer.request("PATCH", `/apis/apps/v1/namespaces/${w.namespace}/deployments/${name}`, {
      headers: { "content-type": "application/strategic-merge-patch+json" },
      body: JSON.stringify({ metadata: { labels: { "kbench/watch": String(i) } } }),
    });
    if (res.status !== 200) patchErrors++;
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
  }
  // Everything committed reaches every watcher, or the watch is broken: wait for it (bounded).
  const expected = () => committedAt.size * watchers.length;
  const deadline = performance.now() + 30_000;
  while (samples.length + unmatched < expected() && errors === 0 && performance.now() < deadline) await sleep(20);
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  for (const s of streams) s.close();
  marker.close();

  const sorted = samples.sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  const missing = expected() - samples.length - unmatched;
  return {
    op: "watch-delivery",
    clients: watchers.length,
    n: sorted.length,
    p50_ms: round(percentile(sorted, 50), 2),
    p99_ms: round(p99, 2),
    max_ms: round(sorted[sorted.length - 1], 2),
    per_s: round(sorted.length / wallS, 1),
    target_p99_ms: TARGETS.watchP99Ms,
    met: p99 !== null && p99 <= TARGETS.watchP99Ms && missing === 0 && errors === 0 && patchErrors === 0,
    watchers: watchers.length,
    changes: shape.changes,
    commits_seen: committedAt.size,
    changes_per_s: round(1000 / shape.intervalMs, 1),
    missing,
    unmatched,
    errors: errors + patchErrors,
    cpu_ms_per_delivery: round((cpu.user + cpu.system) / 1000 / Math.max(1, sorted.length), 3),
    request: "GET …/deployments?watch=true&resourceVersion=… ; PATCH …/deployments/{name} (labels)",
  };
}
