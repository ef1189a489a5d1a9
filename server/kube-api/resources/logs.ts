/**
 * pods/log: the container's log as text/plain (the simulated node agent's lines), and with
 * `follow=true` a stream of the new lines as the pod changes, until the pod is deleted or
 * the client leaves (followPodLogs: driven by the engine's watch, never polling; memory
 * bounded by the log's own ring). `tailLines` and `limitBytes` bound what is sent;
 * `previous=true` is refused (no previous container's log is kept).
 */
import { queryFlag } from "../negotiate";
import type { Pod } from "../../engine";
import { followPodLogs } from "../../trpc/routers/pods";
import type { ServedResource } from "../catalog";
import type { KubeRequest } from "../context";
import { checkNamespaceAccess, getVisible } from "../objects";
import { badRequest } from "../status";
import { readScope } from "./read";

function intParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^\d{1,12}$/.test(raw)) throw badRequest(`${name}: Invalid value: "${raw}": must be a non-negative integer`);
  return Number(raw);
}

export function podLogs(req: KubeRequest, { def }: ServedResource, name: string): Response {
  const q = req.url.searchParams;
  const scope = readScope(req);
  checkNamespaceAccess(req.engine, scope, def, "get");
  const pod = getVisible<"Pod">(req.engine, def, scope, name) as Pod;
  const container = q.get("container") || undefined;
  if (container && !pod.spec.containers.some((c) => c.name === container))
    throw badRequest(`container ${container} is not valid for pod ${pod.name}`);
  if (queryFlag(q, "previous"))
    throw badRequest(
      `previous terminated container "${container ?? pod.spec.containers[0]?.name}" in pod "${pod.name}" not found`,
    );
  const tail = intParam(q, "tailLines");
  const limitBytes = intParam(q, "limitBytes");
  const lines = req.engine.getPodLogs(pod.tenantId, pod.name, container, { namespace: pod.namespace });
  const first = tail === undefined ? lines : lines.slice(Math.max(0, lines.length - tail));
  const text = (ls: string[]) => ls.map((l) => `${l}\n`).join("");
  const headers = { "content-type": "text/plain" };
  if (!queryFlag(q, "follow")) {
    const body = text(first);
    return new Response(limitBytes === undefined ? body : Buffer.from(body).subarray(0, limitBytes), { headers });
  }
  const encoder = new TextEncoder();
  const abort = new AbortController();
  req.request.signal.addEventListener("abort", () => abort.abort(), { once: true });
  const source = followPodLogs({
    engine: req.engine,
    tenantId: pod.tenantId,
    name: pod.name,
    namespace: pod.namespace,
    container,
    signal: abort.signal,
  });
  let firstChunk = true;
  let sentBytes = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await source.next();
      if (next.done) {
        controller.close();
        return;
      }
      const chunk = firstChunk ? first : next.value.lines;
      firstChunk = false;
      let bytes = encoder.encode(text(chunk));
      if (limitBytes !== undefined) bytes = bytes.subarray(0, Math.max(0, limitBytes - sentBytes));
      sentBytes += bytes.byteLength;
      if (bytes.byteLength) controller.enqueue(bytes);
      if (limitBytes !== undefined && sentBytes >= limitBytes) {
        abort.abort();
        await source.return();
        controller.close();
      }
    },
    async cancel() {
      abort.abort();
      await source.return();
    },
  });
  return new Response(stream, { headers });
}
