/**
 * check: the connectivity check from a terminal. Would a flow from a pod reach a pod, a service or
 * an address on this protocol and port? Or, with --from-internet, would a host on the internet
 * reach one of the tenant's public addresses (through its security groups, the operator's port
 * bans and DDoS protection)? The server answers from the same tables its traffic model
 * enforces; this prints the verdict, the reason and every filter's outcome (or the whole answer
 * with -o json|yaml). Exit code 0: delivered; 1: dropped (or an error), so scripts can branch on it.
 */
import { bool, type OptionSpec, type Parsed, parse, str } from "../args";
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
  "to-address": {
    type: "string",
    value: "ADDRESS",
    description: "The destination as an IPv4 address (as --to ADDRESS)",
  },
  "from-internet": {
    type: "boolean",
    description: "Start on the internet, from ADDRESS (the argument) or 192.0.2.1; the destination is an address",
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

/** The destination from --to or --to-address (one of them); from the internet only an address. */
function destination(p: Parsed, internet: boolean): CheckInput["to"] {
  const to = str(p, "to");
  const address = str(p, "to-address");
  if (to !== undefined && address !== undefined) throw new UsageError("give --to or --to-address, not both", "check");
  if (address !== undefined) {
    if (!IPV4.test(address)) throw new UsageError(`--to-address ${address}: expected an IPv4 address`, "check");
    return { address };
  }
  if (internet && to === undefined)
    throw new UsageError("missing --to-address ADDRESS (a public IP of yours)", "check");
  const target = parseTarget(to, undefined);
  if (internet && !("address" in target))
    throw new UsageError(`--to ${to}: from the internet the destination is an address (a public IP of yours)`, "check");
  return target;
}

/** The source: the pod named by the argument, or with --from-internet a host there (the argument, if any). */
function source(p: Parsed): CheckInput["from"] {
  const [first, extra] = p.positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`, "check");
  if (bool(p, "from-internet")) {
    if (first === undefined) return { internet: true };
    if (!IPV4.test(first))
      throw new UsageError(`--from-internet ${first}: expected the internet host's IPv4 address`, "check");
    return { internet: true, address: first };
  }
  if (!first) throw new UsageError("missing POD (the pod the traffic starts from), or --from-internet", "check");
  return { pod: first.startsWith("pod/") ? first.slice(4) : first };
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
  const from = r.source.internet ? `internet (${r.source.ip})` : `pod/${r.source.pod} (${r.source.ip})`;
  const head = `${r.verdict}: ${from} → ${to} ${what}`;
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
  summary: "Check whether traffic from a pod (or the internet) reaches a pod, a service or an address (and why not)",
  usage: [
    "cloudctl check POD --to pod/NAME|svc/NAME|ADDRESS [--port 80] [--protocol tcp] [-n NAMESPACE]",
    "       cloudctl check --from-internet [ADDRESS] --to-address PUBLIC_IP [--port 80] [--protocol tcp]",
  ].join("\n"),
  details: [
    "Answers from the tables the network enforces: security groups, network policies, the operator's",
    "blocklist, DDoS protection, anti-spoofing and routes. Exit code 0 when delivered, 1 when dropped.",
    "From the internet (a host at ADDRESS, default 192.0.2.1) the destination is an address: one of",
    "your public IPs reaches the pod or LoadBalancer it is bound to; any other address has no route.",
    "Example: cloudctl check web-7d4b9-abcde --to svc/db --port 5432",
    "Example: cloudctl check --from-internet --to-address 203.0.113.5 --port 443",
  ].join("\n"),
  options,
  async run(args, io) {
    const p = parse(args, options, "check");
    const protocol = str(p, "protocol") ?? "tcp";
    if (!(PROTOCOLS as readonly string[]).includes(protocol))
      throw new UsageError(`--protocol must be tcp, udp or icmp, got "${protocol}"`, "check");
    const output = str(p, "output");
    if (output !== undefined && output !== "json" && output !== "yaml")
      throw new UsageError(`unknown output format "${output}" (expected json or yaml)`, "check");
    // Every mistake in the arguments is reported before connecting; the namespace then scopes pod and service names.
    const from = source(p);
    const to = destination(p, "internet" in from);
    const port = parsePort(str(p, "port"), protocol);
    const s = await connect(p);
    const scoped = <T extends object>(ref: T): T =>
      s.namespace && ("pod" in ref || "service" in ref) ? { ...ref, namespace: s.namespace } : ref;
    const input: CheckInput = {
      from: scoped(from),
      to: scoped(to),
      protocol: protocol as (typeof PROTOCOLS)[number],
      ...(port !== undefined ? { port } : {}),
    };
    const result = await s.client.networks.check.query(input);
    io.out(output ? renderData(result, output) : renderCheck(result, protocol, port));
    return result.verdict === "delivered" ? 0 : 1;
  },
};
