/** drain, cordon, uncordon. */
import { duration, parse, type OptionSpec } from "../args";
import { CliError, UsageError } from "../errors";
import { connect } from "../session";
import { sleep } from "../../client/fetch";
import type { Command } from "./types";

/** `drain node NAME` (as the issue writes it) or `drain NAME` (as kubectl does). */
function nodeName(positionals: string[], command: string): string {
  const rest =
    positionals[0] === "node" || positionals[0] === "nodes" || positionals[0] === "no"
      ? positionals.slice(1)
      : positionals;
  const joined = rest[0]?.startsWith("node/") ? [rest[0].slice(5), ...rest.slice(1)] : rest;
  if (!joined[0]) throw new UsageError("missing node NAME", command);
  if (joined.length > 1) throw new UsageError(`unexpected argument "${joined[1]}"`, command);
  return joined[0];
}

const drainOptions: OptionSpec = {
  timeout: {
    type: "string",
    value: "DURATION",
    description: "Give up waiting for the pods to leave after this long (default 5m)",
  },
  "no-wait": { type: "boolean", description: "Return once eviction has started" },
};

export const drainCommand: Command = {
  name: "drain",
  summary: "Cordon a node and evict its pods (owned pods are recreated elsewhere)",
  usage: "cloudctl drain node NAME [--timeout 5m] [--no-wait]",
  kubectl: "kubectl drain NAME --ignore-daemonsets --delete-emptydir-data",
  options: drainOptions,
  async run(args, io) {
    const p = parse(args, drainOptions, "drain");
    const name = nodeName(p.positionals, "drain");
    const timeoutMs = duration(p, "timeout", "drain") ?? 300_000;
    const s = await connect(p);
    const pods = (await s.client.pods.list.query({ node: name, limit: 500 })).items;
    await s.client.nodes.drain.mutate({ name });
    io.out(`node/${name} cordoned`);
    for (const pod of pods) io.out(`evicting pod ${pod.name}`);
    if (p.values["no-wait"] === true) return;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const node = await s.client.nodes.get.query({ name });
      if (node.podsRemaining === 0) break;
      if (Date.now() > deadline)
        throw new CliError(`timed out waiting for node/${name} to drain (${node.podsRemaining} pods left)`);
      await sleep(250);
    }
    io.out(`node/${name} drained`);
  },
};

export const cordonCommand: Command = {
  name: "cordon",
  summary: "Mark a node unschedulable",
  usage: "cloudctl cordon [node] NAME",
  kubectl: "kubectl cordon NAME",
  options: {},
  async run(args, io) {
    const p = parse(args, {}, "cordon");
    const name = nodeName(p.positionals, "cordon");
    const s = await connect(p);
    await s.client.nodes.cordon.mutate({ name });
    io.out(`node/${name} cordoned`);
  },
};

export const uncordonCommand: Command = {
  name: "uncordon",
  summary: "Mark a node schedulable again",
  usage: "cloudctl uncordon [node] NAME",
  kubectl: "kubectl uncordon NAME",
  options: {},
  async run(args, io) {
    const p = parse(args, {}, "uncordon");
    const name = nodeName(p.positionals, "uncordon");
    const s = await connect(p);
    await s.client.nodes.uncordon.mutate({ name });
    io.out(`node/${name} uncordoned`);
  },
};
