/**
 * Kubernetes resource quantities.
 * Guarantees: parseCpu returns integer millicores for "500m", "2", "0.5", "1.5";
 * parseMemory returns integer bytes for "256Mi", "4Gi", "1G", "128974848"; anything
 * else throws EngineError INVALID with a message naming the bad value and the forms
 * accepted. format* are their inverses for display ("2", "500m", "4Gi").
 * containerMemoryProblem says why a valid quantity is still too small for a container.
 */
import { EngineError } from "../core/errors";

const CPU_RE = /^(\d+(?:\.\d{1,3})?)(m?)$/;
const MEM_RE = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P)?$/;
const MEM_UNITS: Record<string, number> = {
  "": 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

/** The field a message starts with; none ("") where the caller names it (a schema's issue path). */
const at = (field: string) => (field ? `${field}: ` : "");

export function parseCpu(value: string, field = "cpu"): number {
  const m = CPU_RE.exec(value.trim());
  if (!m || (m[2] === "m" && m[1]?.includes("."))) {
    throw new EngineError(
      "INVALID",
      `${at(field)}"${value}" is not a CPU quantity; use millicores like "500m" or cores like "2" or "0.5"`,
    );
  }
  const n = Number(m[1]);
  const millis = m[2] === "m" ? n : Math.round(n * 1000);
  if (!Number.isSafeInteger(millis)) throw new EngineError("INVALID", `${at(field)}"${value}" is too large`);
  return millis;
}

export function parseMemory(value: string, field = "memory"): number {
  const m = MEM_RE.exec(value.trim());
  if (!m) {
    throw new EngineError(
      "INVALID",
      `${at(field)}"${value}" is not a memory quantity; use bytes with a suffix like "256Mi", "4Gi" or plain bytes like "134217728"`,
    );
  }
  const bytes = Math.round(Number(m[1]) * (MEM_UNITS[m[2] ?? ""] ?? 1));
  if (!Number.isSafeInteger(bytes)) throw new EngineError("INVALID", `${at(field)}"${value}" is too large`);
  return bytes;
}

/**
 * The least memory a container may request or be limited to. Kubernetes accepts plain bytes,
 * but a few bytes is never what a person meant ("256" for 256Mi), and container runtimes
 * refuse limits of a few MB anyway; 4Mi is below any real process and above every slip.
 */
export const MIN_CONTAINER_MEMORY_BYTES = 4 * 2 ** 20;

/** Why `value` (already parsed to `bytes`) is too small for a container, or undefined. */
export function containerMemoryProblem(value: string, bytes: number): string | undefined {
  if (bytes >= MIN_CONTAINER_MEMORY_BYTES) return undefined;
  const v = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(v)) {
    return `"${v}" is ${v} bytes, below the minimum of 4Mi for a container; a quantity without a unit is bytes: did you mean "${v}Mi"?`;
  }
  return `"${v}" is below the minimum of 4Mi for a container`;
}

export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

export function formatMemory(bytes: number): string {
  for (const [u, f] of [
    ["Ti", 2 ** 40],
    ["Gi", 2 ** 30],
    ["Mi", 2 ** 20],
    ["Ki", 2 ** 10],
  ] as const) {
    if (bytes >= f && bytes % f === 0) return `${bytes / f}${u}`;
  }
  return String(bytes);
}
