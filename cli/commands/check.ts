/**
 * check: the connectivity check from a terminal. Would a flow from a pod reach a pod, a service or
 * an address on this protocol and port? The server answers from the same tables its traffic model
 * enforces; this prints the verdict, the reason and every filter's outcome (or the whole answer
 * with -o json|yaml). Exit code 0: delivered; 1: dropped (or an error), so scripts can branch on it.
 */
import { parse, str, type OptionSpec } from "../args";
import { UsageError } from "../errors";
import { formatTable } from "../format";
import { renderData } from "../output";
import { connect } from "../session";
import type { Command } from "./types";
import type { RouterInputs, RouterOutputs } from "../../client/index";

type CheckInput = RouterInputs["networks"]["check"];
type CheckResult = RouterOutputs["networks"]["check"];

const PROTOCOLS = ["tcp", "udp", "icmp"] as const;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

const options: OptionSpec = {
  to: {
    type: "string",
    value: "TARGET",
    description: "pod/NAME, svc/NAME (service/NAME) or an IPv4 address",
  },
  port: { type: "string", value: "PORT", description: "Destination port, 1-65535 (required for tcp and udp)" },
  protocol: { type: "string", value: "PROTO", description: "tcp (default), udp or icmp" },
  output: { type: "string", short: "o", value: "FORMAT", description: "json or yaml: the whole answer" },
};

/** `--to` as the check's destination; pods and services are looked up in the command's namespace. */
export function parseTarget(to: string | undefined, namespace: string | undefined): CheckInput["to"] {
  if (!to) throw new UsageError("missing --to pod/NAME, svc/NAME or ADDRESS", "check");
  const ns = namespace ? { namespace } : {};
  const slash = to.indexOf("/");
  if (slash > 0) {
    const kind = to.slice(0, slash);
    const name = to.slice(slash + 1);
    if (!name) throw new UsageError(`--to ${to}: missing a name after "${kind}/"`, "check");
    if (kind === "pod" || kind === "pods" || kind === "po") return { pod: name, ...ns };
    if (kind === "svc" || kind === "service" || kind === "services") return { service: name, ...ns };
    throw new UsageError(`--to ${to}: expected pod/NAME, svc/NAME or an IPv4 address`, "check");
  }
  if (IPV4.test(to)) return { address: to };
  throw new UsageError(`--to ${to}: expected pod/NAME, svc/NAME or an IPv4 address`, "check");
}

function parsePort(value: string | undefined, protocol: string): number | undefined {
  if (value === undefined) {
    if (protocol === "icmp") return undefined;
    throw new UsageError(`--port is required for ${protocol}`, "check");
  }
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) throw new UsageError(`--port must be 1-65535, got "${value}"`, "check");
  return port;
}

/** The verdict line, the reason, and the trace as a table. */
export function renderCheck(r: CheckResult, protocol: string, port: number | undefined): string {
  const d = r.destination;
  const to = d.service
    ? `svc/${d.service}${d.pod ? ` → pod/${d.pod}` : ""} (${d.ip})`
    : d.pod
      ? `pod/${d.pod} (${d.ip})`
      : d.ip;
  const what = protocol === "icmp" || port === undefined ? protocol : `${protocol}/${port}`;
  const head = `${r.verdict}: pod/${r.source.pod} (${r.source.ip}) → ${to} ${what}`;
  const lines = [r.verdict === "delivered" && r.path ? `${head} via the ${r.path} path` : head];
  if (r.verdict === "dropped") {
    if (r.reason) lines.push(`reason: ${r.reason.code}`);
    if (r.message) lines.push(r.message);
  }
  lines.push(
    "",
    formatTable(
      ["STAGE", "OUTCOME", "DETAIL"],
      r.trace.map((s) => [s.stage, s.outcome, s.detail]),
    ),
  );
  return lines.join("\n");
}

export const checkCommand: Command = {
  name: "check",
  summary: "Check whether traffic from a pod reaches a pod, a service or an address (and why not)",
  usage: "cloudctl check POD --to pod/NAME|svc/NAME|ADDRESS [--port 80] [--protocol tcp] [-n NAMESPACE]",
  details: [
    "Answers from the tables the network enforces: security groups, network policies, the operator's",
    "blocklist, anti-spoofing and routes. Exit code 0 when delivered, 1 when dropped.",
    "Example: cloudctl check web-7d4b9-abcde --to svc/db --port 5432",
  ].join("\n"),
  options,
  async run(args, io) {
    const p = parse(args, options, "check");
    const [pod, extra] = p.positionals;
    if (!pod) throw new UsageError("missing POD (the pod the traffic starts from)", "check");
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`, "check");
    const protocol = str(p, "protocol") ?? "tcp";
    if (!(PROTOCOLS as readonly string[]).includes(protocol))
      throw new UsageError(`--protocol must be tcp, udp or icmp, got "${protocol}"`, "check");
    const output = str(p, "output");
    if (output !== undefined && output !== "json" && output !== "yaml")
      throw new UsageError(`unknown output format "${output}" (expected json or yaml)`, "check");
    const port = parsePort(str(p, "port"), protocol);
    const s = await connect(p);
    const namespace = s.namespace;
    const source = pod.startsWith("pod/") ? pod.slice(4) : pod;
    const input: CheckInput = {
      from: { pod: source, ...(namespace ? { namespace } : {}) },
      to: parseTarget(str(p, "to"), namespace),
      protocol: protocol as (typeof PROTOCOLS)[number],
      ...(port !== undefined ? { port } : {}),
    };
    const result = await s.client.networks.check.query(input);
    io.out(output ? renderData(result, output) : renderCheck(result, protocol, port));
    return result.verdict === "delivered" ? 0 : 1;
  },
};
