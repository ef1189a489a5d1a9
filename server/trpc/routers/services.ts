/**
 * Services (Kubernetes' Service) for the console's Services pages and cloudctl: a page of one
 * namespace's (or every namespace's) services with kubectl's columns, one service with its
 * endpoints, DNS name, forwarding rows and (a LoadBalancer) the PublicIP that gives it its
 * EXTERNAL-IP, and delete. Creating and editing go through the YAML
 * tab (manifests.applyYaml), which the Kubernetes API validates with its own field paths. Every
 * member of the tenant reads; delete needs the member role, as on the API, and may carry the
 * resourceVersion last read (changed since: CONFLICT, nothing deleted).
 */
import { z } from "zod";
import type { Orchestrator } from "../../engine";
import type { EndpointSlice } from "../../engine/kinds/endpoint-slice";
import type { Service } from "../../engine/kinds/service";
import { pageOf } from "../../workloads/view-schemas";
import { createTRPCRouter, tenantProcedure } from "../init";
import { dns1123Schema, engineListInput } from "../schemas";
import { okView } from "../views/common";
import { serviceDetailView, serviceView, toServiceDetailView, toServiceView } from "../views/services";
import { namespaceField } from "./namespaces";

/** Service names are DNS-1035 labels in Kubernetes; a DNS-1123 label is the wider check, and the engine says the rest. */
const serviceName = dns1123Schema;
const byName = z.object({ ...namespaceField, name: serviceName }).strict();

/** A service holds few slices (100 endpoints each); read them all. */
function slicesOf(
  engine: Pick<Orchestrator, "listEndpointSlices">,
  tenantId: string,
  namespace: string,
  service: string,
): EndpointSlice[] {
  const all: EndpointSlice[] = [];
  let cursor: string | undefined;
  do {
    const page = engine.listEndpointSlices(tenantId, { namespace, service, limit: 1000, cursor });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return all;
}

/** The name of the PublicIP bound to a LoadBalancer service, if any (a target holds at most one). */
function publicIpOf(
  engine: Pick<Orchestrator, "listPublicIps">,
  tenantId: string,
  service: Service,
): string | undefined {
  if (service.spec.type !== "LoadBalancer") return undefined;
  let cursor: string | undefined;
  do {
    const page = engine.listPublicIps(tenantId, { namespace: service.namespace, limit: 500, cursor });
    const bound = page.items.find((p) => p.spec.target?.kind === "Service" && p.spec.target.name === service.name);
    if (bound) return bound.name;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return undefined;
}

export const servicesRouter = createTRPCRouter({
  /** A page of the tenant's services, by namespace then name. */
  list: tenantProcedure("viewer")
    .input(engineListInput.extend(namespaceField))
    .output(pageOf(serviceView))
    .query(({ ctx, input }) => {
      const { direction: _direction, ...opts } = input;
      const page = ctx.services.engine.listServices(ctx.tenant.id, opts);
      return { items: page.items.map(toServiceView), nextCursor: page.nextCursor };
    }),

  /** One service (in `namespace`; absent: the tenant's default) with its endpoints and forwarding rows. */
  get: tenantProcedure("viewer")
    .input(byName)
    .output(serviceDetailView)
    .query(({ ctx, input }) => {
      const engine = ctx.services.engine;
      const service = engine.getService(ctx.tenant.id, input.name, { namespace: input.namespace });
      const slices = slicesOf(engine, ctx.tenant.id, service.namespace, service.name);
      return toServiceDetailView(
        service,
        slices,
        engine.listForwardingEntries(ctx.tenant.id),
        publicIpOf(engine, ctx.tenant.id, service),
      );
    }),

  /** Deletes one service; its ClusterIP returns to the tenant's range once the deletion commits. */
  delete: tenantProcedure("member")
    .input(
      byName
        .extend({
          resourceVersion: z
            .string()
            .regex(/^\d{1,15}$/, "A resourceVersion is a number.")
            .optional(),
        })
        .strict(),
    )
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `Service/${input.namespace ? `${input.namespace}/` : ""}${input.name}`;
      await ctx.services.engine.deleteService(ctx.tenant.id, input.name, {
        namespace: input.namespace,
        ...(input.resourceVersion === undefined ? {} : { resourceVersion: Number(input.resourceVersion) }),
      });
      return { ok: true as const };
    }),
});
