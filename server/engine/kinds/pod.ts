/**
 * Kind Pod (core/v1). Conversion: the controller owner reference to the pod's replica set,
 * `spec.nodeName`, conditions and container states with RFC 3339 times; printer columns as
 * kubectl's (NAME READY STATUS RESTARTS AGE; wide IP NODE NOMINATED NODE READINESS GATES).
 * State: indexed by node and by owner replica set; sums its requests per node (allocated) and
 * per tenant and namespace (quota usage). Its informer handler drives scheduling, the runtime,
 * its owners' controllers and garbage collection.
 * Guarantees: STATUS reads as kubectl computes it (a waiting or terminated container's reason
 * wins over the phase, Terminating wins over all); the pod-template-hash label is always
 * shown for a replica set's pod, even for a pod stored before labels carried it.
 */
import type { Ctx } from "../core/context";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import {
  type ConversionContext,
  compact,
  controllerRef,
  type KubeObject,
  kubeCondition,
  objectMeta,
  POD_TEMPLATE_HASH_LABEL,
  rfc3339,
} from "./kubernetes";
import { countsForQuota, holdsNode, isLive, isTerminal, isUnscheduled } from "./pod-status";
import { ageColumn, nameColumn } from "./printers";
import { queueServicesOfPod } from "./service";
import { DEFAULT_TERMINATION_MESSAGE_PATH, defaultPullPolicy } from "./container-schema";
import { MAC_ADDRESS_ANNOTATION } from "../network/ipam/subnet-ipam";
import type {
  ContainerSpec,
  ContainerState,
  ContainerStatus,
  EnvVar,
  Pod,
  PodSpec,
  PodTemplate,
  Probe,
  Volume,
} from "./types";

/** A deep copy of JSON data (the wire object may be edited by its reader; the template must not change). */
function copy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copy) as T;
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = copy((v as Record<string, unknown>)[k]);
    // A "__proto__" key of an unmodelled value stays data, as it came.
    if (k === "__proto__")
      Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out as T;
}

/** A probe as Kubernetes returns it: the handler and every timing field (initialDelaySeconds omitted when 0). */
function kubeProbe(p: Probe | undefined): Record<string, unknown> | undefined {
  if (!p) return undefined;
  return compact({
    exec: p.exec && copy(p.exec),
    httpGet: p.httpGet && copy(p.httpGet),
    tcpSocket: p.tcpSocket && copy(p.tcpSocket),
    grpc: p.grpc && copy(p.grpc),
    initialDelaySeconds: p.initialDelaySeconds || undefined,
    timeoutSeconds: p.timeoutSeconds,
    periodSeconds: p.periodSeconds,
    successThreshold: p.successThreshold,
    failureThreshold: p.failureThreshold,
    terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
  });
}

const kubeEnv = (e: EnvVar) =>
  e.valueFrom ? { name: e.name, valueFrom: copy(e.valueFrom) } : { name: e.name, value: e.value };

function kubeContainer(c: ContainerSpec): Record<string, unknown> {
  return {
    ...compact({
      name: c.name,
      image: c.image,
      command: c.command && c.command.length > 0 ? [...c.command] : undefined,
      args: c.args && c.args.length > 0 ? [...c.args] : undefined,
      env: c.env.length > 0 ? c.env.map(kubeEnv) : undefined,
      envFrom: c.envFrom && c.envFrom.length > 0 ? copy(c.envFrom) : undefined,
      ports: c.ports.length > 0 ? c.ports.map((p) => compact({ ...p })) : undefined,
      resources: compact({
        requests: { ...c.resources.requests },
        limits: Object.keys(c.resources.limits).length > 0 ? compact({ ...c.resources.limits }) : undefined,
      }),
      volumeMounts: c.volumeMounts && c.volumeMounts.length > 0 ? c.volumeMounts.map((m) => ({ ...m })) : undefined,
      livenessProbe: kubeProbe(c.livenessProbe),
      readinessProbe: kubeProbe(c.readinessProbe),
      startupProbe: kubeProbe(c.startupProbe),
      securityContext: c.securityContext && copy(c.securityContext),
      imagePullPolicy: c.imagePullPolicy ?? defaultPullPolicy(c.image),
      terminationMessagePath: c.terminationMessagePath ?? DEFAULT_TERMINATION_MESSAGE_PATH,
      terminationMessagePolicy: c.terminationMessagePolicy ?? "File",
    }),
    ...(c.unmodelled && copy(c.unmodelled)),
  };
}

function kubeVolume(v: Volume): Record<string, unknown> {
  return {
    ...compact({
      name: v.name,
      emptyDir: v.emptyDir && { ...v.emptyDir },
      configMap: v.configMap && copy(v.configMap),
      secret: v.secret && copy(v.secret),
    }),
    ...(v.unmodelled && copy(v.unmodelled)),
  };
}

/**
 * A pod spec on the wire (shared with the templates of deployments and replica sets), with
 * Kubernetes' defaults shown (imagePullPolicy, terminationMessagePath/Policy, dnsPolicy,
 * schedulerName, an empty securityContext) and the unmodelled fields merged back in.
 */
export function kubePodSpec(spec: PodSpec): Record<string, unknown> {
  return {
    ...compact({
      containers: spec.containers.map(kubeContainer),
      volumes: spec.volumes && spec.volumes.length > 0 ? spec.volumes.map(kubeVolume) : undefined,
      restartPolicy: spec.restartPolicy,
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
      nodeSelector: Object.keys(spec.nodeSelector).length > 0 ? { ...spec.nodeSelector } : undefined,
      dnsPolicy: "ClusterFirst",
      schedulerName: "default-scheduler",
      securityContext: spec.securityContext ? copy(spec.securityContext) : {},
    }),
    ...(spec.unmodelled && copy(spec.unmodelled)),
  };
}

/** A pod template on the wire (`metadata.labels/annotations` + spec). */
export function kubePodTemplate(t: PodTemplate, labels: Readonly<Record<string, string>> = t.labels) {
  return {
    metadata: compact({
      creationTimestamp: null,
      labels: Object.keys(labels).length > 0 ? { ...labels } : undefined,
      annotations: Object.keys(t.annotations).length > 0 ? { ...t.annotations } : undefined,
    }),
    spec: kubePodSpec(t.spec),
  };
}

function kubeState(s: ContainerState): Record<string, unknown> {
  if ("waiting" in s) return { waiting: compact({ reason: s.waiting.reason, message: s.waiting.message }) };
  if ("running" in s) return { running: { startedAt: rfc3339(s.running.startedAt) } };
  return {
    terminated: {
      exitCode: s.terminated.exitCode,
      reason: s.terminated.reason,
      finishedAt: rfc3339(s.terminated.finishedAt),
    },
  };
}

function kubeContainerStatus(c: ContainerStatus): Record<string, unknown> {
  return {
    name: c.name,
    image: c.image,
    imageID: "",
    ready: c.ready,
    restartCount: c.restartCount,
    started: c.started ?? "running" in c.state,
    state: kubeState(c.state),
    // The engine keeps the last termination's reason only; Kubernetes' lastState needs its exit code too.
    lastState: {},
  };
}

/** The name of the replica set that owns a pod, from the state or from the pod's name. */
function ownerName(p: Pod, ctx: ConversionContext): string {
  const rs = ctx.get("ReplicaSet", p.ownerReplicaSetId);
  if (rs) return rs.name;
  // `<deployment>-<hash>-<5>`: a pod whose replica set is already gone still names it.
  return p.name.slice(0, Math.max(0, p.name.lastIndexOf("-")));
}

function podLabels(p: Pod): Readonly<Record<string, string>> {
  if (p.templateHash === undefined || p.labels[POD_TEMPLATE_HASH_LABEL] !== undefined) return p.labels;
  return { ...p.labels, [POD_TEMPLATE_HASH_LABEL]: p.templateHash };
}

/** A pod's metadata as Kubernetes shows it (all a Table row carries, so a list of rows need not convert more). */
export function podMetadata(p: Pod, ctx: ConversionContext): KubeObject["metadata"] {
  const rsName = p.ownerReplicaSetId ? ownerName(p, ctx) : undefined;
  return objectMeta(p, {
    labels: podLabels(p),
    generateName: rsName ? `${rsName}-` : undefined,
    ownerReferences:
      p.ownerReplicaSetId && rsName !== undefined
        ? [controllerRef("apps/v1", "ReplicaSet", rsName, p.ownerReplicaSetId)]
        : undefined,
    deletionGracePeriodSeconds:
      p.deletionTimestamp !== undefined && p.deletionGraceMs !== undefined
        ? Math.round(p.deletionGraceMs / 1000)
        : undefined,
    // As Kube-OVN shows the MAC it gave (the same key asks for a static one).
    annotations: p.macAddress === undefined ? undefined : { [MAC_ADDRESS_ANNOTATION]: p.macAddress },
  });
}

export function podToKubernetes(p: Pod, ctx: ConversionContext): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: podMetadata(p, ctx),
    spec: compact({ ...kubePodSpec(p.spec), nodeName: p.nodeName }),
    status: compact({
      phase: p.status.phase,
      conditions: p.status.conditions.map((c) => kubeCondition(c, "pod")),
      reason: p.status.reason,
      message: p.status.message,
      podIP: p.podIP,
      podIPs: p.podIP === undefined ? undefined : [{ ip: p.podIP }],
      startTime: p.scheduledAt === undefined ? undefined : rfc3339(p.scheduledAt),
      containerStatuses:
        p.status.containerStatuses.length > 0 ? p.status.containerStatuses.map(kubeContainerStatus) : undefined,
      qosClass: qosClass(p.spec),
    }),
  };
}

/** Kubernetes' QoS class: Guaranteed when every container's limits equal its requests. */
function qosClass(spec: PodSpec): "Guaranteed" | "Burstable" {
  const guaranteed = spec.containers.every(
    (c) =>
      c.resources.limits.cpu === c.resources.requests.cpu && c.resources.limits.memory === c.resources.requests.memory,
  );
  return guaranteed ? "Guaranteed" : "Burstable";
}

/** kubectl's STATUS column (printPod). */
export function podStatusText(p: Pod): string {
  let reason: string = p.status.reason ?? p.status.phase;
  let running = false;
  // kubectl walks the containers from the last, so the first container's reason wins.
  for (let i = p.status.containerStatuses.length - 1; i >= 0; i--) {
    const s = p.status.containerStatuses[i]?.state;
    if (s === undefined) continue;
    if ("waiting" in s && s.waiting.reason) reason = s.waiting.reason;
    else if ("terminated" in s)
      reason = s.terminated.reason || (s.terminated.exitCode ? `ExitCode:${s.terminated.exitCode}` : reason);
    else if ("running" in s && p.status.containerStatuses[i]?.ready) running = true;
  }
  if (reason === "Completed" && running) reason = "Running";
  if (p.deletionTimestamp !== undefined) reason = "Terminating";
  return reason;
}

/**
 * Informer handler: a pod's change wakes its replica set and deployment, binds/runs/stops it
 * in the runtime, hands a new pending pod to the scheduler, and queues garbage collection
 * (grace expiry, orphans, finished pods) and scale-down when its node empties.
 */
function onPodChange(ctx: Ctx, b: Pod | undefined, a: Pod | undefined): void {
  const p = (a ?? b) as Pod;
  const q = ctx.queues;
  if (p.ownerReplicaSetId) q.replicaSet.add(p.ownerReplicaSetId, a ? "update" : "delete");
  if (p.deploymentId) q.deployment.add(p.deploymentId, "update");
  // Pods created by a controller pass were usually tried in that same pass (admit is a no-op then).
  if (a && !b && isUnscheduled(a)) ctx.scheduler.admit(a);
  if (a?.nodeId && a.deletionTimestamp === undefined && b?.nodeId !== a.nodeId) ctx.runtime.runPod(a);
  if (a && a.deletionTimestamp !== undefined && b?.deletionTimestamp === undefined) {
    ctx.runtime.stopPod(a.id, a.deletionGraceMs ?? 0);
    q.gc.addAfter(`pod/${a.id}`, a.deletionGraceMs ?? 0, "delete");
  }
  if (!a && b) {
    ctx.runtime.forgetPod(b.id);
    ctx.addresses.release(b, ctx.clock.now());
    const ns = ctx.state.namespaceNamed(b.namespace);
    if (ns?.status.phase === "Terminating") q.gc.add(`ns/${ns.id}`, "delete");
    if (b.nodeId && ctx.state.get("Node", b.nodeId)?.draining) q.node.add(b.nodeId, "update");
  }
  if (b && holdsNode(b) && (!a || !holdsNode(a))) {
    ctx.scheduler.tenantChanged(b.tenantId);
    if (b.nodeId && ctx.state.podCountOnNode(b.nodeId) === 0) q.provisioner.add(b.tenantId, "update");
  } else if (b && isLive(b) && a && !isLive(a)) ctx.scheduler.tenantChanged(b.tenantId);
  if (a?.ownerReplicaSetId && !ctx.state.get("ReplicaSet", a.ownerReplicaSetId)) q.gc.add(`pod/${a.id}`, "delete");
  if (a && isTerminal(a) && (!b || !isTerminal(b))) q.gc.add(`pod/${a.id}`, "update");
  queueServicesOfPod(ctx, b, a);
  ctx.publicIps.podChanged(ctx, b, a);
}

const podRequests = (p: Pod) => p.requests;

export const podKind: KindDefinition<"Pod"> = {
  kind: "Pod",
  apiKind: "Pod",
  group: "",
  version: "v1",
  apiVersion: "v1",
  plural: "pods",
  singular: "pod",
  shortNames: ["po"],
  namespaced: true,
  nameScope: "namespace",
  categories: ["all"],
  fieldGetters: {
    ...metadataFieldGetters<Pod>(),
    "spec.nodeName": (p) => p.nodeName ?? "",
    "spec.restartPolicy": (p) => p.spec.restartPolicy,
    "spec.schedulerName": () => "default-scheduler",
    "status.phase": (p) => p.status.phase,
    "status.podIP": (p) => p.podIP ?? "",
  },
  printerColumns: [
    nameColumn<Pod>(),
    {
      name: "Ready",
      type: "string",
      priority: 0,
      description: "The aggregate readiness state of this pod for accepting traffic.",
      cell: (p) => `${p.status.containerStatuses.filter((c) => c.ready).length}/${p.spec.containers.length}`,
    },
    {
      name: "Status",
      type: "string",
      priority: 0,
      description: "The aggregate status of the containers in this pod.",
      cell: podStatusText,
    },
    {
      name: "Restarts",
      type: "string",
      priority: 0,
      description: "The number of times the containers in this pod have been restarted.",
      cell: (p) => String(p.status.containerStatuses.reduce((n, c) => n + c.restartCount, 0)),
    },
    ageColumn<Pod>(),
    {
      name: "IP",
      type: "string",
      priority: 1,
      description: "IP address allocated to the pod.",
      cell: (p) => p.podIP ?? "<none>",
    },
    {
      name: "Node",
      type: "string",
      priority: 1,
      description: "Name of the Node this pod runs on.",
      cell: (p) => p.nodeName ?? "<none>",
    },
    {
      name: "Nominated Node",
      type: "string",
      priority: 1,
      description: "Name of the node nominated by the scheduler for preemption.",
      cell: () => "<none>",
    },
    {
      name: "Readiness Gates",
      type: "string",
      priority: 1,
      description: "Readiness gates of the pod.",
      cell: () => "<none>",
    },
  ],
  toKubernetes: podToKubernetes,
  metadataToKubernetes: podMetadata,
  indexes: [
    { name: "byNode", key: (p) => p.nodeId || undefined },
    { name: "byOwner", key: (p) => p.ownerReplicaSetId || undefined },
  ],
  // Admission and scheduling read these in O(1) (EngineState.allocatedOn, usageOf, usageOfNamespace).
  sums: [
    { name: "allocatedOnNode", key: (p) => (holdsNode(p) ? p.nodeId : undefined), amount: podRequests },
    { name: "usageOfTenant", key: (p) => (countsForQuota(p) ? p.tenantId : undefined), amount: podRequests },
    { name: "usageOfNamespace", key: (p) => (countsForQuota(p) ? p.namespace : undefined), amount: podRequests },
  ],
  onChange: onPodChange,
};
