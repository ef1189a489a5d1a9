/**
 * pods/log: the container's log as text/plain (the simulated node agent's lines), and with
 * `follow=true` a stream of the new lines as the pod changes, until the pod is deleted or
 * the client leaves (followPodLogs: driven by the engine's watch, never polling; memory
 * bounded by the log's own ring). `tailLines` and `limitBytes` bound what is sent.
 * `previous=true`: the container's last terminated instance's log (the runtime keeps one per
 * restarted container), never followed (that instance has ended, as the kubelet answers);
 * BadRequest in the kubelet's words for a container that has not been restarted.
 */
import { queryFlag } from "../negotiate";
import type { Orchestrator, Pod } from "../../engine";
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

/** Whether the container (the first without a name) has a terminated instance behind its current one. */
function restartedOnce(pod: Pod, container: string | undefined): boolean {
  const name = container ?? pod.spec.containers[0]?.name;
  const status = pod.status.containerStatuses.find((c) => c.name === name);
  if (!status) return false;
  return status.restartCount > 0 || ("waiting" in status.state && status.lastTerminationReason !== undefined);
}

/** The options of a log read: the pod's namespace, and whether the previous instance's log is wanted. */
type LogReadOptions = NonNullable<Parameters<Orchestrator["getPodLogs"]>[3]> & { previous?: boolean };

export function podLogs(req: KubeRequest, { def }: ServedResource, name: string): Response {
  const q = req.url.searchParams;
  const scope = readScope(req);
  checkNamespaceAccess(req.engine, scope, def, "get");
  const pod = getVisible<"Pod">(req.engine, def, scope, name) as Pod;
  const container = q.get("container") || undefined;
  if (container && !pod.spec.containers.some((c) => c.name === container))
    throw badRequest(`container ${container} is not valid for pod ${pod.name}`);
  const tail = intParam(q, "tailLines");
  const limitBytes = intParam(q, "limitBytes");
  const previous = queryFlag(q, "previous");
  const options: LogReadOptions = { namespace: pod.namespace, ...(previous ? { previous: true } : {}) };
  const lines = req.engine.getPodLogs(pod.tenantId, pod.name, container, options);
  // The kubelet's rule: a previous instance exists once the container terminated and is to restart
  // (its status); one that ran logged at least its exit, so no lines means none either.
  if (previous && (!restartedOnce(pod, container) || lines.length === 0))
    throw badRequest(
      `previous terminated container "${container ?? pod.spec.containers[0]?.name}" in pod "${pod.name}" not found`,
    );
  const first = tail === undefined ? lines : lines.slice(Math.max(0, lines.length - tail));
  const text = (ls: string[]) => ls.map((l) => `${l}\n`).join("");
  const headers = { "content-type": "text/plain" };
  if (previous || !queryFlag(q, "follow")) {
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
