/**
 * Kind Namespace (core/v1), cluster-scoped, its name unique across tenants. Conversion:
 * the `kubernetes.io/metadata.name` label Kubernetes always sets, `spec.finalizers`
 * ["kubernetes"], `status.phase` Active or Terminating. Printer columns as kubectl's
 * (NAME STATUS AGE).
 */
import type { Ctx } from "../core/context";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import { type KubeObject, objectMeta } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import type { Namespace } from "./types";
import { namespaceSchema } from "./validation";

export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export const namespaceLabels = (ns: Namespace) => ({ ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name });

export function namespaceToKubernetes(ns: Namespace): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: objectMeta(ns, { labels: namespaceLabels(ns) }),
    spec: { finalizers: ["kubernetes"] },
    status: { phase: ns.status.phase },
  };
}

/** Informer handler: a namespace being deleted is emptied, then removed, by the namespace controller (gc). */
function onNamespaceChange(ctx: Ctx, _b: Namespace | undefined, a: Namespace | undefined): void {
  if (a?.status.phase === "Terminating") ctx.queues.gc.add(`ns/${a.id}`, "delete");
}

export const namespaceKind: KindDefinition<"Namespace"> = {
  kind: "Namespace",
  apiKind: "Namespace",
  group: "",
  version: "v1",
  apiVersion: "v1",
  plural: "namespaces",
  singular: "namespace",
  shortNames: ["ns"],
  namespaced: false,
  nameScope: "global",
  categories: [],
  inputSchema: namespaceSchema,
  labelsOf: namespaceLabels,
  fieldGetters: { ...metadataFieldGetters<Namespace>(), "status.phase": (ns) => ns.status.phase },
  printerColumns: [
    nameColumn<Namespace>(),
    {
      name: "Status",
      type: "string",
      priority: 0,
      description: "The status of the namespace",
      cell: (ns) => ns.status.phase,
    },
    ageColumn<Namespace>(),
  ],
  toKubernetes: namespaceToKubernetes,
  // The tenant's default namespace (EngineState.defaultNamespaceOf): at most one per tenant.
  indexes: [{ name: "tenantDefault", key: (ns) => (ns.tenantDefault ? ns.tenantId : undefined) }],
  onChange: onNamespaceChange,
};
