/**
 * The connectivity check form's state and the question it asks (networks.check's input), with
 * the mistakes the form can see itself named at their field; the server checks everything again.
 * Pods and services are chosen as `namespace/name`, so every namespace's can be offered at once.
 */

export type TargetKind = "pod" | "service" | "address";
export type Protocol = "tcp" | "udp" | "icmp";

export interface CheckForm {
  /** `namespace/name` of the source pod. */
  from: string;
  targetKind: TargetKind;
  /** `namespace/name` of a pod or service, or an IPv4 address. */
  target: string;
  protocol: Protocol;
  port: string;
}

export type CheckInput = {
  from: { pod: string; namespace: string };
  to: { pod: string; namespace: string } | { service: string; namespace: string } | { address: string };
  protocol: Protocol;
  port?: number;
};

export type FormProblem = { field: "from" | "target" | "port"; key: string };

const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function split(ref: string): { namespace: string; name: string } | null {
  const at = ref.indexOf("/");
  if (at <= 0 || at === ref.length - 1) return null;
  return { namespace: ref.slice(0, at), name: ref.slice(at + 1) };
}

/** The input to send, or the first problem per field (message keys of the `networks.check` catalog). */
export function toCheckInput(form: CheckForm): { input: CheckInput } | { problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const from = split(form.from);
  if (!from) problems.push({ field: "from", key: "pickSource" });
  let to: CheckInput["to"] | null = null;
  if (form.targetKind === "address") {
    const address = form.target.trim();
    if (IPV4.test(address)) to = { address };
    else problems.push({ field: "target", key: "badAddress" });
  } else {
    const ref = split(form.target);
    if (!ref) problems.push({ field: "target", key: form.targetKind === "pod" ? "pickPod" : "pickService" });
    else
      to =
        form.targetKind === "pod"
          ? { pod: ref.name, namespace: ref.namespace }
          : { service: ref.name, namespace: ref.namespace };
  }
  let port: number | undefined;
  if (form.protocol !== "icmp") {
    const text = form.port.trim();
    port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
    if (!(port >= 1 && port <= 65535)) problems.push({ field: "port", key: "badPort" });
  }
  if (problems.length > 0 || !from || !to) return { problems };
  return {
    input: {
      from: { pod: from.name, namespace: from.namespace },
      to,
      protocol: form.protocol,
      ...(port !== undefined ? { port } : {}),
    },
  };
}
