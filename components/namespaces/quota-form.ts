/**
 * The quota dialog's model: three text fields (cpu, memory, pods), each empty for no limit, and
 * their checks, the same as the server's (components/workloads/spec.ts's quantity parsing,
 * which mirrors server/engine/kinds/quantity.ts); the server stays the authority. A memory
 * amount without a unit is bytes, which is never what a person means for a namespace (a
 * few bytes): below 4Mi it asks for a unit, as the deployment wizard does.
 */
import { formatCpu, formatMemory, MIN_CONTAINER_MEMORY_BYTES } from "@/server/engine/kinds/quantity";
import { cpuMillis, memBytes } from "@/components/workloads/spec";

export type QuotaField = "cpu" | "memory" | "pods";
export const quotaFields: readonly QuotaField[] = ["cpu", "memory", "pods"];
export type QuotaForm = Record<QuotaField, string>;
/** A catalog key under resourceQuotas.errors, with its values. */
export type QuotaFieldError = { key: string; values?: Record<string, string> };
export type QuotaFormErrors = Partial<Record<QuotaField | "form", QuotaFieldError>>;

/** What a quota's hard limits look like in the API's units. */
export interface Hard {
  cpuMillis?: number;
  memoryBytes?: number;
  pods?: number;
}

const MAX_PODS = 1_000_000;

export const emptyQuotaForm: QuotaForm = { cpu: "", memory: "", pods: "" };

/** A quota's limits as a person writes them ("2", "500m", "4Gi"). */
export function quotaFormOf(hard: Hard): QuotaForm {
  return {
    cpu: hard.cpuMillis === undefined ? "" : formatCpu(hard.cpuMillis),
    memory: hard.memoryBytes === undefined ? "" : formatMemory(hard.memoryBytes),
    pods: hard.pods === undefined ? "" : String(hard.pods),
  };
}

export function validateQuotaForm(f: QuotaForm): QuotaFormErrors {
  const e: QuotaFormErrors = {};
  const cpu = f.cpu.trim();
  const memory = f.memory.trim();
  const pods = f.pods.trim();
  if (!cpu && !memory && !pods) e.form = { key: "oneRequired" };
  if (cpu && cpuMillis(cpu) === null) e.cpu = { key: "cpuInvalid", values: { value: cpu } };
  if (memory) {
    const bytes = memBytes(memory);
    if (bytes === null) e.memory = { key: "memoryInvalid", values: { value: memory } };
    else if (bytes > 0 && bytes < MIN_CONTAINER_MEMORY_BYTES && /^\d+(?:\.\d+)?$/.test(memory))
      e.memory = { key: "memoryNoUnit", values: { value: memory } };
  }
  if (pods && (!/^\d{1,7}$/.test(pods) || Number(pods) > MAX_PODS)) e.pods = { key: "podsInvalid" };
  return e;
}

/** The procedure's `hard`: the fields filled in, as typed (the server parses the quantities). */
export function hardOf(f: QuotaForm): { cpu?: string; memory?: string; pods?: number } {
  const cpu = f.cpu.trim();
  const memory = f.memory.trim();
  const pods = f.pods.trim();
  return {
    ...(cpu ? { cpu } : {}),
    ...(memory ? { memory } : {}),
    ...(pods ? { pods: Number(pods) } : {}),
  };
}

/** Each limited resource with what is used and its limit, formatted; `full` when use has reached it. */
export function quotaUsage(
  hard: Hard,
  used: { cpuMillis: number; memoryBytes: number; pods: number },
): { resource: QuotaField; used: string; hard: string; full: boolean }[] {
  const rows: { resource: QuotaField; used: string; hard: string; full: boolean }[] = [];
  if (hard.cpuMillis !== undefined)
    rows.push({
      resource: "cpu",
      used: formatCpu(used.cpuMillis),
      hard: formatCpu(hard.cpuMillis),
      full: used.cpuMillis >= hard.cpuMillis,
    });
  if (hard.memoryBytes !== undefined)
    rows.push({
      resource: "memory",
      used: formatMemory(used.memoryBytes),
      hard: formatMemory(hard.memoryBytes),
      full: used.memoryBytes >= hard.memoryBytes,
    });
  if (hard.pods !== undefined)
    rows.push({ resource: "pods", used: String(used.pods), hard: String(hard.pods), full: used.pods >= hard.pods });
  return rows;
}
