/**
 * The operators' "ban a port" form as typed, and its checks: the engine's own blocklist
 * validation (blocklistProblems), so the form refuses at the field what the server refuses.
 * The server names fields on the PortBan (`spec.portRangeMax`), the validator on the list
 * (`spec.entries[0].portRangeMax`, `…id` for the name): both land on the same box.
 */
import { blocklistProblems, type BlocklistScope } from "@/server/engine/network/security/blocklist";

export interface PortBanDraft {
  name: string;
  protocol: "tcp" | "udp";
  portRangeMin: string;
  /** Empty: the one port portRangeMin. */
  portRangeMax: string;
  scope: BlocklistScope;
  reason: string;
}

export type PortBanField = "name" | "protocol" | "portRangeMin" | "portRangeMax" | "scope" | "reason";
export type PortBanProblem = { text: string } | { kind: "notWhole" } | { kind: "required" };

export const emptyPortBan = (): PortBanDraft => ({
  name: "",
  protocol: "tcp",
  portRangeMin: "",
  portRangeMax: "",
  scope: "all",
  reason: "",
});

const WHOLE = /^\s*\d+\s*$/;
const FIELD = /^spec\.(?:entries\[\d+\]\.)?(id|protocol|portRangeMin|portRangeMax|scope|reason)$/;

/** The form's field for a path as the engine names it; null for one the form has no box for. */
export function portBanFieldOfPath(path: string): PortBanField | null {
  if (path === "metadata.name" || path === "name") return "name";
  const m = FIELD.exec(path);
  if (!m) return null;
  return m[1] === "id" ? "name" : (m[1] as PortBanField);
}

/** What the server takes (security.addPortBan). */
export function portBanInput(d: PortBanDraft) {
  const min = Number(d.portRangeMin);
  return {
    name: d.name.trim(),
    protocol: d.protocol,
    portRangeMin: min,
    portRangeMax: d.portRangeMax.trim() === "" ? min : Number(d.portRangeMax),
    scope: d.scope,
    reason: d.reason.trim(),
  };
}

export function portBanProblems(d: PortBanDraft): Partial<Record<PortBanField, PortBanProblem>> {
  const out: Partial<Record<PortBanField, PortBanProblem>> = {};
  if (d.portRangeMin.trim() === "") out.portRangeMin = { kind: "required" };
  else if (!WHOLE.test(d.portRangeMin)) out.portRangeMin = { kind: "notWhole" };
  if (d.portRangeMax.trim() !== "" && !WHOLE.test(d.portRangeMax)) out.portRangeMax = { kind: "notWhole" };
  if (d.name.trim() === "") out.name = { kind: "required" };
  const input = portBanInput(d);
  for (const p of blocklistProblems([{ id: input.name, ...input }])) {
    const field = portBanFieldOfPath(p.field);
    if (field && out[field] === undefined) out[field] = { text: p.message.slice(p.field.length + 2) };
  }
  return out;
}
