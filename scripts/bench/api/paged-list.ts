/**
 * An operator's list of every pod in the cluster, `pageSize` at a time (limit/continue until no
 * continue), `rounds` times one after another, run in the client process. The client parses
 * every page (it needs the continue token, as client-go does); every page of a round must keep
 * the round's first resourceVersion.
 */
import { performance } from "node:perf_hooks";
import { cpuNow } from "./closed-loop";
import type { ApiClient } from "./https-client";

export interface PagedRun {
  /** Each page's latency. */
  ms: number[];
  /** Each round's total seconds. */
  totals: number[];
  /** Pods listed in each round. */
  items: number[];
  parseMs: number;
  wallS: number;
  clientCpuMs: number;
}

export async function pagedList(client: ApiClient, rounds: number, pageSize: number): Promise<PagedRun> {
  const run: PagedRun = { ms: [], totals: [], items: [], parseMs: 0, wallS: 0, clientCpuMs: 0 };
  const cpu0 = cpuNow();
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    let token: string | undefined;
    let rv: string | undefined;
    let items = 0;
    do {
      const q = `limit=${pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ""}`;
      const res = await client.request("GET", `/api/v1/pods?${q}`);
      if (res.status !== 200) throw new Error(`list-paged: HTTP ${res.status} ${res.body.toString("utf8", 0, 300)}`);
      run.ms.push(res.ms);
      const p0 = performance.now();
      const page = JSON.parse(res.body.toString("utf8")) as {
        metadata: { continue?: string; resourceVersion: string };
        items: unknown[];
      };
      run.parseMs += performance.now() - p0;
      rv ??= page.metadata.resourceVersion;
      if (page.metadata.resourceVersion !== rv)
        throw new Error("list-paged: a page changed the list's resourceVersion");
      items += page.items.length;
      token = page.metadata.continue || undefined;
    } while (token);
    run.totals.push((performance.now() - started) / 1000);
    run.items.push(items);
  }
  run.wallS = (performance.now() - t0) / 1000;
  run.clientCpuMs = cpuNow() - cpu0;
  return run;
}
