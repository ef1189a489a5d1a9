/**
 * Deployment and pod commands. Each validates its input, checks the tenant owns what it
 * names (NOT_FOUND otherwise), checks quota, then stages the change; the core commits
 * it atomically or not at all. Rules follow Kubernetes: a template change starts a
 * rollout, a replicas change does not; rollback copies revision N's template into a new
 * highest revision; restart bumps the kubectl.kubernetes.io/restartedAt annotation.
 * Every template change records its cause on the deployment (create, image set, restart,
 * rollback, other edits); the controller copies it to the revision (change-cause.ts).
 * A pod bigger than every machine type is refused (it could never be scheduled); one
 * that fits none of the tenant's pools is accepted, with a Warning event saying so.
 * Namespaces: a command names its object's namespace (default: the tenant's default
 * namespace); creation in a missing or Terminating namespace is refused. The selector
 * defaults to the template's labels (and an unlabelled template to `app: <name>`, as
 * `kubectl create deployment` does); it must select them and is immutable (apps/v1).
 * Preconditions: a `resourceVersion` that is not the object's current one is refused with
 * CONFLICT before anything is staged (optimistic concurrency, as Kubernetes' updates).
 * LimitRanges of the namespace (admission/limit-range.ts): their container defaults are filled
 * into the raw template input of create and update, before the schema's own defaults (the one
 * place a request not given can still be told from one given); every new template is then
 * checked against them (create, and an update that changes the template), and refused with
 * Kubernetes' message when its pods would break them.
 * Managed fields (the Kubernetes API's field managers) are stored as given with create, update
 * and scale, and a change to them alone is a write without a new generation, like labels.
 * `dryRun` (create, update, scale, delete, pod delete): the command's checks and admission,
 * nothing stored (dry-run.ts).
 */
import { jsonEqual } from "../kinds/json-equal";
import { describeTemplateChange, imagesOf, RESTARTED_AT } from "../kinds/change-cause";
import { type Ctx, isLive, newId, terminatePod } from "../core/context";
import type { EngineCore } from "../core/core";
import { templateHash } from "../controllers/deployment-controller";
import { managedFieldsInput, managedFieldsOf } from "../kinds/kubernetes";
import { commandOrDryRun, type DryRunOption } from "./dry-run";
import { EngineError } from "../core/errors";
import { checkResourceVersion, checkTenant, mustFind } from "../core/lookup";
import { namespaceForWrite } from "./namespace-commands";
import { formatCpu, formatMemory } from "../kinds/quantity";
import { admitDeployment, admitPod, isRollingOut, templateRequests } from "../admission/quota";
import { checkLimitRanges, limitRangesOf, withLimitRangeDefaults } from "../admission/limit-range";
import { createPod } from "../controllers/replicaset-controller";
import { runFilters, DEFAULT_FILTERS, unschedulableMessage } from "../scheduler/scheduler-plugins";
import { setCondition } from "../scheduler/scheduler";
import type { EngineState } from "../core/state";
import {
  type ChangeCause,
  type Deployment,
  type DeploymentSpec,
  EMPTY_MAP,
  type LabelSelector,
  MACHINE_TYPES,
  type ManagedFields,
  type MachineType,
  type Pod,
  type PodTemplate,
  type Resources,
} from "../kinds/types";
import {
  checkLimits,
  checkMinReady,
  checkSelector,
  checkStrategy,
  deploymentSpecSchema,
  type DeploymentSpecInput,
  metadataSchema,
  parseInput,
  type PodTemplateInput,
  validateName,
} from "../kinds/validation";

export interface CreateDeploymentInput extends DeploymentSpecInput {
  name: string;
  /** Default: the tenant's default namespace. */
  namespace?: string;
  /** The deployment's own metadata (not its pods'). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** metadata.managedFields as the Kubernetes API recorded them (types.ts ManagedFields). */
  managedFields?: ManagedFields;
}
export interface UpdateDeploymentInput {
  replicas?: number;
  template?: PodTemplateInput;
  /** Immutable: accepted only when equal to the current selector. */
  selector?: DeploymentSpecInput["selector"];
  strategy?: DeploymentSpecInput["strategy"];
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  /** Absent: unchanged; 0 clears it. */
  minReadySeconds?: number;
  /** The deployment's own labels and annotations, each replaced whole when given (no new generation, no rollout). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Replaced whole when given ([] clears them); alone, no new generation. */
  managedFields?: ManagedFields;
  /** spec.paused (as pause/resume), in the same commit as the rest of the change. */
  paused?: boolean;
}

/** Which object a command means, and the version the caller last saw (precondition). */
export interface WriteOptions {
  /** Default: the tenant's default namespace (an id is found in any of the tenant's namespaces). */
  namespace?: string;
  /** Refuse with CONFLICT unless the object's resourceVersion is still this. */
  resourceVersion?: number;
}

const isEmptyMap = (m: Record<string, string>) => Object.keys(m).length === 0;

/** The selector of a new deployment: given, or the template's labels (filled as `app: <name>` when it has none). */
function defaultSelector(name: string, spec: DeploymentSpec & { selector?: LabelSelector }): DeploymentSpec {
  if (spec.selector) return spec;
  const labels = isEmptyMap(spec.template.labels) ? { app: name } : spec.template.labels;
  return { ...spec, selector: { matchLabels: { ...labels } }, template: { ...spec.template, labels } };
}

/** The selector a deployment stored before selectors existed implies: its template's labels, when it has any. */
function legacySelector(d: Deployment): LabelSelector | undefined {
  const labels = d.spec.template.labels;
  return isEmptyMap(labels) ? undefined : { matchLabels: { ...labels } };
}

function checkSpec(spec: DeploymentSpec): void {
  // A deployment stored before selectors existed has none (until migrated): nothing to hold it to.
  const selector: LabelSelector | undefined = spec.selector;
  if (selector) checkSelector(selector, spec.template.labels);
  checkStrategy(spec.strategy);
  checkMinReady(spec);
  checkLimits(spec.template);
  if (spec.template.spec.restartPolicy !== "Always") {
    throw new EngineError(
      "INVALID",
      `spec.template.spec.restartPolicy: Unsupported value: "${spec.template.spec.restartPolicy}": supported values: "Always" (deployments keep their pods running)`,
    );
  }
  checkFitsSomeMachine(templateRequests(spec.template));
}

const fitsMachine = (r: Resources, t: MachineType) =>
  r.cpuMillis <= MACHINE_TYPES[t].cpuMillis && r.memoryBytes <= MACHINE_TYPES[t].memoryBytes;
const sizeOf = (r: Resources) => `cpu=${formatCpu(r.cpuMillis)}, memory=${formatMemory(r.memoryBytes)}`;

/** A pod no machine type can hold would stay Pending for good: refuse it. */
function checkFitsSomeMachine(perPod: Resources): void {
  const types = Object.keys(MACHINE_TYPES) as MachineType[];
  if (types.some((t) => fitsMachine(perPod, t))) return;
  const largest = types.reduce((x, y) => (MACHINE_TYPES[y].cpuMillis > MACHINE_TYPES[x].cpuMillis ? y : x));
  throw new EngineError(
    "INVALID",
    `spec.template.spec.containers: one pod requests ${sizeOf(perPod)} (the sum of its containers), more than the largest machine type ${largest} holds (${sizeOf(MACHINE_TYPES[largest])}); it could never be scheduled`,
  );
}

/** Why no pool of the tenant can ever hold one pod of this size, or undefined. */
function noPoolFits(state: EngineState, tenantId: string, perPod: Resources): string | undefined {
  const pools = state.ofTenant("NodePool", tenantId);
  if (pools.length === 0 || pools.some((p) => fitsMachine(perPod, p.machineType))) return undefined;
  const types = [...new Set(pools.map((p) => p.machineType))].join(", ");
  return `one pod requests ${sizeOf(perPod)}, more than a machine of any node pool holds (machine types: ${types}); its pods will stay Pending until a pool with larger machines exists`;
}

export function deploymentCommands(core: EngineCore) {
  const ctx: Ctx = core.ctx;
  const { state } = ctx;

  /**
   * Stage a new spec after quota admission; bumps generation when the spec changed. A new
   * template gets `cause` (default: what the edit changed); the same template keeps its cause.
   */
  const apply = (d: Deployment, spec: DeploymentSpec, cause?: ChangeCause): Deployment => {
    checkSpec(spec);
    const hash = templateHash(spec.template);
    const rolling = isRollingOut(state, d, hash);
    admitDeployment(state, d.tenantId, d, spec, rolling, d.namespace);
    const newTemplate = hash !== templateHash(d.spec.template);
    if (newTemplate) warnIfNoPoolFits(d, spec.template);
    const changeCause = newTemplate ? (cause ?? describeTemplateChange(d.spec.template, spec.template)) : d.changeCause;
    return state.put({ ...d, spec, generation: d.generation + 1, ...(changeCause ? { changeCause } : {}) });
  };

  const warnIfNoPoolFits = (d: Deployment, template: PodTemplate): void => {
    const why = noPoolFits(state, d.tenantId, templateRequests(template));
    if (why) ctx.events.recordFor(d, "Warning", "NoNodePoolFits", why);
  };

  /** `d` with its own labels, annotations and/or managed fields replaced (each when given), validated as at creation. */
  const withMetadata = (
    d: Deployment,
    labels: Record<string, string> | undefined,
    annotations: Record<string, string> | undefined,
    managedFields?: ManagedFields,
  ): Deployment => {
    if (labels === undefined && annotations === undefined && managedFields === undefined) return d;
    const meta = parseInput(metadataSchema, { labels, annotations }, "metadata");
    const map = (m: Record<string, string> | undefined) => (m && !isEmptyMap(m) ? m : EMPTY_MAP);
    const managed = parseInput(managedFieldsInput, managedFields, "metadata.managedFields");
    return {
      ...d,
      ...(labels !== undefined ? { labels: map(meta.labels) } : {}),
      ...(annotations !== undefined ? { annotations: map(meta.annotations) } : {}),
      ...(managedFields !== undefined ? { managedFields: managedFieldsOf(managed, d.managedFields) } : {}),
    };
  };

  /** The deployment a command names, after its precondition. */
  const find = (tenantId: string, ref: string, opts: WriteOptions): Deployment => {
    const d = mustFind(state, "Deployment", checkTenant(tenantId), ref, opts.namespace);
    checkResourceVersion(d, opts.resourceVersion);
    return d;
  };

  return {
    /** Create a deployment; its first replica set and pods follow asynchronously. */
    createDeployment: (tenantId: string, input: CreateDeploymentInput, opts: DryRunOption = {}) =>
      commandOrDryRun(core, opts.dryRun, () => {
        checkTenant(tenantId);
        const {
          name: rawName,
          namespace: ns,
          labels,
          annotations,
          managedFields: givenFields,
          ...rest
        } = (input ?? {}) as CreateDeploymentInput;
        const name = validateName("deployment", rawName);
        const meta = parseInput(metadataSchema, { labels, annotations }, "metadata");
        const managedFields = parseInput(managedFieldsInput, givenFields, "metadata.managedFields");
        // The namespace's LimitRanges (none when it is missing or another tenant's: namespaceForWrite refuses it below).
        const nsName = typeof ns === "string" ? ns : state.defaultNamespaceOf(tenantId);
        const ranges = nsName === undefined ? [] : limitRangesOf(state, tenantId, nsName);
        const raw = ranges.length > 0 ? { ...rest, template: withLimitRangeDefaults(rest.template, ranges) } : rest;
        const spec = defaultSelector(name, parseInput(deploymentSpecSchema, raw, "spec") as DeploymentSpec);
        checkSpec(spec);
        const namespace = namespaceForWrite(ctx, tenantId, ns);
        checkLimitRanges(name, spec.template.spec, ranges);
        if (state.byName("Deployment", tenantId, name, namespace))
          throw new EngineError("CONFLICT", `deployment "${name}" already exists`);
        admitDeployment(state, tenantId, undefined, spec, false, namespace); // the first revision needs no surge
        const now = ctx.clock.now();
        const d: Deployment = {
          kind: "Deployment",
          id: newId(ctx, "Deployment", "dep"),
          tenantId,
          namespace,
          name,
          labels: meta.labels && !isEmptyMap(meta.labels) ? meta.labels : EMPTY_MAP,
          annotations: meta.annotations && !isEmptyMap(meta.annotations) ? meta.annotations : EMPTY_MAP,
          spec,
          status: {
            observedGeneration: 0,
            replicas: 0,
            updatedReplicas: 0,
            readyReplicas: 0,
            availableReplicas: 0,
            unavailableReplicas: spec.replicas,
            currentRevision: 0,
            conditions: [],
          },
          generation: 1,
          changeCause: { reason: "Created", images: imagesOf(spec.template) },
          ...(managedFields?.length ? { managedFields } : {}),
          createdAt: now,
          resourceVersion: 0,
        };
        warnIfNoPoolFits(d, spec.template);
        return state.put(d);
      }),

    /** Change replicas and/or template/strategy; a template change starts a rollout. */
    updateDeployment: (
      tenantId: string,
      ref: string,
      input: UpdateDeploymentInput,
      opts: WriteOptions & DryRunOption = {},
    ) =>
      commandOrDryRun(core, opts.dryRun, () => {
        const found = find(tenantId, ref, opts);
        const { labels, annotations, managedFields, paused: pausedGiven, ...patch } = input ?? {};
        const d = withMetadata(found, labels, annotations, managedFields);
        const paused = pausedGiven ?? d.spec.paused;
        // Metadata alone is not a spec change: Kubernetes keeps the generation (and starts nothing).
        if (Object.keys(patch).length === 0) {
          if (paused !== d.spec.paused)
            return state.put({ ...d, spec: { ...d.spec, paused }, generation: d.generation + 1 });
          return d === found ? found : state.put(d);
        }
        // A template sent without labels keeps the current ones (the selector cannot change).
        const given =
          patch?.template && patch.template.labels === undefined
            ? { ...patch.template, labels: d.spec.template.labels }
            : patch?.template;
        const template = given && withLimitRangeDefaults(given, limitRangesOf(state, d.tenantId, d.namespace));
        const merged = parseInput(
          deploymentSpecSchema,
          { ...d.spec, ...patch, ...(template ? { template } : {}), paused },
          "spec",
        ) as DeploymentSpec;
        const current: LabelSelector | undefined = d.spec.selector ?? legacySelector(d);
        if (patch?.selector !== undefined && !jsonEqual(merged.selector, current))
          throw new EngineError(
            "INVALID",
            `spec.selector: Invalid value: ${JSON.stringify(merged.selector)}: field is immutable`,
          );
        // A template the caller wrote, when it differs, is held to the LimitRanges (its defaults are in).
        if (template && templateHash(merged.template) !== templateHash(d.spec.template))
          checkLimitRanges(d.name, merged.template.spec, limitRangesOf(state, d.tenantId, d.namespace));
        return apply(d, { ...merged, ...(current ? { selector: current } : {}) });
      }),

    scaleDeployment: (
      tenantId: string,
      ref: string,
      replicas: number,
      opts: WriteOptions & DryRunOption & { managedFields?: ManagedFields } = {},
    ) =>
      commandOrDryRun(core, opts.dryRun, () => {
        const found = find(tenantId, ref, opts);
        if (!Number.isInteger(replicas) || replicas < 0 || replicas > 1000)
          throw new EngineError("INVALID", `replicas: ${replicas} must be an integer from 0 to 1000`);
        const d = withMetadata(found, undefined, undefined, opts.managedFields);
        if (replicas === d.spec.replicas) return d === found ? found : state.put(d);
        return apply(d, { ...d.spec, replicas });
      }),

    /** Roll back to `toRevision` (default: the previous one). */
    rollbackDeployment: (tenantId: string, ref: string, toRevision?: number, opts: WriteOptions = {}) =>
      core.command(() => {
        const d = find(tenantId, ref, opts);
        if (d.spec.paused)
          throw new EngineError(
            "CONFLICT",
            `you cannot rollback a paused deployment; resume it first with "resume" and try again`,
          );
        const rss = state.replicaSetsOf(d.id).sort((a, b) => b.revision - a.revision);
        const hash = templateHash(d.spec.template);
        const current = rss.find((r) => r.templateHash === hash);
        const target =
          toRevision === undefined
            ? rss.find((r) => r.revision < (current?.revision ?? Infinity) && r.templateHash !== hash)
            : rss.find((r) => r.revision === toRevision);
        if (!target) {
          const have =
            rss
              .map((r) => r.revision)
              .sort((a, b) => a - b)
              .join(", ") || "none";
          throw new EngineError(
            "NOT_FOUND",
            toRevision === undefined
              ? `deployment "${d.name}" has no previous revision to roll back to`
              : `revision ${toRevision} of deployment "${d.name}" not found (revisions kept: ${have})`,
          );
        }
        if (target.templateHash === hash) return d;
        // A revision's template was made under this deployment's selector, which cannot change.
        const next = apply(
          d,
          { ...d.spec, template: target.template },
          { reason: "RolledBack", toRevision: target.revision },
        );
        ctx.events.recordFor(
          d,
          "Normal",
          "DeploymentRollback",
          `Rolled back deployment "${d.name}" to revision ${target.revision}`,
        );
        return next;
      }),

    pauseDeployment: (tenantId: string, ref: string, opts: WriteOptions = {}) => setPaused(tenantId, ref, true, opts),
    resumeDeployment: (tenantId: string, ref: string, opts: WriteOptions = {}) => setPaused(tenantId, ref, false, opts),

    /** Fresh rollout of the same template (kubectl rollout restart). */
    restartDeployment: (tenantId: string, ref: string, opts: WriteOptions = {}) =>
      core.command(() => {
        const d = find(tenantId, ref, opts);
        if (d.spec.paused)
          throw new EngineError("CONFLICT", `can't restart paused deployment "${d.name}" (run resume first)`);
        const template: PodTemplate = {
          ...d.spec.template,
          annotations: { ...d.spec.template.annotations, [RESTARTED_AT]: new Date(ctx.clock.now()).toISOString() },
        };
        return apply(d, { ...d.spec, template }, { reason: "Restarted" });
      }),

    /** Delete the deployment and its replica sets now; its pods terminate gracefully (GC). */
    deleteDeployment: (tenantId: string, ref: string, opts: WriteOptions & DryRunOption = {}) =>
      commandOrDryRun(core, opts.dryRun, () => {
        const d = find(tenantId, ref, opts);
        for (const r of state.replicaSetsOf(d.id)) state.remove("ReplicaSet", r.id);
        state.remove("Deployment", d.id);
      }),

    /** Delete one pod (Terminating for its grace period); its replica set replaces it. */
    deletePod: (
      tenantId: string,
      ref: string,
      opts: WriteOptions & DryRunOption & { gracePeriodSeconds?: number } = {},
    ) =>
      commandOrDryRun(core, opts.dryRun, () => {
        const p = mustFind(state, "Pod", checkTenant(tenantId), ref, opts.namespace);
        checkResourceVersion(p, opts.resourceVersion);
        const g = opts.gracePeriodSeconds;
        if (g !== undefined && (!Number.isInteger(g) || g < 0 || g > 3600))
          throw new EngineError("INVALID", "gracePeriodSeconds must be an integer from 0 to 3600");
        terminatePod(ctx, p, "Killing", g === undefined ? undefined : g * 1000);
      }),

    /** Move a pod to another of the tenant's nodes: start a copy there, then stop the original once the copy is available. */
    movePod: (tenantId: string, podRef: string, nodeRef: string, opts: WriteOptions = {}) =>
      core.command((): Pod => {
        checkTenant(tenantId);
        const pod = mustFind(state, "Pod", tenantId, podRef, opts.namespace);
        checkResourceVersion(pod, opts.resourceVersion);
        const node = mustFind(state, "Node", tenantId, nodeRef);
        const rs = state.get("ReplicaSet", pod.ownerReplicaSetId);
        const d = state.get("Deployment", pod.deploymentId);
        if (!rs || !d || !isLive(pod))
          throw new EngineError(
            "CONFLICT",
            `pod "${pod.name}" cannot be moved: only running pods of a deployment can be moved`,
          );
        if (pod.nodeId === node.id)
          throw new EngineError("CONFLICT", `pod "${pod.name}" already runs on node "${node.name}"`);
        if (state.podsOfReplicaSet(rs.id).some((p) => p.migrationOf === pod.id && isLive(p)))
          throw new EngineError("CONFLICT", `pod "${pod.name}" is already being moved`);
        const s = runFilters(pod, node, state, DEFAULT_FILTERS);
        if (!s.ok)
          throw new EngineError(
            "CONFLICT",
            `cannot move pod "${pod.name}" to node "${node.name}": ${unschedulableMessage(1, new Map(s.reasons.map((r) => [r, 1])))}`,
          );
        const refusal = admitPod(state, tenantId, pod.requests, pod.namespace);
        if (refusal)
          throw new EngineError("QUOTA_EXCEEDED", `moving needs room for a second copy while it starts: ${refusal}`);
        const now = ctx.clock.now();
        const copy = createPod(ctx, d, rs, pod.requests, {
          nodeId: node.id,
          nodeName: node.name,
          scheduledAt: now,
          migrationOf: pod.id,
          status: {
            phase: "Pending",
            conditions: setCondition([], "PodScheduled", "True", "", "", now),
            containerStatuses: [],
          },
        });
        // Placed without the scheduler, so its private address is assigned here (last: nothing after it refuses).
        const address = ctx.addresses.assign(copy, now);
        if (!address.ok)
          throw new EngineError(
            "CONFLICT",
            `cannot move pod "${pod.name}": no address for its copy: ${address.message}`,
          );
        const addressed = state.put({ ...copy, podIP: address.podIP, macAddress: address.macAddress });
        ctx.scheduler.bound(addressed); // its bandwidth guarantee is held on the target node from now on
        ctx.events.recordFor(
          pod,
          "Normal",
          "Moving",
          `Moving pod ${pod.name} from ${pod.nodeName ?? "?"} to ${node.name} as ${copy.name}`,
        );
        return addressed;
      }),
  };

  function setPaused(tenantId: string, ref: string, paused: boolean, opts: WriteOptions) {
    return core.command(() => {
      const d = find(tenantId, ref, opts);
      if (d.spec.paused === paused) return d;
      return state.put({ ...d, spec: { ...d.spec, paused }, generation: d.generation + 1 });
    });
  }
}
