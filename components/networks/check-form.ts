/**
 * The connectivity check form's state and the question it asks (networks.check's input), with
 * the mistakes the form can see itself named at their field; the server checks everything again.
 * Pods and services are chosen as `namespace/name`, so every namespace's can be offered at once.
 * From the internet the destination is an address (one of the tenant's public IPs, or typed):
 * a pod or a service is not reachable from outside by name, so the form refuses it at the field.
 */

export type SourceKind = "pod" | "internet";
/** `publicIp`: one of the tenant's public IPs, chosen from a list (sent as an address). */
export type TargetKind = "pod" | "service" | "address" | "publicIp";
export type Protocol = "tcp" | "udp" | "icmp";

export interface CheckForm {
  sourceKind: SourceKind;
  /** `namespace/name` of the source pod. */
  from: string;
  /** From the internet: the host's public IPv4 address; empty for the engine's default (192.0.2.1). */
  fromAddress: string;
  targetKind: TargetKind;
  /** `namespace/name` of a pod or service, or an IPv4 address. */
  target: string;
  protocol: Protocol;
  port: string;
}

export type CheckInput = {
  from: { pod: string; namespace: string } | { internet: true; address?: string };
  to: { pod: string; namespace: string } | { service: string; namespace: string } | { address: string };
  protocol: Protocol;
  port?: number;
};

export type FormProblem = { field: "from" | "fromAddress" | "target" | "port"; key: string };

/** The internet host the engine assumes when none is named (a documentation address). */
export const DEFAULT_INTERNET_HOST = "192.0.2.1";

/** The destination kinds the form offers for a source kind. */
export const TARGET_KINDS: Record<SourceKind, readonly TargetKind[]> = {
  pod: ["pod", "service", "address"],
  internet: ["publicIp", "address"],
};

const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function split(ref: string): { namespace: string; name: string } | null {
  const at = ref.indexOf("/");
  if (at <= 0 || at === ref.length - 1) return null;
  return { namespace: ref.slice(0, at), name: ref.slice(at + 1) };
}

/** The form after the source kind changes: a destination kind the new source cannot use becomes its first. */
export function withSourceKind(form: CheckForm, sourceKind: SourceKind): CheckForm {
  const kinds = TARGET_KINDS[sourceKind];
  if (kinds.includes(form.targetKind)) return { ...form, sourceKind };
  return { ...form, sourceKind, targetKind: kinds[0] ?? "address", target: "" };
}

function sourceOf(form: CheckForm, problems: FormProblem[]): CheckInput["from"] | null {
  if (form.sourceKind === "internet") {
    const address = form.fromAddress.trim();
    if (address === "") return { internet: true };
    if (IPV4.test(address)) return { internet: true, address };
    problems.push({ field: "fromAddress", key: "badSourceAddress" });
    return null;
  }
  const ref = split(form.from);
  if (ref) return { pod: ref.name, namespace: ref.namespace };
  problems.push({ field: "from", key: "pickSource" });
  return null;
}

function targetOf(form: CheckForm, problems: FormProblem[]): CheckInput["to"] | null {
  const kind = form.targetKind;
  if (form.sourceKind === "internet" && !TARGET_KINDS.internet.includes(kind)) {
    problems.push({ field: "target", key: "internetTarget" });
    return null;
  }
  if (kind === "address" || kind === "publicIp") {
    const address = form.target.trim();
    if (IPV4.test(address)) return { address };
    problems.push({ field: "target", key: kind === "publicIp" && address === "" ? "pickPublicIp" : "badAddress" });
    return null;
  }
  const ref = split(form.target);
  if (!ref) {
    problems.push({ field: "target", key: kind === "pod" ? "pickPod" : "pickService" });
    return null;
  }
  return kind === "pod" ? { pod: ref.name, namespace: ref.namespace } : { service: ref.name, namespace: ref.namespace };
}

/** The input to send, or the first problem per field (message keys of the `networks.check` catalog). */
export function toCheckInput(form: CheckForm): { input: CheckInput } | { problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const from = sourceOf(form, problems);
  const to = targetOf(form, problems);
  let port: number | undefined;
  if (form.protocol !== "icmp") {
    const text = form.port.trim();
    port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
    if (!(port >= 1 && port <= 65535)) problems.push({ field: "port", key: "badPort" });
  }
  if (problems.length > 0 || !from || !to) return { problems };
  return { input: { from, to, protocol: form.protocol, ...(port !== undefined ? { port } : {}) } };
}

/** The form field a server refusal names (the engine's `field`, e.g. `from.address`, or zod's path), if any. */
export function refusalField(data: unknown): FormProblem["field"] | null {
  const field = (data as { field?: string } | null | undefined)?.field;
  if (field === "from.address") return "fromAddress";
  if (field?.startsWith("from")) return "from";
  if (field?.startsWith("to")) return "target";
  if (field === "port" || field === "protocol") return "port";
  return null;
}
