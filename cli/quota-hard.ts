/**
 * `--hard cpu=2,memory=4Gi,pods=10`, as `kubectl create quota` takes it, into the API's
 * `hard`. The cloud's quotas limit requests only: `requests.cpu` and `requests.memory` are
 * read as `cpu` and `memory`; any other resource (services, limits.cpu...) is a usage error
 * naming it. Quantities are checked by the server, which says what is wrong with one.
 */
import { UsageError } from "./errors";

export interface Hard {
  cpu?: string;
  memory?: string;
  pods?: number;
}

const names: Record<string, keyof Hard> = {
  cpu: "cpu",
  "requests.cpu": "cpu",
  memory: "memory",
  "requests.memory": "memory",
  pods: "pods",
};

/** The API's name for a resource a quota's `hard` names (`requests.cpu` → `cpu`), or undefined if it has none. */
export function hardKey(resource: string): keyof Hard | undefined {
  return Object.hasOwn(names, resource) ? names[resource] : undefined;
}

export function parseHard(text: string | undefined, command: string): Hard {
  if (!text?.trim()) throw new UsageError("missing --hard (e.g. --hard cpu=2,memory=4Gi,pods=10)", command);
  const hard: Hard = {};
  for (const part of text.split(",")) {
    const m = /^\s*([a-z.]+)\s*=\s*(\S+)\s*$/.exec(part);
    if (!m) throw new UsageError(`bad --hard entry "${part}" (expected RESOURCE=QUANTITY)`, command);
    const key = hardKey(m[1] ?? "");
    const value = m[2] ?? "";
    if (!key)
      throw new UsageError(`unsupported resource "${m[1]}" in --hard (quotas limit cpu, memory and pods)`, command);
    if (key in hard) throw new UsageError(`--hard names ${key} twice`, command);
    if (key === "pods") {
      if (!/^\d{1,7}$/.test(value)) throw new UsageError(`--hard pods must be a whole number, got "${value}"`, command);
      hard.pods = Number(value);
    } else hard[key] = value;
  }
  return hard;
}
