/**
 * The Public IPs forms' pure parts: what a draft sends (allocate, bind, bandwidth), the problems
 * the server would refuse it for (checked at the field before anything is sent, with the same
 * bounds), and which field a server refusal belongs to (the API's `fieldErrors`, keyed by the last
 * segment of the engine's path: `metadata.name` → `name`, `spec.target.kind` → `kind`).
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const WHOLE = /^\d+$/;

export type AllocateField = "name" | "bandwidthMbps";
export type ProblemKey = "nameRequired" | "nameFormat" | "bandwidth" | "target";

export interface AllocateDraft {
  name: string;
  namespace: string;
  /** Empty: the engine's default (5). */
  bandwidthMbps: string;
}

export function bandwidthProblem(text: string, required: boolean): ProblemKey | undefined {
  const s = text.trim();
  if (s === "") return required ? "bandwidth" : undefined;
  if (!WHOLE.test(s)) return "bandwidth";
  const n = Number(s);
  return n >= 1 && n <= 10_000 ? undefined : "bandwidth";
}

export function allocateProblems(d: AllocateDraft): Partial<Record<AllocateField, ProblemKey>> {
  const out: Partial<Record<AllocateField, ProblemKey>> = {};
  const name = d.name.trim();
  if (name === "") out.name = "nameRequired";
  else if (name.length > 63 || !DNS_LABEL.test(name)) out.name = "nameFormat";
  const bw = bandwidthProblem(d.bandwidthMbps, false);
  if (bw) out.bandwidthMbps = bw;
  return out;
}

/** What publicIps.allocate takes. */
export function allocateInput(d: AllocateDraft) {
  const bw = d.bandwidthMbps.trim();
  return {
    name: d.name.trim(),
    ...(d.namespace ? { namespace: d.namespace } : {}),
    ...(bw === "" ? {} : { bandwidthMbps: Number(bw) }),
  };
}

export interface BindDraft {
  kind: "Pod" | "Service";
  target: string;
  sticky: boolean;
}

/** What publicIps.bind takes; stickiness only means something for a pod. */
export function bindInput(ip: { name: string; namespace: string; resourceVersion: string }, d: BindDraft) {
  return {
    name: ip.name,
    namespace: ip.namespace,
    resourceVersion: ip.resourceVersion,
    target: { kind: d.kind, name: d.target },
    ...(d.kind === "Pod" ? { sticky: d.sticky } : {}),
  };
}

/** A refusal's message for one of the form's fields (tRPC's error data), or null. */
export function refusalAt(error: unknown, ...keys: string[]): string | null {
  const fieldErrors = (error as { data?: { fieldErrors?: Record<string, string[] | undefined> } } | null)?.data
    ?.fieldErrors;
  for (const key of keys) {
    const message = fieldErrors?.[key]?.[0];
    if (message) return message;
  }
  return null;
}

/** The refusal's message when no field of the form shows it (a quota, an exhausted pool). */
export function refusalElsewhere(error: unknown, fields: readonly string[]): string | null {
  if (!error) return null;
  return refusalAt(error, ...fields) ? null : ((error as { message?: string }).message ?? null);
}

/** `pod/web-1`, `service/shop`, kubectl's TARGET column. */
export function targetText(target: { kind: "Pod" | "Service"; name: string } | undefined): string | null {
  if (!target) return null;
  return `${target.kind === "Pod" ? "pod" : "service"}/${target.name}`;
}
