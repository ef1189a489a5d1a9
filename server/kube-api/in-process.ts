/**
 * The Kubernetes API called in process, as a caller already known: the console's YAML tab
 * (server/trpc/routers/manifests.ts) reads and writes manifests through the same handler kubectl
 * reaches, so both follow one set of rules (conversion, validation, preconditions, audit).
 */
import type { Principal } from "../auth/principal";
import type { TenantRole } from "../auth/roles";
import type { Services } from "../services";
import type { Caller } from "./auth";
import { createKubeHandler } from "./handler";

/** The signed-in member as a Kubernetes API caller of their tenant, with their role there. */
export function consoleCaller(principal: Principal, tenant: { id: string; slug: string; role: TenantRole }): Caller {
  return {
    scope: "tenant",
    principal,
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    role: tenant.role,
    username: principal.user.email,
  };
}

export interface InProcessRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path and query, e.g. `/apis/apps/v1/namespaces/acme/deployments/web?dryRun=All`. */
  path: string;
  body?: string;
  contentType?: string;
}

export function kubeRequestAs(services: Services, caller: Caller, init: InProcessRequest): Promise<Response> {
  const handler = createKubeHandler({ getServices: async () => services, caller });
  return handler(
    new Request(`https://in-process${init.path}`, {
      method: init.method,
      body: init.body,
      headers: {
        accept: "application/json",
        ...(init.contentType ? { "content-type": init.contentType } : {}),
      },
    }),
  );
}
