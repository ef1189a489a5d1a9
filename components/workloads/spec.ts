/**
 * The create wizard's model: a plain deployment object (what the YAML/JSON editor shows and
 * what is sent to the server) and the form's fields, which overlay the object's first
 * container and top-level fields. Fields the form does not show are kept as they are, so
 * switching between the two editors loses nothing. Client checks mirror
 * server/engine/validation.ts and server/engine/quantity.ts; the server stays the authority.
 */
import { stringify } from "yaml";
import { MIN_CONTAINER_MEMORY_BYTES } from "@/server/engine/kinds/quantity";

export const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const IMAGE_RE =
  /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
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

export function cpuMillis(v: string): number | null {
  const m = CPU_RE.exec(v.trim());
  if (!m || (m[2] === "m" && m[1]?.includes("."))) return null;
  const n = Number(m[1]);
  return m[2] === "m" ? n : Math.round(n * 1000);
}
export function memBytes(v: string): number | null {
  const m = MEM_RE.exec(v.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * (MEM_UNITS[m[2] ?? ""] ?? 1));
}

export type Protocol = "TCP" | "UDP";
export type RestartPolicy = "Always" | "OnFailure" | "Never";
/** The only restart policy Kubernetes allows in a Deployment's pod template. */
export const DEPLOYMENT_RESTART_POLICIES: readonly RestartPolicy[] = ["Always"];

export interface FormState {
  name: string;
  image: string;
  /** One argument per line. */
  command: string;
  replicas: string;
  cpu: string;
  memory: string;
  cpuLimit: string;
  memoryLimit: string;
  env: { name: string; value: string }[];
  ports: { containerPort: string; protocol: Protocol }[];
  restartPolicy: RestartPolicy;
  maxSurge: string;
  maxUnavailable: string;
}

/** A deployment object as typed by a person: loosely typed on purpose. */
export type DeploymentObject = Record<string, unknown>;

export const defaultForm: FormState = {
  name: "",
  image: "",
  command: "",
  replicas: "1",
  cpu: "100m",
  memory: "128Mi",
  cpuLimit: "",
  memoryLimit: "",
  env: [],
  ports: [],
  restartPolicy: "Always",
  maxSurge: "25%",
  maxUnavailable: "25%",
};

/** A message key (in the `workloads.wizard.errors` namespace) with its values. */
export type FieldError = { key: string; values?: Record<string, string | number> };
export type FormErrors = Partial<Record<string, FieldError>>;

const intOrPercentOk = (v: string) => /^\d{1,6}$/.test(v.trim()) || /^\d{1,3}%$/.test(v.trim());
const isZero = (v: string) => v.trim() === "0" || v.trim() === "0%";

/** A container memory quantity's problem: not a quantity, or below the minimum (a unitless one is bytes). */
function memoryProblem(value: string, bytes: number | null): FieldError | undefined {
  if (bytes === null) return { key: "memoryInvalid", values: { value } };
  if (bytes >= MIN_CONTAINER_MEMORY_BYTES) return undefined;
  const v = value.trim();
  return /^\d+(?:\.\d+)?$/.test(v)
    ? { key: "memoryNoUnit", values: { value: v } }
    : { key: "memoryTooSmall", values: { value: v } };
}

/** Every problem the client can see, keyed by field (`env.0.name`, `ports.1.containerPort`). */
export function validateForm(f: FormState): FormErrors {
  const e: FormErrors = {};
  if (!f.name) e.name = { key: "nameRequired" };
  else if (f.name.length > 63) e.name = { key: "nameTooLong" };
  else if (!DNS1123.test(f.name)) e.name = { key: "nameDns" };
  if (!f.image.trim()) e.image = { key: "imageRequired" };
  else if (f.image.length > 255 || !IMAGE_RE.test(f.image))
    e.image = { key: "imageInvalid", values: { image: f.image } };
  if (!/^\d+$/.test(f.replicas.trim()) || Number(f.replicas) > 1000) e.replicas = { key: "replicasRange" };
  const cpu = cpuMillis(f.cpu);
  const mem = memBytes(f.memory);
  if (cpu === null) e.cpu = { key: "cpuInvalid", values: { value: f.cpu } };
  const memError = memoryProblem(f.memory, mem);
  if (memError) e.memory = memError;
  if (f.cpuLimit.trim()) {
    const l = cpuMillis(f.cpuLimit);
    if (l === null) e.cpuLimit = { key: "cpuInvalid", values: { value: f.cpuLimit } };
    else if (cpu !== null && l < cpu) e.cpuLimit = { key: "limitBelowRequest" };
  }
  if (f.memoryLimit.trim()) {
    const l = memBytes(f.memoryLimit);
    const limitError = memoryProblem(f.memoryLimit, l);
    if (limitError) e.memoryLimit = limitError;
    else if (l !== null && mem !== null && l < mem) e.memoryLimit = { key: "limitBelowRequest" };
  }
  f.env.forEach((v, i) => {
    if (!v.name.trim()) e[`env.${i}.name`] = { key: "envNameRequired" };
    else if (v.name.length > 255) e[`env.${i}.name`] = { key: "envNameTooLong" };
  });
  f.ports.forEach((p, i) => {
    const n = Number(p.containerPort);
    if (!/^\d+$/.test(p.containerPort.trim()) || n < 1 || n > 65535)
      e[`ports.${i}.containerPort`] = { key: "portRange" };
  });
  if (!intOrPercentOk(f.maxSurge)) e.maxSurge = { key: "intOrPercent" };
  if (!intOrPercentOk(f.maxUnavailable)) e.maxUnavailable = { key: "intOrPercent" };
  if (!e.maxSurge && !e.maxUnavailable && isZero(f.maxSurge) && isZero(f.maxUnavailable))
    e.maxUnavailable = { key: "bothZero" };
  if (!DEPLOYMENT_RESTART_POLICIES.includes(f.restartPolicy)) e.restartPolicy = { key: "restartAlways" };
  return e;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const str = (v: unknown, fallback = ""): string =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : fallback;
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
const intOrPercent = (v: string): number | string => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : v.trim());

/** The object the form describes, on top of `base` (which keeps every field the form does not show). */
export function formToObject(f: FormState, base: DeploymentObject | null): DeploymentObject {
  const obj = clone(base ?? {}) as Record<string, unknown>;
  const prevName = str(obj.name);
  const template = rec(obj.template);
  const spec = rec(template.spec);
  const containers = Array.isArray(spec.containers) ? [...spec.containers] : [];
  const first = rec(containers[0]);
  const containerName = !first.name || first.name === prevName ? f.name || "app" : str(first.name);
  const resources = rec(first.resources);
  const limits: Record<string, string> = { ...(rec(resources.limits) as Record<string, string>) };
  delete limits.cpu;
  delete limits.memory;
  if (f.cpuLimit.trim()) limits.cpu = f.cpuLimit.trim();
  if (f.memoryLimit.trim()) limits.memory = f.memoryLimit.trim();
  const command = f.command
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
  const container: Record<string, unknown> = {
    ...first,
    name: containerName,
    image: f.image.trim(),
    env: f.env.map((v) => ({ name: v.name, value: v.value })),
    ports: f.ports.map((p) => ({
      containerPort: /^\d+$/.test(p.containerPort.trim()) ? Number(p.containerPort) : p.containerPort,
      protocol: p.protocol,
    })),
    resources: {
      ...resources,
      requests: { ...rec(resources.requests), cpu: f.cpu.trim(), memory: f.memory.trim() },
      limits,
    },
  };
  if (command.length) container.command = command;
  else delete container.command;
  containers[0] = container;
  return {
    ...obj,
    name: f.name,
    replicas: /^\d+$/.test(f.replicas.trim()) ? Number(f.replicas) : f.replicas,
    template: {
      labels: rec(template.labels),
      ...template,
      spec: { ...spec, containers, restartPolicy: f.restartPolicy },
    },
    strategy: {
      type: "RollingUpdate",
      ...rec(obj.strategy),
      maxSurge: intOrPercent(f.maxSurge),
      maxUnavailable: intOrPercent(f.maxUnavailable),
    },
  };
}

/** The form's view of an object (its first container); the object itself becomes the new base. */
export function objectToForm(obj: DeploymentObject): FormState {
  const template = rec(obj.template);
  const spec = rec(template.spec);
  const first = rec(Array.isArray(spec.containers) ? spec.containers[0] : undefined);
  const resources = rec(first.resources);
  const requests = rec(resources.requests);
  const limits = rec(resources.limits);
  const strategy = rec(obj.strategy);
  return {
    name: str(obj.name),
    image: str(first.image),
    command: Array.isArray(first.command) ? first.command.map((c) => str(c)).join("\n") : "",
    replicas: obj.replicas === undefined ? "1" : str(obj.replicas),
    cpu: str(requests.cpu, "100m"),
    memory: str(requests.memory, "128Mi"),
    cpuLimit: str(limits.cpu),
    memoryLimit: str(limits.memory),
    env: Array.isArray(first.env) ? first.env.map((v) => ({ name: str(rec(v).name), value: str(rec(v).value) })) : [],
    ports: Array.isArray(first.ports)
      ? first.ports.map((p) => ({
          containerPort: str(rec(p).containerPort),
          protocol: rec(p).protocol === "UDP" ? "UDP" : "TCP",
        }))
      : [],
    restartPolicy: spec.restartPolicy === "OnFailure" || spec.restartPolicy === "Never" ? spec.restartPolicy : "Always",
    maxSurge: strategy.maxSurge === undefined ? "25%" : str(strategy.maxSurge),
    maxUnavailable: strategy.maxUnavailable === undefined ? "25%" : str(strategy.maxUnavailable),
  };
}

export type TextFormat = "yaml" | "json";

export function objectToText(obj: DeploymentObject, format: TextFormat): string {
  return format === "json" ? `${JSON.stringify(obj, null, 2)}\n` : stringify(obj);
}

/** A line diff (LCS) between two texts: a list of lines with their side. */
export function lineDiff(a: string, b: string): { kind: "same" | "del" | "add"; text: string }[] {
  const x = a.split("\n");
  const y = b.split("\n");
  const n = x.length;
  const m = y.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i]![j] = x[i] === y[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const out: { kind: "same" | "del" | "add"; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ kind: "same", text: x[i]! });
      i++;
      j++;
    } else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) out.push({ kind: "del", text: x[i++]! });
    else out.push({ kind: "add", text: y[j++]! });
  }
  while (i < n) out.push({ kind: "del", text: x[i++]! });
  while (j < m) out.push({ kind: "add", text: y[j++]! });
  return out;
}
