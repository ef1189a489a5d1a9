/**
 * Kind Service (core/v1), namespaced, short name `svc`: a stable virtual IP (its ClusterIP, from
 * the tenant's own service range) in front of the pods its selector matches. The model, its
 * defaults and its validation are network/forwarding's (kube-apiserver's words); this module is
 * the kind: its input, its conversion, kubectl's columns and its informer handler.
 *
 * Guarantees:
 * - Stored defaulted (type ClusterIP, protocol TCP, targetPort = port, sessionAffinity None) with
 *   its ClusterIP; shown as the API server shows it (clusterIPs, ipFamilies [IPv4], ipFamilyPolicy
 *   SingleStack, internalTrafficPolicy Cluster, status.loadBalancer {}), so a re-applied
 *   `get -o yaml` parses to the same spec.
 * - What is not modelled is refused by name rather than dropped: NodePort and ExternalName types,
 *   headless services, IPv6 and dual stack, traffic policy Local.
 * - A committed change queues the service's endpoints sync, feeds the tenant's forwarding table,
 *   and a committed deletion returns its ClusterIP to the tenant's range.
 */
import { z } from "zod";
import type { Ctx } from "../core/context";
import {
  assertNoProblems,
  defaultServiceSpec,
  type FieldProblem,
  type ServiceSpec,
  type ServiceSpecInput,
  type ServiceStatus,
  serviceNameProblems,
  serviceSpecProblems,
} from "../network/forwarding";
import type { KindDefinition } from "./definition";
import { changePriority, metadataFieldGetters } from "./definition";
import { compact, type KubeObject, managedFieldsInput, objectMeta } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import type { ManagedMeta, NamespacedMeta, Pod } from "./types";
import { dnsName, metadataSchema } from "./validation";

export interface Service extends NamespacedMeta, ManagedMeta {
  kind: "Service";
  spec: ServiceSpec;
  status: ServiceStatus;
}

const text = z.string().max(253);
const portInput = z.strictObject({
  name: z.string().max(63).optional(),
  protocol: z.string().max(16).optional(),
  port: z.number().int(),
  targetPort: z.union([z.number().int(), z.string().max(63)]).optional(),
});

/** spec as Kubernetes writes it; the fields the API server shows but we do not model must hold their only value. */
export const serviceSpecInput = z.strictObject({
  type: z.string().max(32).optional(),
  clusterIP: text.optional(),
  clusterIPs: z.array(text).max(2).optional(),
  ports: z.array(portInput).max(100).optional(),
  selector: z.record(z.string().max(317), z.string().max(63)).optional(),
  sessionAffinity: z.string().max(32).optional(),
  publishNotReadyAddresses: z.boolean().optional(),
  loadBalancerIP: text.optional(),
  ipFamilies: z.array(z.string().max(16)).max(2).optional(),
  ipFamilyPolicy: z.string().max(32).optional(),
  internalTrafficPolicy: z.string().max(32).optional(),
  externalTrafficPolicy: z.string().max(32).optional(),
});

export const serviceSchema = z.strictObject({
  namespace: dnsName.optional(),
  name: z.string().max(253),
  ...metadataSchema.shape,
  spec: serviceSpecInput.default({}),
  /** Replace only the object at this resourceVersion (optimistic concurrency). */
  resourceVersion: z.number().int().min(0).optional(),
  managedFields: managedFieldsInput,
});
export type ServiceInput = z.input<typeof serviceSchema>;
type ParsedSpec = z.output<typeof serviceSpecInput>;

const unsupported = (field: string, value: string, allowed: readonly string[]): FieldProblem => ({
  field,
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
});

/** The defaulted spec of a service input; throws INVALID with every problem, in kube-apiserver's form. */
export function normaliseServiceSpec(name: string, raw: ParsedSpec, isCreate: boolean): ServiceSpec {
  const problems: FieldProblem[] = isCreate ? serviceNameProblems(name) : [];
  let clusterIP = raw.clusterIP || undefined;
  const ips = raw.clusterIPs ?? [];
  if (ips.length > 1)
    problems.push({ field: "spec.clusterIPs", message: "Invalid value: dual-stack services are not modelled" });
  if (ips[0] !== undefined && ips[0] !== "") {
    if (clusterIP === undefined) clusterIP = ips[0];
    else if (ips[0] !== clusterIP)
      problems.push({
        field: "spec.clusterIPs",
        message: `Invalid value: ${JSON.stringify(ips)}: first value must match \`clusterIP\``,
      });
  }
  (raw.ipFamilies ?? []).forEach((f, i) => {
    if (f !== "IPv4") problems.push(unsupported(`spec.ipFamilies[${i}]`, f, ["IPv4"]));
  });
  if (raw.ipFamilyPolicy !== undefined && raw.ipFamilyPolicy !== "SingleStack")
    problems.push(unsupported("spec.ipFamilyPolicy", raw.ipFamilyPolicy, ["SingleStack"]));
  if (raw.internalTrafficPolicy !== undefined && raw.internalTrafficPolicy !== "Cluster")
    problems.push(unsupported("spec.internalTrafficPolicy", raw.internalTrafficPolicy, ["Cluster"]));
  if (raw.externalTrafficPolicy !== undefined && raw.externalTrafficPolicy !== "Cluster")
    problems.push(unsupported("spec.externalTrafficPolicy", raw.externalTrafficPolicy, ["Cluster"]));
  const spec = defaultServiceSpec({
    ...(raw as ServiceSpecInput),
    ...(clusterIP !== undefined ? { clusterIP } : { clusterIP: undefined }),
  });
  problems.push(...serviceSpecProblems(spec));
  assertNoProblems(name, problems);
  return spec;
}

/** Kubernetes' FormatLabels: `k=v` sorted by key, joined by commas; `<none>` when empty. */
function formatSelector(selector: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(selector ?? {}).sort();
  return keys.length === 0 ? "<none>" : keys.map((k) => `${k}=${selector?.[k]}`).join(",");
}

/** kubectl's EXTERNAL-IP: a LoadBalancer's ingress addresses, `<pending>` until it has one; `<none>` otherwise. */
export function externalIpCell(svc: Service): string {
  if (svc.spec.type !== "LoadBalancer") return "<none>";
  const ips = (svc.status.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => !!ip);
  return ips.length > 0 ? ips.join(",") : "<pending>";
}

export function serviceToKubernetes(svc: Service): KubeObject {
  const s = svc.spec;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: objectMeta(svc),
    spec: compact({
      clusterIP: s.clusterIP,
      clusterIPs: s.clusterIP ? [s.clusterIP] : undefined,
      externalTrafficPolicy: s.type === "LoadBalancer" ? "Cluster" : undefined,
      internalTrafficPolicy: "Cluster",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      loadBalancerIP: s.loadBalancerIP,
      ports: s.ports.map((p) =>
        compact({ name: p.name, port: p.port, protocol: p.protocol, targetPort: p.targetPort }),
      ),
      publishNotReadyAddresses: s.publishNotReadyAddresses,
      selector: s.selector && { ...s.selector },
      sessionAffinity: s.sessionAffinity,
      type: s.type,
    }),
    status: { loadBalancer: structuredClone(svc.status.loadBalancer ?? {}) },
  };
}

function selects(selector: Readonly<Record<string, string>> | undefined, pod: Pod | undefined): boolean {
  if (!pod || !selector) return false;
  for (const k in selector) if (pod.labels[k] !== selector[k]) return false;
  return true;
}

const podReady = (p: Pod) => p.status.conditions.some((c) => c.type === "Ready" && c.status === "True");

/** Whether a pod change can change an endpoint (address, readiness, labels, lifecycle, node). */
function endpointRelevant(b: Pod | undefined, a: Pod | undefined): boolean {
  if (!a || !b) return true;
  return (
    a.podIP !== b.podIP ||
    a.labels !== b.labels ||
    a.deletionTimestamp !== b.deletionTimestamp ||
    a.status.phase !== b.status.phase ||
    a.nodeName !== b.nodeName ||
    podReady(a) !== podReady(b)
  );
}

/** The Pod informer's one call: queue the services of the pod's namespace that select it before or after. */
export function queueServicesOfPod(ctx: Ctx, b: Pod | undefined, a: Pod | undefined): void {
  const p = (a ?? b) as Pod;
  if (!endpointRelevant(b, a)) return;
  for (const svc of ctx.state.indexed("Service", SERVICES_BY_NAMESPACE, `${p.tenantId}/${p.namespace}`))
    if (selects(svc.spec.selector, b) || selects(svc.spec.selector, a)) ctx.queues.endpoints.add(svc.id, "update");
}

export const SERVICES_BY_NAMESPACE = "namespace";

function onServiceChange(ctx: Ctx, b: Service | undefined, a: Service | undefined): void {
  const svc = (a ?? b) as Service;
  ctx.queues.endpoints.add(svc.id, changePriority(b, a));
  const ip = !a && b ? b.spec.clusterIP : undefined;
  const held = ip !== undefined && ctx.state.ofTenant("Service", svc.tenantId).some((o) => o.spec.clusterIP === ip);
  ctx.serviceNetwork.serviceChanged(b, a, held);
  ctx.publicIps.serviceChanged(ctx, b, a);
}

const SPEC_DOC = "ServiceSpec describes the attributes that a user creates on a service.";

export const serviceKind: KindDefinition<"Service"> = {
  kind: "Service",
  apiKind: "Service",
  group: "",
  version: "v1",
  apiVersion: "v1",
  plural: "services",
  singular: "service",
  shortNames: ["svc"],
  namespaced: true,
  nameScope: "namespace",
  categories: ["all"],
  inputSchema: serviceSchema,
  fieldGetters: {
    ...metadataFieldGetters<Service>(),
    "spec.clusterIP": (s) => s.spec.clusterIP ?? "",
    "spec.type": (s) => s.spec.type,
  },
  printerColumns: [
    nameColumn<Service>(),
    { name: "Type", type: "string", priority: 0, description: `${SPEC_DOC} type`, cell: (s) => s.spec.type },
    {
      name: "Cluster-IP",
      type: "string",
      priority: 0,
      description: "clusterIP is the IP address of the service and is usually assigned randomly.",
      cell: (s) => s.spec.clusterIP ?? "<none>",
    },
    {
      name: "External-IP",
      type: "string",
      priority: 0,
      description: "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic.",
      cell: externalIpCell,
    },
    {
      name: "Port(s)",
      type: "string",
      priority: 0,
      description: "The list of ports that are exposed by this service.",
      cell: (s) =>
        s.spec.ports.length === 0 ? "<none>" : s.spec.ports.map((p) => `${p.port}/${p.protocol}`).join(","),
    },
    ageColumn<Service>(),
    {
      name: "Selector",
      type: "string",
      priority: 1,
      description: "Route service traffic to pods with label keys and values matching this selector.",
      cell: (s) => formatSelector(s.spec.selector),
    },
  ],
  toKubernetes: serviceToKubernetes,
  indexes: [{ name: SERVICES_BY_NAMESPACE, key: (s) => `${s.tenantId}/${s.namespace}` }],
  onChange: onServiceChange,
};
