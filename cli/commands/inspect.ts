/** top, logs, describe: looking inside objects. */
import { bool, expectPositionals, int, parse, str, type OptionSpec } from "../args";
import { UsageError } from "../errors";
import { age, cpu, formatTable, labelsText, memory, percent } from "../format";
import {
  deploymentHealthText,
  getObject,
  kindAndName,
  kindOf,
  listObjects,
  nodeStatus,
  podStatus,
  quotaResources,
  type Deployment,
  type Node,
  type Pod,
  type ResourceQuota,
} from "../resources";
import { connect, type Session } from "../session";
import { sleep } from "../../client/fetch";
import { isCloudError } from "../../client/index";
import { changeCauseText } from "../../server/engine/kinds/change-cause";
import { followStream } from "../live";
import { stopSignal, type Command } from "./types";
import { logOverlap as overlap } from "../../lib/log-overlap";

export const topCommand: Command = {
  name: "top",
  summary: "Resource requests of nodes (against capacity); measured usage and requests of pods",
  usage: "cloudctl top nodes|pods",
  details:
    "Pod usage is the newest monitoring sample (every 10 s of engine time): cpu in millicores, memory as working set. Nodes show what their pods request, which is what the scheduler places by.",
  kubectl: "kubectl top pods|nodes (measured usage; cloudctl top nodes shows what pods request)",
  options: {},
  async run(args, io) {
    const p = parse(args, {}, "top");
    const [word, ...rest] = p.positionals;
    const kind = kindOf(word, "top", ["nodes", "pods"]);
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`, "top");
    const s = await connect(p);
    if (kind === "nodes") {
      const nodes = (await listObjects(s, "nodes")) as Node[];
      if (!nodes.length) return io.err("No nodes found.");
      io.out(
        formatTable(
          ["NAME", "CPU(requests)", "CPU%", "MEMORY(requests)", "MEMORY%", "PODS"],
          nodes.map((n) => [
            n.name,
            cpu(n.allocated.cpuMillis),
            percent(n.allocated.cpuMillis, n.capacity.cpuMillis),
            memory(n.allocated.memoryBytes),
            percent(n.allocated.memoryBytes, n.capacity.memoryBytes),
            `${n.allocated.pods}/${n.capacity.pods}`,
          ]),
        ),
      );
    } else {
      const pods = ((await listObjects(s, "pods")) as Pod[]).filter(
        (x) => x.status.phase === "Running" || x.status.phase === "Pending",
      );
      if (!pods.length) return io.err("No pods found.");
      const usage = await podUsage(
        s,
        pods.filter((x) => x.status.phase === "Running").map((x) => x.name),
      );
      io.out(
        formatTable(
          ["NAME", "CPU(cores)", "MEMORY(bytes)", "CPU(requests)", "MEMORY(requests)", "NODE"],
          pods.map((x) => {
            const u = usage.get(x.name);
            return [
              x.name,
              u ? cpu(Math.round(u.cpuMillis)) : "<none>",
              u ? memory(u.memoryBytes) : "<none>",
              cpu(x.requests.cpuMillis),
              memory(x.requests.memoryBytes),
              x.nodeName ?? "<none>",
            ];
          }),
        ),
      );
    }
  },
};

/** Summed over each pod's containers, from their newest samples; pods not yet sampled are absent. */
async function podUsage(s: Session, names: string[]): Promise<Map<string, { cpuMillis: number; memoryBytes: number }>> {
  const out = new Map<string, { cpuMillis: number; memoryBytes: number }>();
  const perCall = 100; // the API's bound on one request
  for (let i = 0; i < names.length; i += perCall) {
    for (const pod of await s.client.monitoring.usage.query({ pods: names.slice(i, i + perCall) })) {
      const sampled = pod.containers.flatMap((c) => (c.usage ? [c.usage] : []));
      if (sampled.length === 0) continue;
      out.set(pod.pod, {
        cpuMillis: sampled.reduce((t, u) => t + u.cpuMillis, 0),
        memoryBytes: sampled.reduce((t, u) => t + u.memoryBytes, 0),
      });
    }
  }
  return out;
}

const logsOptions: OptionSpec = {
  follow: {
    type: "boolean",
    short: "f",
    description: "Keep printing new lines until the pod goes away (Ctrl-C to stop)",
  },
  container: { type: "string", short: "c", value: "NAME", description: "The container (default the first)" },
  tail: { type: "string", value: "N", description: "Only the last N lines" },
};

export const logsCommand: Command = {
  name: "logs",
  summary: "Print a pod's container log",
  usage: "cloudctl logs POD [-c CONTAINER] [--tail N] [-f] [-n NAMESPACE]",
  kubectl: "kubectl logs POD [-c CONTAINER] [--tail N] [-f] [--previous]",
  options: logsOptions,
  async run(args, io) {
    const p = parse(args, logsOptions, "logs");
    const [ref = ""] = expectPositionals(p, ["POD"], "logs");
    const name = ref.startsWith("pod/") ? ref.slice(4) : ref;
    const tail = int(p, "tail", "logs");
    const container = str(p, "container");
    const s = await connect(p);
    const read = async () => (await s.client.pods.logs.query({ name, namespace: s.namespace, container })).lines;
    let seen = await read();
    for (const line of tail === undefined ? seen : seen.slice(Math.max(0, seen.length - tail))) io.out(line);
    if (!bool(p, "follow")) return;
    /** Prints the lines not yet printed (polling a server without followLogs); false once the pod is gone. */
    const printNew = async (): Promise<boolean> => {
      let lines: string[];
      try {
        lines = await read();
      } catch (error) {
        if (isCloudError(error) && error.code === "NOT_FOUND") return false;
        throw error;
      }
      for (const line of lines.slice(overlap(seen, lines))) io.out(line);
      seen = lines;
      return true;
    };
    const stop = stopSignal(io);
    // Each (re)connection starts with the whole log: only what this command has not printed is new.
    let restart = false;
    const end = await followStream<{ lines: string[]; restart: boolean }>(
      s.url,
      (h) =>
        s.client.pods.followLogs.subscribe(
          { name, namespace: s.namespace, container },
          {
            ...h,
            onStarted: () => (restart = true),
            onData: (d) => {
              h.onData({ lines: d.lines, restart });
              restart = false;
            },
          },
        ),
      ({ lines, restart: whole }) => {
        const fresh = whole ? lines.slice(overlap(seen, lines)) : lines;
        for (const line of fresh) io.out(line);
        seen = whole ? lines : seen.concat(lines).slice(-keptLines);
      },
      stop,
    );
    // The server ends the stream when the pod is deleted.
    if (end.ended === "stopped" || end.ended === "complete") return;
    if (end.ended === "failed") {
      if (isCloudError(end.error) && end.error.code === "NOT_FOUND") return;
      throw end.error;
    }
    io.err(`No live stream from the server (${end.reason}); polling every second.`);
    while (!stop.aborted) {
      await sleep(1000);
      if (!(await printNew())) return;
    }
  },
};

/** Lines kept to recognise what was printed when a stream reconnects (more than a log's ring holds). */
const keptLines = 5_000;

export const describeCommand: Command = {
  name: "describe",
  summary: "Show an object in detail, with its recent events",
  usage: "cloudctl describe deployment|pod|node|nodepool|namespace|quota NAME [-n NAMESPACE]",
  kubectl: "kubectl describe KIND NAME [-n NAMESPACE]",
  options: {},
  async run(args, io) {
    const p = parse(args, {}, "describe");
    const { kind, name, rest } = kindAndName(p.positionals, "describe", [
      "deployments",
      "pods",
      "nodes",
      "nodepools",
      "namespaces",
      "resourcequotas",
    ]);
    if (!name) throw new UsageError("missing NAME", "describe");
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`, "describe");
    const s = await connect(p);
    if (kind === "resourcequotas") {
      for (const q of (await getObject(s, kind, name)) as ResourceQuota[]) io.out(describeQuota(q));
      return;
    }
    const now = await s.serverNow();
    let fields: [string, string][];
    let objectKind: "Deployment" | "Pod" | "Node" | "NodePool" | "Namespace";
    let eventsNamespace: string | undefined;
    let extra = "";
    if (kind === "deployments") {
      const d = await s.client.deployments.get.query({ name, namespace: s.namespace });
      objectKind = "Deployment";
      eventsNamespace = d.namespace;
      fields = describeDeployment(d, now);
      extra = section(
        "Conditions",
        formatTable(
          ["Type", "Status", "Reason", "Message"],
          d.status.conditions.map((c) => [c.type, c.status, c.reason, c.message]),
        ),
      );
      const revisionRows = d.revisions.map((r) => [
        String(r.revision),
        r.name,
        String(r.replicas),
        r.template.spec.containers.map((x) => x.image).join(","),
        // Revisions made before causes were kept have none, as `kubectl rollout history` shows.
        r.changeCause ? changeCauseText(r.changeCause) : "<none>",
      ]);
      extra += section(
        "Revisions",
        formatTable(["Revision", "ReplicaSet", "Replicas", "Images", "Change-Cause"], revisionRows),
      );
    } else if (kind === "pods") {
      const pod = await s.client.pods.get.query({ name, namespace: s.namespace });
      objectKind = "Pod";
      eventsNamespace = pod.namespace;
      fields = describePod(pod, now);
      extra = section(
        "Containers",
        pod.status.containerStatuses
          .map(
            (c) =>
              `${c.name}:\n  Image:          ${c.image}\n  State:          ${Object.keys(c.state)[0]}${stateReason(c.state)}\n  Ready:          ${c.ready}\n  Restart Count:  ${c.restartCount}`,
          )
          .join("\n"),
      );
      extra += section(
        "Conditions",
        formatTable(
          ["Type", "Status", "Reason"],
          pod.status.conditions.map((c) => [c.type, c.status, c.reason]),
        ),
      );
    } else if (kind === "nodes") {
      const n = await s.client.nodes.get.query({ name });
      objectKind = "Node";
      fields = describeNode(n, now);
    } else if (kind === "namespaces") {
      const ns = await s.client.namespaces.get.query({ name });
      objectKind = "Namespace";
      fields = [
        ["Name", ns.name],
        ["Status", ns.phase],
        ["Default", String(ns.default)],
        ["Labels", labelsText(ns.labels)],
        ["Age", age(now - ns.createdAt)],
      ];
    } else {
      const pool = (await s.client.nodePools.list.query({ limit: 500 })).items.find(
        (x) => x.name === name || x.id === name,
      );
      if (!pool) throw Object.assign(new Error(`node pool "${name}" not found`));
      objectKind = "NodePool";
      fields = [
        ["Name", pool.name],
        ["Machine Type", pool.machineType],
        ["Size", `min ${pool.minSize}, max ${pool.maxSize}`],
        ["Warm Pool", String(pool.warmPoolSize)],
        ["Trimmed Image", String(pool.trimmedImage)],
        ["Static IP", String(pool.staticIp)],
        ["Labels", labelsText(pool.labels)],
        ["Age", age(now - pool.createdAt)],
      ];
    }
    const width = Math.max(...fields.map(([k]) => k.length)) + 2;
    io.out(
      fields.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`).join("\n") +
        extra +
        (await eventsSection(s, objectKind, name, now, eventsNamespace)),
    );
  },
};

/** As kubectl describes a quota: its name and namespace, then each resource's use against its limit (no events). */
function describeQuota(q: ResourceQuota): string {
  const rows = quotaResources(q).map((r) => [r.resource, r.used, r.hard]);
  return `Name:       ${q.name}\nNamespace:  ${q.namespace}\n${formatTable(["Resource", "Used", "Hard"], [["--------", "----", "----"], ...rows])}`;
}

function stateReason(state: Pod["status"]["containerStatuses"][number]["state"]): string {
  if ("waiting" in state) return ` (${state.waiting.reason})`;
  if ("terminated" in state) return ` (${state.terminated.reason}, exit code ${state.terminated.exitCode})`;
  return "";
}

function section(title: string, body: string): string {
  return `\n${title}:\n${
    body
      ? body
          .split("\n")
          .map((l) => `  ${l}`)
          .join("\n")
      : "  <none>"
  }`;
}

function describeDeployment(d: Deployment, now: number): [string, string][] {
  const st = d.status;
  const c = d.spec.template.spec.containers;
  return [
    ["Name", d.name],
    ["Namespace", d.namespace],
    ["Age", age(now - d.createdAt)],
    ["Labels", labelsText(d.spec.template.labels)],
    [
      "Replicas",
      `${d.spec.replicas} desired | ${st.updatedReplicas} updated | ${st.replicas} total | ${st.availableReplicas} available | ${st.unavailableReplicas} unavailable`,
    ],
    ["StrategyType", d.spec.strategy.type],
    [
      "RollingUpdateStrategy",
      `${d.spec.strategy.maxUnavailable} max unavailable, ${d.spec.strategy.maxSurge} max surge`,
    ],
    ["Paused", String(d.spec.paused)],
    ["Health", deploymentHealthText(d)],
    ...healthLines(d.health),
    ["Revision", String(st.currentRevision)],
    ["Images", c.map((x) => x.image).join(",")],
    ["Requests", c.map((x) => `cpu=${x.resources.requests.cpu}, memory=${x.resources.requests.memory}`).join("; ")],
  ];
}

function describePod(p: Pod, now: number): [string, string][] {
  return [
    ["Name", p.name],
    ["Namespace", p.namespace],
    ["Node", p.nodeName ?? "<none>"],
    ["Age", age(now - p.createdAt)],
    ["Labels", labelsText(p.labels)],
    ["Status", podStatus(p)],
    ["IP", p.podIP ?? "<none>"],
    ["MAC", p.macAddress ?? "<none>"],
    ["Health", p.health.state],
    ...(p.health.message ? ([["Message", p.health.message]] as [string, string][]) : []),
    ["Phase", p.status.phase],
    ["Requests", `cpu=${cpu(p.requests.cpuMillis)}, memory=${memory(p.requests.memoryBytes)}`],
  ];
}

/** The deployment's own message, then what blocks or delays it (a pod's reason and message, or the replica set's). */
function healthLines(h: Deployment["health"]): [string, string][] {
  const out: [string, string][] = [];
  if (h.message && h.message !== h.cause?.message) out.push(["Message", h.message]);
  if (h.cause) {
    const where = h.cause.pod
      ? ` (pod ${h.cause.pod}${h.cause.pods > 1 ? ` and ${h.cause.pods - 1} more` : ""})`
      : ` (${h.cause.pods} pods missing)`;
    out.push([
      h.state === "Progressing" ? "Waiting For" : "Blocked By",
      `${h.cause.reason}${h.cause.message ? `: ${h.cause.message}` : ""}${where}`,
    ]);
  }
  return out;
}

function describeNode(n: Node, now: number): [string, string][] {
  return [
    ["Name", n.name],
    ["Status", nodeStatus(n)],
    ["Age", age(now - n.createdAt)],
    ["Labels", labelsText(n.labels)],
    ["Capacity", `cpu=${cpu(n.capacity.cpuMillis)}, memory=${memory(n.capacity.memoryBytes)}, pods=${n.capacity.pods}`],
    [
      "Allocated",
      `cpu=${cpu(n.allocated.cpuMillis)} (${percent(n.allocated.cpuMillis, n.capacity.cpuMillis)}), memory=${memory(n.allocated.memoryBytes)} (${percent(n.allocated.memoryBytes, n.capacity.memoryBytes)}), pods=${n.allocated.pods}`,
    ],
    ["Pods", String(n.podsRemaining)],
    ["Draining", String(n.draining)],
  ];
}

/** The object's newest events; those of a namespaced object are read from its namespace. */
async function eventsSection(
  s: Session,
  objectKind: string,
  name: string,
  now: number,
  namespace?: string,
): Promise<string> {
  const events = (
    await s.client.events.list.query({ objectKind: objectKind as "Pod", objectName: name, namespace, limit: 20 })
  ).items;
  return section(
    "Events",
    events.length
      ? formatTable(
          ["Type", "Reason", "Age", "Count", "Message"],
          events.map((e) => [e.type, e.reason, age(now - e.lastTime), String(e.count), e.message]),
        )
      : "",
  );
}
