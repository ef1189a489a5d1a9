/**
 * Kind EndpointSlice (discovery.k8s.io/v1), namespaced, made by the engine only (the endpoints
 * controller, controllers/endpoint-slices.ts): a service's ready and not-ready pod addresses with
 * the ports its targetPorts resolve to. Read-only over the API. Printer columns as kubectl's
 * (NAME ADDRESSTYPE PORTS ENDPOINTS AGE).
 *
 * Guarantees: labelled `kubernetes.io/service-name` and owned (controller ownerReference) by its
 * Service; indexed by that service's id, so a service's slices are found in O(its slices); a
 * committed change sets the service's endpoints in the tenant's forwarding table (all of its
 * slices, flattened), so the table follows exactly what is committed.
 */
import type { Ctx } from "../core/context";
import type { Endpoint, EndpointPort, EndpointSlice as DerivedSlice } from "../network/forwarding";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import { compact, controllerRef, type KubeObject, objectMeta } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import type { NamespacedMeta } from "./types";

export interface EndpointSlice extends NamespacedMeta {
  kind: "EndpointSlice";
  /** The owning Service: its id (metadata.uid) and name. */
  ownerService: { readonly name: string; readonly uid: string };
  addressType: "IPv4";
  endpoints: readonly Endpoint[];
  ports: readonly EndpointPort[];
}

export const SLICES_BY_SERVICE = "service";

/** The slice as the derivation produces it (what the controller compares before it writes). */
export function derivedShape(s: EndpointSlice): DerivedSlice {
  return {
    name: s.name,
    namespace: s.namespace,
    labels: s.labels,
    ownerService: s.ownerService,
    addressType: s.addressType,
    endpoints: s.endpoints,
    ports: s.ports,
  };
}

/** kubectl's list of at most three, then `+ N more...`; `<unset>` when empty (listWithMoreString). */
function listWithMore(items: readonly string[]): string {
  if (items.length === 0) return "<unset>";
  const shown = items.slice(0, 3).join(",");
  return items.length > 3 ? `${shown} + ${items.length - 3} more...` : shown;
}

export function endpointSliceToKubernetes(s: EndpointSlice): KubeObject {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: objectMeta(s, {
      ownerReferences: [controllerRef("v1", "Service", s.ownerService.name, s.ownerService.uid)],
    }),
    addressType: s.addressType,
    endpoints: s.endpoints.map((e) =>
      compact({
        addresses: [...e.addresses],
        conditions: { ...e.conditions },
        nodeName: e.nodeName,
        targetRef: { ...e.targetRef },
      }),
    ),
    ...(s.ports.length > 0
      ? { ports: s.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })) }
      : {}),
  };
}

function onSliceChange(ctx: Ctx, b: EndpointSlice | undefined, a: EndpointSlice | undefined): void {
  const s = (a ?? b) as EndpointSlice;
  const slices = ctx.state.indexed("EndpointSlice", SLICES_BY_SERVICE, s.ownerService.uid);
  ctx.serviceNetwork.endpointsChanged(s.tenantId, { namespace: s.namespace, name: s.ownerService.name }, slices);
}

export const endpointSliceKind: KindDefinition<"EndpointSlice"> = {
  kind: "EndpointSlice",
  apiKind: "EndpointSlice",
  group: "discovery.k8s.io",
  version: "v1",
  apiVersion: "discovery.k8s.io/v1",
  plural: "endpointslices",
  singular: "endpointslice",
  shortNames: [],
  namespaced: true,
  nameScope: "namespace",
  categories: [],
  fieldGetters: {
    ...metadataFieldGetters<EndpointSlice>(),
    addressType: (s) => s.addressType,
  },
  printerColumns: [
    nameColumn<EndpointSlice>(),
    {
      name: "AddressType",
      type: "string",
      priority: 0,
      description: "addressType specifies the type of address carried by this EndpointSlice.",
      cell: (s) => s.addressType,
    },
    {
      name: "Ports",
      type: "string",
      priority: 0,
      description: "ports specifies the list of network ports exposed by each endpoint in this slice.",
      cell: (s) => listWithMore(s.ports.map((p) => String(p.port))),
    },
    {
      name: "Endpoints",
      type: "string",
      priority: 0,
      description: "endpoints is a list of unique endpoints in this slice.",
      cell: (s) => listWithMore(s.endpoints.flatMap((e) => e.addresses)),
    },
    ageColumn<EndpointSlice>(),
  ],
  toKubernetes: endpointSliceToKubernetes,
  indexes: [{ name: SLICES_BY_SERVICE, key: (s) => s.ownerService.uid }],
  onChange: onSliceChange,
};
