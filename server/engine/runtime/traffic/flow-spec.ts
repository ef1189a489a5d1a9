/**
 * SIM_TRAFFIC: the flows a simulated container sends, the way SIM_CPU sets its cpu.
 *
 *   SIM_TRAFFIC = flow *( ("," | "|") flow )
 *   flow        = field *( ";" field )            (fields in any order, each at most once)
 *   field       = key "=" value
 *
 * | key | value | default |
 * |---|---|---|
 * | `to` | `internet` · a dotted quad (a pod, a ClusterIP, a public address) · `pod/<name>[.<namespace>]` · `svc/<name>[.<namespace>]` (also `service/`) | required |
 * | `proto` | `tcp` · `udp` · `icmp` | `tcp` |
 * | `port` | destination port 1..65535 (for a service: its port) | required for tcp and udp; refused for icmp |
 * | `rate` | bits/s offered, a quantity as the bandwidth annotations read it: `20M`, `500k`, `1G` | required; 1 .. 100G |
 * | `size` | bytes per packet, 1..9000 | 1400 |
 * | `spoof-ip`, `spoof-mac` | the source address the frames claim (anti-spoofing demos) | the port's own |
 *
 * Example: `SIM_TRAFFIC="to=svc/db;port=5432;rate=20M;size=1400|to=internet;port=443;rate=5M"`.
 * A namespace omitted is the sending pod's. Parsing is strict: an unknown key, a repeated key, a
 * missing `=` or a value out of range makes that one flow invalid, with a message naming the
 * flow and the field; the runtime ignores it with a Warning event and keeps the valid ones.
 */
import { parseIpv4, type Ipv4 } from "../../network/ipv4";
import { parseQuantityValue } from "../../network/qos/bandwidth-quantity";
import type { FlowProtocol } from "../../network/security/types";

export const SIM_TRAFFIC_ENV = "SIM_TRAFFIC";
/** The internet host `to=internet` reaches (TEST-NET-1, RFC 5737: public, bound to no pod). */
export const INTERNET_HOST = "192.0.2.1";
export const MAX_FLOW_BITS_PER_SECOND = 100_000_000_000;
export const MAX_PACKET_BYTES = 9000;
export const DEFAULT_PACKET_BYTES = 1400;
/** More flows than this in one container's SIM_TRAFFIC are refused (the model's cost is per flow). */
export const MAX_FLOWS_PER_CONTAINER = 32;

export type FlowTarget =
  | { readonly kind: "internet" }
  | { readonly kind: "address"; readonly ip: Ipv4 }
  | { readonly kind: "pod" | "service"; readonly name: string; readonly namespace?: string };

export interface FlowSpec {
  readonly to: FlowTarget;
  readonly protocol: FlowProtocol;
  /** 0 for icmp. */
  readonly port: number;
  readonly bitsPerSecond: number;
  readonly packetBytes: number;
  readonly spoofIp?: Ipv4;
  readonly spoofMac?: string;
}

export interface FlowSpecProblem {
  /** 1-based position of the flow in the env value. */
  readonly flow: number;
  readonly text: string;
  readonly message: string;
}

export interface ParsedTraffic {
  readonly flows: readonly FlowSpec[];
  readonly problems: readonly FlowSpecProblem[];
}

const KEYS = new Set(["to", "proto", "port", "rate", "size", "spoof-ip", "spoof-mac"]);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

class FieldError extends Error {}
const fail = (field: string, message: string): never => {
  throw new FieldError(`${field}: ${message}`);
};

function parseTarget(value: string): FlowTarget {
  if (value === "internet") return { kind: "internet" };
  const slash = value.indexOf("/");
  if (slash < 0) {
    try {
      return { kind: "address", ip: parseIpv4(value) };
    } catch {
      return fail("to", `"${value}" is not internet, an IPv4 address, pod/<name> or svc/<name>`);
    }
  }
  const prefix = value.slice(0, slash);
  const kind = prefix === "pod" ? "pod" : prefix === "svc" || prefix === "service" ? "service" : undefined;
  if (kind === undefined) return fail("to", `unknown target kind "${prefix}" (pod/ or svc/)`);
  const [name = "", namespace, extra] = value.slice(slash + 1).split(".");
  if (extra !== undefined || !DNS_LABEL.test(name) || (namespace !== undefined && !DNS_LABEL.test(namespace)))
    return fail("to", `"${value}" must be ${prefix}/<name> or ${prefix}/<name>.<namespace> (DNS labels)`);
  return namespace === undefined ? { kind, name } : { kind, name, namespace };
}

function integer(field: string, value: string, min: number, max: number): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max)
    return fail(field, `"${value}" must be an integer from ${min} to ${max}`);
  return Number(value);
}

function parseFlow(text: string): FlowSpec {
  const fields = new Map<string, string>();
  for (const part of text.split(";")) {
    const item = part.trim();
    if (item === "") continue;
    const eq = item.indexOf("=");
    if (eq <= 0) fail(item, "expected key=value (keys: to, proto, port, rate, size, spoof-ip, spoof-mac)");
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (!KEYS.has(key)) fail(key, "unknown key (keys: to, proto, port, rate, size, spoof-ip, spoof-mac)");
    if (fields.has(key)) fail(key, "given twice");
    fields.set(key, value);
  }
  const toText = fields.get("to");
  if (toText === undefined) return fail("to", "required (internet, an address, pod/<name> or svc/<name>)");
  const to = parseTarget(toText);
  const proto = fields.get("proto") ?? "tcp";
  if (proto !== "tcp" && proto !== "udp" && proto !== "icmp")
    return fail("proto", `"${proto}" must be tcp, udp or icmp`);
  const portText = fields.get("port");
  let port = 0;
  if (proto === "icmp") {
    if (portText !== undefined) fail("port", "icmp has no port");
  } else if (portText === undefined) fail("port", `required for ${proto}`);
  else port = integer("port", portText, 1, 65_535);
  const rateText = fields.get("rate");
  if (rateText === undefined) return fail("rate", 'required, bits per second like "20M"');
  const rate = parseQuantityValue(rateText);
  if (rate === undefined || rate < 1 || rate > MAX_FLOW_BITS_PER_SECOND)
    return fail("rate", `"${rateText}" must be bits per second from 1 to 100G, like "20M", "500k" or "1G"`);
  const sizeText = fields.get("size");
  const packetBytes = sizeText === undefined ? DEFAULT_PACKET_BYTES : integer("size", sizeText, 1, MAX_PACKET_BYTES);
  const spoofIpText = fields.get("spoof-ip");
  let spoofIp: Ipv4 | undefined;
  if (spoofIpText !== undefined) {
    try {
      spoofIp = parseIpv4(spoofIpText);
    } catch {
      fail("spoof-ip", `"${spoofIpText}" is not an IPv4 address`);
    }
  }
  const spoofMac = fields.get("spoof-mac");
  if (spoofMac !== undefined && !MAC.test(spoofMac))
    fail("spoof-mac", `"${spoofMac}" must be a MAC like 02:00:00:00:00:01`);
  return {
    to,
    protocol: proto,
    port,
    bitsPerSecond: rate,
    packetBytes,
    ...(spoofIp !== undefined ? { spoofIp } : {}),
    ...(spoofMac !== undefined ? { spoofMac: spoofMac.toLowerCase() } : {}),
  };
}

/** Every valid flow of a SIM_TRAFFIC value, and one problem per invalid flow (never throws). */
export function parseSimTraffic(value: string | undefined): ParsedTraffic {
  if (value === undefined || value.trim() === "") return { flows: [], problems: [] };
  const flows: FlowSpec[] = [];
  const problems: FlowSpecProblem[] = [];
  value.split(/[,|]/).forEach((raw, i) => {
    const text = raw.trim();
    if (text === "") return;
    if (flows.length >= MAX_FLOWS_PER_CONTAINER) {
      problems.push({ flow: i + 1, text, message: `more than ${MAX_FLOWS_PER_CONTAINER} flows` });
      return;
    }
    try {
      flows.push(parseFlow(text));
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      problems.push({ flow: i + 1, text, message: error.message });
    }
  });
  return { flows, problems };
}

/** The Warning event's message for an ignored flow. */
export function describeFlowProblem(container: string, p: FlowSpecProblem): string {
  const shown = p.text.length > 80 ? `${p.text.slice(0, 80)}…` : p.text;
  return `${SIM_TRAFFIC_ENV} of container ${container}, flow ${p.flow} ("${shown}") ignored: ${p.message}`;
}
