/**
 * Service commands and queries (tenant): create, replace, delete, list, get; the EndpointSlices the
 * endpoints controller keeps (read only); and reads of the tenant's forwarding table. In the shape
 * of config-commands.ts. Guarantees:
 * - Names are unique per namespace; create of a taken name is CONFLICT (`services "x" already
 *   exists`), replace of a missing one NOT_FOUND, a stale `resourceVersion` CONFLICT, as Kubernetes
 *   answers them. A spec Kubernetes would refuse is INVALID with kube-apiserver's words
 *   (`Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`).
 * - The ClusterIP is assigned when create stages the Service, from the tenant's own service range:
 *   the requested `spec.clusterIP` if it is free and in range (else INVALID with Kubernetes'
 *   message), otherwise the next free one. It never changes: a replace that leaves it out keeps it,
 *   one that names another is INVALID (`may not change once set`). It is released once the
 *   deletion is committed. A dry run assigns an address for its answer and returns it at once.
 * - A LoadBalancer is accepted; its EXTERNAL-IP is the PublicIP bound to it (the binding controller
 *   writes `status.loadBalancer.ingress`), `<pending>` until one is.
 * - Services claim no quota; they go with their namespace (and their slices with them).
 * - `managedFields` is stored as given (none given on replace: kept); a replace that changes
 *   nothing writes nothing; `dryRun`: checked as the write, nothing stored (dry-run.ts).
 */
import { type Ctx, newId } from "../core/context";
import type { EngineCore } from "../core/core";
import { EngineError } from "../core/errors";
import { checkResourceVersion, checkTenant, inNamespace, mustFind, type Page, paginate } from "../core/lookup";
import type { EndpointSlice } from "../kinds/endpoint-slice";
import { normaliseServiceSpec, type Service, type ServiceInput, serviceSchema } from "../kinds/service";
import { parseInput } from "../kinds/validation";
import {
  assertNoProblems,
  type ForwardingEntryView,
  type LookupResult,
  type ServiceProtocol,
  serviceUpdateProblems,
} from "../network/forwarding";
import { parseIpv4 } from "../network/ipv4";
import { commandOrDryRun, type DryRunOption } from "./dry-run";
import { namespaceForWrite } from "./namespace-commands";
import type { NamespacedListOptions, NamespaceOption } from "./queries";
import { putReplacement, storedMap } from "./replace-object";

/** A first packet to a service address, as the connectivity check asks it. */
export interface ServiceLookupInput {
  ip: string;
  port: number;
  protocol?: ServiceProtocol;
  sourceIp?: string;
  sourcePort?: number;
}

type SpecInput = ServiceInput["spec"] & {};

/**
 * An update's spec as the API server normalises it (patchAllocatedValues, normalizeClusterIPs): one
 * that leaves the address out keeps the allocated one; of clusterIP and clusterIPs, the one the write
 * changed wins, so a patch of either alone is then judged by the immutability rule.
 */
function withAllocatedAddress(given: SpecInput, allocated: string | undefined): SpecInput {
  const ips = given.clusterIPs ?? [];
  if (!given.clusterIP && !ips.some((ip) => ip !== ""))
    return { ...given, clusterIP: allocated, clusterIPs: undefined };
  if (given.clusterIP && given.clusterIP !== allocated && ips.length === 1 && ips[0] === allocated)
    return { ...given, clusterIPs: undefined };
  if (given.clusterIP === allocated && ips[0]) return { ...given, clusterIP: ips[0] };
  return given;
}

export function serviceCommands(core: EngineCore) {
  const ctx: Ctx = core.ctx;
  const { state } = ctx;

  function parse(tenantId: string, input: unknown) {
    checkTenant(tenantId);
    return parseInput(serviceSchema, input ?? {}, "service");
  }

  return {
    createService: (tenantId: string, input: ServiceInput, opts: DryRunOption = {}): Promise<Service> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const parsed = parse(tenantId, input);
        if (parsed.resourceVersion !== undefined)
          throw new EngineError("INVALID", "resourceVersion: Forbidden: may not be set on objects to be created");
        const spec = normaliseServiceSpec(parsed.name, parsed.spec, true);
        const namespace = namespaceForWrite(ctx, tenantId, parsed.namespace);
        if (state.byName("Service", tenantId, parsed.name, namespace))
          throw new EngineError("CONFLICT", `services "${parsed.name}" already exists`);
        // Last, so nothing after it can refuse the command with the address taken.
        const assigned = ctx.serviceNetwork.assign(tenantId, spec);
        if (opts.dryRun) ctx.serviceNetwork.release(tenantId, assigned.clusterIP);
        return state.put({
          kind: "Service",
          id: newId(ctx, "Service", "svc"),
          tenantId,
          namespace,
          name: parsed.name,
          labels: storedMap(parsed.labels),
          annotations: storedMap(parsed.annotations),
          spec: assigned,
          status: {},
          ...(parsed.managedFields?.length ? { managedFields: parsed.managedFields } : {}),
          generation: 1,
          createdAt: ctx.clock.now(),
          resourceVersion: 0,
        });
      }),

    /** Replace labels, annotations and spec, as a Kubernetes PUT; the ClusterIP stays. */
    replaceService: (tenantId: string, input: ServiceInput, opts: DryRunOption = {}): Promise<Service> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const parsed = parse(tenantId, input);
        const existing = mustFind(state, "Service", tenantId, parsed.name, parsed.namespace);
        checkResourceVersion(existing, parsed.resourceVersion);
        const raw = withAllocatedAddress(parsed.spec, existing.spec.clusterIP);
        const spec = normaliseServiceSpec(existing.name, raw, false);
        assertNoProblems(existing.name, serviceUpdateProblems(existing.spec, spec));
        return putReplacement(state, existing, parsed, spec);
      }),

    deleteService: (
      tenantId: string,
      name: string,
      opts: NamespaceOption & DryRunOption & { resourceVersion?: number } = {},
    ): Promise<void> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const svc = mustFind(state, "Service", checkTenant(tenantId), name, opts.namespace);
        checkResourceVersion(svc, opts.resourceVersion);
        state.remove("Service", svc.id);
      }),

    listServices(tenantId: string, opts: NamespacedListOptions = {}): Page<Service> {
      const inNs = inNamespace(state, checkTenant(tenantId), opts.namespace);
      return paginate(state.ofTenant("Service", tenantId).filter(inNs), (o) => `${o.namespace}/${o.name}`, opts);
    },

    getService: (tenantId: string, name: string, opts: NamespaceOption = {}): Service =>
      mustFind(state, "Service", checkTenant(tenantId), name, opts.namespace),

    /** The slices of the tenant (of one service when `service` names it), by namespace and name. */
    listEndpointSlices(tenantId: string, opts: NamespacedListOptions & { service?: string } = {}): Page<EndpointSlice> {
      const inNs = inNamespace(state, checkTenant(tenantId), opts.namespace);
      const all = state
        .ofTenant("EndpointSlice", tenantId)
        .filter((s) => inNs(s) && (opts.service === undefined || s.ownerService.name === opts.service));
      return paginate(all, (o) => `${o.namespace}/${o.name}`, opts);
    },

    /** The forwarding decision for a first packet to `dst` in the tenant's table (the connectivity check's form). */
    lookupServiceRoute(tenantId: string, dst: ServiceLookupInput): LookupResult {
      checkTenant(tenantId);
      const parse = (ip: string, field: string) => {
        try {
          return parseIpv4(ip);
        } catch {
          throw new EngineError("INVALID", `${field}: Invalid value: ${JSON.stringify(ip)}: must be an IPv4 address`);
        }
      };
      if (!Number.isInteger(dst.port) || dst.port < 1 || dst.port > 65535)
        throw new EngineError("INVALID", `port: Invalid value: ${dst.port}: must be between 1 and 65535, inclusive`);
      const tables = ctx.serviceNetwork.tables;
      if (!tables.has(tenantId)) return { outcome: "no-such-service" };
      return tables
        .forTenant(tenantId)
        .lookup(
          parse(dst.ip, "ip"),
          dst.port,
          dst.protocol ?? "TCP",
          dst.sourceIp === undefined ? 0 : parse(dst.sourceIp, "sourceIp"),
          dst.sourcePort ?? 0,
        );
    },

    /** Every row of the tenant's forwarding table (service, address, port, backends). */
    listForwardingEntries(tenantId: string): ForwardingEntryView[] {
      const tables = ctx.serviceNetwork.tables;
      return tables.has(checkTenant(tenantId)) ? tables.forTenant(tenantId).entries() : [];
    },
  };
}
