/**
 * A dropped check's reason as a sentence in the reader's language: the catalog key for the
 * reason's code (and its no-route cause, direction or side) with the reason's parameters. A
 * reason the catalog has no sentence for is said in the engine's words (`message`), so a new
 * code in the engine shows up readable before it is translated. Operator-written text (a port
 * ban's reason) and names stay as written.
 */
import type { DropReasonViewOut } from "@/server/trpc/views/networks";

type Values = Record<string, string | number>;

/** The slice of a next-intl translator this needs (scoped to `networks.check`). */
export interface ReasonTranslator {
  (key: string, values?: Values): string;
  has(key: string): boolean;
}

/** "TCP 25", "UDP 53", "ICMP": how the console writes a protocol and port. */
export function protocolPort(protocol: string | undefined, port: number | undefined): string {
  const p = (protocol ?? "").toUpperCase();
  return protocol === "icmp" || port === undefined ? p : `${p} ${port}`;
}

/** The catalog key (under `reasonText`) and its values, or null when the reason lacks what the key needs. */
function keyOf(r: DropReasonViewOut, instant: (ms: number) => string): { key: string; values: Values } | null {
  const what = protocolPort(r.protocol, r.port);
  const base = { pod: r.pod ?? "", address: r.address ?? "", remote: r.remote ?? "", what };
  switch (r.code) {
    case "spoofed-source-mac":
      return { key: r.code, values: { ...base, claimed: r.claimedMac ?? "", assigned: r.assignedMac ?? "" } };
    case "spoofed-source-ip":
      return { key: r.code, values: { ...base, claimed: r.claimedIp ?? "", assigned: r.assignedIp ?? "" } };
    case "no-route":
      return r.cause ? { key: `no-route.${r.cause}`, values: { ...base, service: r.service ?? "" } } : null;
    case "port-blocked":
      return { key: r.code, values: { entry: r.entryId ?? "", what, reason: r.reason ?? "" } };
    case "egress-denied":
    case "ingress-denied":
      // Rules are numbered from 1 in the security group editor ("Inbound rule 1").
      return r.group !== undefined && r.ruleIndex !== undefined
        ? { key: `${r.code}.rule`, values: { group: r.group, rule: r.ruleIndex + 1 } }
        : { key: `${r.code}.noRule`, values: { ...base, groups: (r.groups ?? []).join(", ") } };
    case "network-policy":
      return r.direction === "egress" || r.direction === "ingress"
        ? { key: `network-policy.${r.direction}`, values: { ...base, policies: (r.policies ?? []).join(", ") } }
        : null;
    case "blackholed":
      return r.side && r.until !== undefined
        ? { key: `blackholed.${r.side}`, values: { address: r.address ?? "", until: instant(r.until) } }
        : null;
  }
  return null;
}

export function reasonText(
  t: ReasonTranslator,
  reason: DropReasonViewOut,
  message: string | undefined,
  instant: (ms: number) => string,
): string {
  const found = keyOf(reason, instant);
  if (found && t.has(`reasonText.${found.key}`)) return t(`reasonText.${found.key}`, found.values);
  return message ?? reason.code;
}
