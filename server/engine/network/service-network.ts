/**
 * The engine's service network: each tenant's ClusterIP allocator over its service range
 * (10.96.0.0/16 by default; tenants' ranges overlap, they never meet) and every tenant's
 * forwarding table (network/forwarding), both memory only.
 *
 * Guarantees:
 * - An address belongs to at most one Service of a tenant. The allocators are rebuilt from the
 *   committed Services whenever the engine loads its state (`restore`, from bootstrap), so an
 *   address staged with a failed commit is forgotten with it; an address is released only once
 *   the Service's deletion is committed (the Service kind's informer handler).
 * - The tables hold exactly the committed Services and EndpointSlices: fed by their informer
 *   handlers, rebuilt whole only at a load (`restore`), and changed per service otherwise.
 */
import type { EndpointSlice } from "../kinds/endpoint-slice";
import type { Service } from "../kinds/service";
import { parseIpv4 } from "./ipv4";
import {
  assignClusterIp,
  ClusterIpAllocator,
  DEFAULT_SERVICE_CIDR,
  endpointsFromSlices,
  ForwardingTables,
  type ServiceRef,
  type ServiceSpec,
} from "./forwarding";
import { derivedShape } from "../kinds/endpoint-slice";

/** A committed Service whose address could not be kept at a restore (two services recorded with one). */
export interface ClusterIpProblem {
  serviceId: string;
  message: string;
}

export class ServiceNetwork {
  private readonly allocators = new Map<string, ClusterIpAllocator>();
  private current = new ForwardingTables();

  constructor(
    readonly serviceCidr: string = DEFAULT_SERVICE_CIDR,
    private readonly log: (message: string, error?: unknown) => void = () => undefined,
  ) {}

  /** Every tenant's forwarding table (the object is replaced at each restore: do not keep it). */
  get tables(): ForwardingTables {
    return this.current;
  }

  /** The spec with its ClusterIP: the requested one (refused with Kubernetes' words when taken or out of range), else the next. */
  assign(tenantId: string, spec: ServiceSpec): ServiceSpec {
    return assignClusterIp(spec, this.allocatorOf(tenantId));
  }

  /** Returns an address assigned for an object that will not be stored (a dry run). */
  release(tenantId: string, clusterIP: string | undefined): void {
    if (clusterIP !== undefined) this.allocators.get(tenantId)?.release(parseIpv4(clusterIP));
  }

  /** Free addresses of the tenant's range. */
  freeAddresses(tenantId: string): number {
    return this.allocatorOf(tenantId).free;
  }

  /**
   * A committed Service change: its table entries follow; a committed deletion returns its address,
   * unless `addressHeld` (another committed service of the tenant holds it: the loser of a restore conflict).
   */
  serviceChanged(before: Service | undefined, after: Service | undefined, addressHeld = false): void {
    if (after) this.upsert(after);
    else if (before) {
      this.current.forTenant(before.tenantId).removeService(before);
      if (!addressHeld) this.release(before.tenantId, before.spec.clusterIP);
    }
  }

  /** A committed EndpointSlice change: the service's endpoints are all of its slices now. */
  endpointsChanged(tenantId: string, ref: ServiceRef, slices: readonly EndpointSlice[]): void {
    this.current.forTenant(tenantId).setEndpoints(ref, endpointsFromSlices(slices.map(derivedShape)));
  }

  /** Rebuilds allocators and tables from the committed objects (oldest service first keeps a doubled address). */
  restore(services: Iterable<Service>, slicesOf: (serviceId: string) => EndpointSlice[]): ClusterIpProblem[] {
    this.allocators.clear();
    this.current = new ForwardingTables();
    const problems: ClusterIpProblem[] = [];
    for (const svc of [...services].sort((a, b) => a.createdAt - b.createdAt)) {
      if (svc.spec.clusterIP === undefined) continue;
      try {
        this.allocatorOf(svc.tenantId).allocate(parseIpv4(svc.spec.clusterIP));
      } catch (e) {
        problems.push({ serviceId: svc.id, message: (e as Error).message });
        continue;
      }
      this.upsert(svc);
      this.endpointsChanged(svc.tenantId, svc, slicesOf(svc.id));
    }
    return problems;
  }

  private upsert(svc: Service): void {
    try {
      this.current.forTenant(svc.tenantId).upsertService(svc);
    } catch (e) {
      // The allocator keeps addresses unique per tenant, so this is a bug, not a user error: keep going.
      this.log(`engine: service ${svc.namespace}/${svc.name} left out of the forwarding table`, e);
    }
  }

  private allocatorOf(tenantId: string): ClusterIpAllocator {
    let a = this.allocators.get(tenantId);
    if (!a) {
      a = new ClusterIpAllocator(this.serviceCidr);
      this.allocators.set(tenantId, a);
    }
    return a;
  }
}
