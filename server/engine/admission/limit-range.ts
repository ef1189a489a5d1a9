/**
 * LimitRange admission (Kubernetes' LimitRanger plugin) for the pods a deployment's template
 * makes. Two steps, as Kubernetes runs them on a pod:
 *
 * 1. Defaulting (`withLimitRangeDefaults`), on the RAW template input of createDeployment and
 *    updateDeployment, before the input schema runs. This is where "not given" can still be
 *    told from "given": the schema (kinds/validation.ts) fills a container's missing requests
 *    with the engine's own 100m / 128Mi, after which a request the user never wrote looks like
 *    one they did. In a namespace with a LimitRange, per container and per resource (cpu,
 *    memory): a request not given is the limit given (Kubernetes' pod defaulting, which runs
 *    before admission), then a limit not given is the LimitRange's `default`, a request not
 *    given its `defaultRequest` (which the stored LimitRange already holds as `default`, or
 *    `min`, when it was given none: kinds/limit-range.ts). Whatever is still missing gets the
 *    schema's defaults as before. Several LimitRanges: in name order, the first to have a
 *    default for a resource gives it (Kubernetes leaves the choice undefined).
 *    A namespace without LimitRanges is untouched: its templates parse exactly as before.
 * 2. Refusal (`checkLimitRanges`), on the parsed template, when the caller writes a template:
 *    createDeployment, and updateDeployment when the template changes. Every Container item's min / max /
 *    maxLimitRequestRatio against each container, every Pod item's against the sums over the
 *    pod's containers (a limit sums the containers that have one), with Kubernetes' words
 *    (`maximum cpu usage per Container is 1, but limit is 2`,
 *    `cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000`),
 *    as `pods "<deployment>-" is forbidden: …` (several: `[…, …]`), INVALID, nothing changed.
 *
 * Differences from Kubernetes, and why:
 * - Kubernetes admits the deployment and refuses its pods (FailedCreate events on the replica
 *   set, a rollout that never progresses); the engine refuses the command that would make
 *   them, so the person who wrote the template reads the reason at once.
 * - Kubernetes writes the defaults into each pod, the engine into the template (pods share
 *   their template's spec: one object per pod). So `get deployment -o yaml` shows them, and a
 *   manifest without resources applied again after a LimitRange appeared rolls out once, to
 *   the LimitRange's defaults.
 * - Pods and templates that exist are not changed by a LimitRange made later (as in
 *   Kubernetes), and a template admitted before is not judged again: scale, restart and
 *   rollback re-use it as it is. Kubernetes would default and check the new pods of a restart
 *   or rollback; the engine cannot, since a stored template no longer tells a request never
 *   given from one given (the schema filled in 100m / 128Mi), and judging those would refuse
 *   restarts that Kubernetes admits. So a rollback to a revision older than the LimitRange is
 *   not held to it.
 * - PersistentVolumeClaim items have no effect (the engine has no volume claims).
 * - The refusal is INVALID for the engine's callers (tRPC: BAD_REQUEST), marked as LimitRanger's
 *   admission refusal, which the Kubernetes API answers 403 Forbidden as kube-apiserver does.
 */
import { EngineError } from "../core/errors";
import type { EngineState } from "../core/state";
import { type Amounts, formatAmount, type LimitRange, type LimitType } from "../kinds/limit-range";
import { parseCpu, parseMemory } from "../kinds/quantity";
import type { PodSpec } from "../kinds/types";

const COMPUTE = ["cpu", "memory"] as const;
type Compute = (typeof COMPUTE)[number];
type Quantities = Partial<Record<Compute, number>>;

/** The LimitRanges of a namespace of the tenant, by name (none for another tenant's namespace). */
export function limitRangesOf(state: EngineState, tenantId: string, namespace: string): LimitRange[] {
  return state
    .ofTenant("LimitRange", tenantId)
    .filter((l) => l.namespace === namespace)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The container defaults of the namespace's LimitRanges: the first (by name) to give one wins. */
function containerDefaults(ranges: readonly LimitRange[]): { limits: Amounts; requests: Amounts } {
  const limits: Quantities = {};
  const requests: Quantities = {};
  for (const lr of ranges)
    for (const item of lr.limits) {
      if (item.type !== "Container") continue;
      for (const r of COMPUTE) {
        const d = item.default?.[r];
        const q = item.defaultRequest?.[r];
        if (limits[r] === undefined && d !== undefined) limits[r] = d;
        if (requests[r] === undefined && q !== undefined) requests[r] = q;
      }
    }
  return { limits, requests };
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** One raw container with the defaults in (see the module's step 1); any other shape is left for the schema to refuse. */
function defaultContainer(c: unknown, defaults: { limits: Amounts; requests: Amounts }): unknown {
  if (!isPlain(c)) return c;
  const res = c.resources;
  if (res !== undefined && !isPlain(res)) return c;
  const givenRequests = res?.requests;
  const givenLimits = res?.limits;
  if ((givenRequests !== undefined && !isPlain(givenRequests)) || (givenLimits !== undefined && !isPlain(givenLimits)))
    return c;
  const requests: Plain = { ...givenRequests };
  const limits: Plain = { ...givenLimits };
  for (const r of COMPUTE) {
    // Kubernetes' pod defaulting first: a request not given is the limit given.
    if (requests[r] === undefined && limits[r] !== undefined) requests[r] = limits[r];
    const d = defaults.limits[r];
    const q = defaults.requests[r];
    if (limits[r] === undefined && d !== undefined) limits[r] = formatAmount(r, d);
    if (requests[r] === undefined && q !== undefined) requests[r] = formatAmount(r, q);
  }
  const resources: Plain = {
    ...res,
    ...(Object.keys(requests).length > 0 ? { requests } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
  return Object.keys(resources).length > 0 ? { ...c, resources } : c;
}

/**
 * The raw pod template input with the LimitRanges' container defaults filled in (step 1). The
 * input is not changed; without LimitRanges (or a template that is not an object with a
 * containers list) it is returned as is.
 */
export function withLimitRangeDefaults(template: unknown, ranges: readonly LimitRange[]): unknown {
  if (ranges.length === 0 || !isPlain(template)) return template;
  const spec = template.spec;
  if (!isPlain(spec) || !Array.isArray(spec.containers)) return template;
  const defaults = containerDefaults(ranges);
  return { ...template, spec: { ...spec, containers: spec.containers.map((c) => defaultContainer(c, defaults)) } };
}

const text = (r: Compute, v: number) => formatAmount(r, v);

function minProblem(type: LimitType, r: Compute, enforced: number, req?: number, lim?: number): string | undefined {
  const e = text(r, enforced);
  if (req === undefined) return `minimum ${r} usage per ${type} is ${e}.  No request is specified`;
  if (req < enforced) return `minimum ${r} usage per ${type} is ${e}, but request is ${text(r, req)}`;
  if (lim !== undefined && lim < enforced)
    return `minimum ${r} usage per ${type} is ${e}, but limit is ${text(r, lim)}`;
  return undefined;
}

function maxProblem(type: LimitType, r: Compute, enforced: number, req?: number, lim?: number): string | undefined {
  const e = text(r, enforced);
  if (lim === undefined) return `maximum ${r} usage per ${type} is ${e}.  No limit is specified`;
  if (lim > enforced) return `maximum ${r} usage per ${type} is ${e}, but limit is ${text(r, lim)}`;
  if (req !== undefined && req > enforced)
    return `maximum ${r} usage per ${type} is ${e}, but request is ${text(r, req)}`;
  return undefined;
}

/** `enforced` in thousandths (2 → 2000). */
function ratioProblem(type: LimitType, r: Compute, enforced: number, req?: number, lim?: number): string | undefined {
  const e = formatAmount(r, enforced, true);
  if (req === undefined || req === 0)
    return `${r} max limit to request ratio per ${type} is ${e}, but no request is specified or request is 0`;
  if (lim === undefined || lim === 0)
    return `${r} max limit to request ratio per ${type} is ${e}, but no limit is specified or limit is 0`;
  const observed = lim / req;
  if (observed * 1000 > enforced)
    return `${r} max limit to request ratio per ${type} is ${e}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
}

function itemProblems(
  type: LimitType,
  item: { min?: Amounts; max?: Amounts; maxLimitRequestRatio?: Amounts },
  requests: Quantities,
  limits: Quantities,
): string[] {
  const out: (string | undefined)[] = [];
  for (const r of COMPUTE) {
    const min = item.min?.[r];
    if (min !== undefined) out.push(minProblem(type, r, min, requests[r], limits[r]));
  }
  for (const r of COMPUTE) {
    const max = item.max?.[r];
    if (max !== undefined) out.push(maxProblem(type, r, max, requests[r], limits[r]));
  }
  for (const r of COMPUTE) {
    const ratio = item.maxLimitRequestRatio?.[r];
    if (ratio !== undefined) out.push(ratioProblem(type, r, ratio, requests[r], limits[r]));
  }
  return out.filter((p): p is string => p !== undefined);
}

/** A parsed container's requests and the limits it has. */
function containerQuantities(c: PodSpec["containers"][number]): { requests: Quantities; limits: Quantities } {
  const { requests, limits } = c.resources;
  return {
    requests: { cpu: parseCpu(requests.cpu), memory: parseMemory(requests.memory) },
    limits: {
      ...(limits.cpu !== undefined ? { cpu: parseCpu(limits.cpu) } : {}),
      ...(limits.memory !== undefined ? { memory: parseMemory(limits.memory) } : {}),
    },
  };
}

/** Every way the pod spec breaks the LimitRanges (Kubernetes' messages, de-duplicated), empty when it keeps them. */
export function limitRangeProblems(spec: PodSpec, ranges: readonly LimitRange[]): string[] {
  const problems: string[] = [];
  if (ranges.length === 0) return problems;
  const containers = spec.containers.map(containerQuantities);
  for (const lr of ranges)
    for (const item of lr.limits) {
      if (item.type === "Container")
        for (const c of containers) problems.push(...itemProblems("Container", item, c.requests, c.limits));
      else if (item.type === "Pod") {
        const requests: Quantities = {};
        const limits: Quantities = {};
        for (const c of containers)
          for (const r of COMPUTE) {
            const q = c.requests[r];
            const l = c.limits[r];
            if (q !== undefined) requests[r] = (requests[r] ?? 0) + q;
            if (l !== undefined) limits[r] = (limits[r] ?? 0) + l;
          }
        problems.push(...itemProblems("Pod", item, requests, limits));
      }
      // PersistentVolumeClaim items: kept, no effect (no volume claims in the engine).
    }
  return [...new Set(problems)];
}

/**
 * Throws INVALID (admission: LimitRanger) with Kubernetes' LimitRanger message when the pods of
 * `deploymentName` would break the ranges.
 */
export function checkLimitRanges(deploymentName: string, spec: PodSpec, ranges: readonly LimitRange[]): void {
  const problems = limitRangeProblems(spec, ranges);
  if (problems.length === 0) return;
  const reason = problems.length === 1 ? problems[0] : `[${problems.join(", ")}]`;
  throw new EngineError("INVALID", `pods "${deploymentName}-" is forbidden: ${reason}`, undefined, "LimitRanger");
}
