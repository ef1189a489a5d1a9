/**
 * Kind Node (core/v1), cluster-scoped: a tenant's VM. Conversion: `spec.unschedulable` and
 * its taint, `status.capacity`/`allocatable` as quantities, the Ready condition (True when
 * Ready, False while provisioning, Unknown once heartbeats stopped, as the node lifecycle
 * controller reports it), node info and the kubelet's well-known labels. Printer columns as
 * kubectl's (NAME STATUS ROLES AGE VERSION; wide INTERNAL-IP EXTERNAL-IP OS-IMAGE
 * KERNEL-VERSION CONTAINER-RUNTIME).
 */
import type { Ctx } from "../core/context";
import type { KindDefinition } from "./definition";
import { changePriority, metadataFieldGetters } from "./definition";
import { compact, ENGINE_API_GROUP, type ConversionContext, type KubeObject, objectMeta, rfc3339 } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import { formatCpu, formatMemory } from "./quantity";
import type { Node } from "./types";

/** What the simulated kubelet reports as its version and system (our VMs run no real kubelet). */
export const NODE_INFO = {
  kubeletVersion: "v1.32.0",
  osImage: "Tenant Cloud VM",
  kernelVersion: "6.1.0",
  containerRuntimeVersion: "sim://1.0",
  operatingSystem: "linux",
  architecture: "amd64",
} as const;

export const POOL_ANNOTATION = `${ENGINE_API_GROUP}/pool`;
export const WARM_ANNOTATION = `${ENGINE_API_GROUP}/warm`;
export const DRAINING_ANNOTATION = `${ENGINE_API_GROUP}/draining`;

function readyCondition(n: Node) {
  const since = n.phase === "Ready" ? (n.readyAt ?? n.createdAt) : (n.notReadySince ?? n.createdAt);
  const common = { type: "Ready", lastHeartbeatTime: rfc3339(n.lastHeartbeat), lastTransitionTime: rfc3339(since) };
  if (n.phase === "Ready")
    return { ...common, status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" };
  if (n.phase === "Provisioning")
    return { ...common, status: "False", reason: "KubeletNotReady", message: "the VM is being created and booted" };
  return { ...common, status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." };
}

/** The node's labels plus those a kubelet sets on its node. */
export function nodeLabels(n: Node): Record<string, string> {
  return {
    ...n.labels,
    "kubernetes.io/hostname": n.name,
    "kubernetes.io/os": NODE_INFO.operatingSystem,
    "kubernetes.io/arch": NODE_INFO.architecture,
  };
}

export function nodeToKubernetes(n: Node, ctx: ConversionContext): KubeObject {
  const resources = {
    cpu: formatCpu(n.capacity.cpuMillis),
    memory: formatMemory(n.capacity.memoryBytes),
    pods: String(n.capacity.pods),
  };
  const taints = [
    ...(n.unschedulable ? [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }] : []),
    ...(n.phase !== "Ready" ? [{ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }] : []),
  ];
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: objectMeta(n, {
      labels: nodeLabels(n),
      annotations: {
        [POOL_ANNOTATION]: ctx.get("NodePool", n.poolId)?.name,
        [WARM_ANNOTATION]: n.warm ? "true" : undefined,
        [DRAINING_ANNOTATION]: n.draining ? "true" : undefined,
      },
    }),
    spec: compact({
      unschedulable: n.unschedulable ? true : undefined,
      taints: taints.length > 0 ? taints : undefined,
    }),
    status: {
      capacity: resources,
      allocatable: { ...resources },
      conditions: [readyCondition(n)],
      addresses: [{ type: "Hostname", address: n.name }],
      nodeInfo: { ...NODE_INFO },
    },
  };
}

/** kubectl's STATUS column (printNode): Ready / NotReady, plus SchedulingDisabled when cordoned. */
export function nodeStatusText(n: Node): string {
  const s = n.phase === "Ready" ? "Ready" : "NotReady";
  return n.unschedulable ? `${s},SchedulingDisabled` : s;
}

const ROLE_PREFIX = "node-role.kubernetes.io/";

export const nodeKind: KindDefinition<"Node"> = {
  kind: "Node",
  apiKind: "Node",
  group: "",
  version: "v1",
  apiVersion: "v1",
  plural: "nodes",
  singular: "node",
  shortNames: ["no"],
  namespaced: false,
  nameScope: "tenant",
  categories: [],
  labelsOf: nodeLabels,
  fieldGetters: { ...metadataFieldGetters<Node>(), "spec.unschedulable": (n) => String(n.unschedulable) },
  printerColumns: [
    nameColumn<Node>(),
    { name: "Status", type: "string", priority: 0, description: "The status of the node", cell: nodeStatusText },
    {
      name: "Roles",
      type: "string",
      priority: 0,
      description: "The roles of the node",
      cell: (n) => {
        const roles = Object.keys(n.labels)
          .filter((k) => k.startsWith(ROLE_PREFIX))
          .map((k) => k.slice(ROLE_PREFIX.length))
          .sort();
        return roles.length > 0 ? roles.join(",") : "<none>";
      },
    },
    ageColumn<Node>(),
    {
      name: "Version",
      type: "string",
      priority: 0,
      description: "Kubelet Version reported by the node.",
      cell: () => NODE_INFO.kubeletVersion,
    },
    {
      name: "Internal-IP",
      type: "string",
      priority: 1,
      description: "List of addresses reachable to the node.",
      cell: () => "<none>",
    },
    {
      name: "External-IP",
      type: "string",
      priority: 1,
      description: "List of addresses reachable to the node.",
      cell: () => "<none>",
    },
    {
      name: "OS-Image",
      type: "string",
      priority: 1,
      description: "OS Image reported by the node.",
      cell: () => NODE_INFO.osImage,
    },
    {
      name: "Kernel-Version",
      type: "string",
      priority: 1,
      description: "Kernel Version reported by the node.",
      cell: () => NODE_INFO.kernelVersion,
    },
    {
      name: "Container-Runtime",
      type: "string",
      priority: 1,
      description: "ContainerRuntime Version reported by the node.",
      cell: () => NODE_INFO.containerRuntimeVersion,
    },
  ],
  toKubernetes: nodeToKubernetes,
  indexes: [{ name: "byPool", key: (n) => n.poolId }],
  onChange: onNodeChange,
};

/** Schedulable now: Ready, not a warm standby, not cordoned. */
const usable = (n: Node) => n.phase === "Ready" && !n.warm && !n.unschedulable;

/**
 * Informer handler: the node lifecycle controller and the provisioner reconcile; a node that
 * became usable gives parked pods a new chance; a Ready node starts (or recovers) its pods in
 * the runtime; a deleted node's pods are collected; a phase change wakes its pods' owners.
 */
function onNodeChange(ctx: Ctx, b: Node | undefined, a: Node | undefined): void {
  const n = (a ?? b) as Node;
  ctx.queues.node.add(n.id, changePriority(b, a));
  // Parked pods only get a new chance when a node became usable (or changed labels/capacity).
  if (a && usable(a) && (!b || !usable(b) || a.labels !== b.labels)) ctx.scheduler.tenantChanged(n.tenantId);
  ctx.queues.provisioner.add(n.tenantId, "update");
  if (!a) {
    ctx.runtime.removeNode(n.id);
    ctx.heartbeats.delete(n.id);
    ctx.emptySince.delete(n.id);
    for (const p of ctx.state.podsOnNode(n.id)) ctx.queues.gc.add(`pod/${p.id}`, "delete");
    return;
  }
  if (a.phase === "Ready" && b?.phase !== "Ready") {
    ctx.runtime.startNode(a);
    const pods = ctx.state.podsOnNode(a.id).filter((p) => p.deletionTimestamp === undefined);
    if (b?.phase === "NotReady") {
      ctx.runtime.recoverNode(a.id);
      ctx.runtime.reconcileNode(a.id, new Set(pods.map((p) => p.id)));
    }
    for (const p of pods) ctx.runtime.runPod(p);
  }
  if (a.phase !== b?.phase) {
    for (const p of ctx.state.podsOnNode(a.id)) {
      if (p.ownerReplicaSetId) ctx.queues.replicaSet.add(p.ownerReplicaSetId, "update");
      if (p.deploymentId) ctx.queues.deployment.add(p.deploymentId, "update");
    }
  }
}
