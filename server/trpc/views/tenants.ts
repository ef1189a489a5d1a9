/**
 * Views of the caller's tenants: the ones it belongs to (memberships), the current one, and a
 * tenant just made. Ids, names and slugs only: nothing of the tenant's rows beyond them.
 */
import { z } from "zod";
import { tenantRoleSchema } from "../../auth/roles";
import { membershipView } from "./access";

export const membershipsView = z.array(membershipView);

/** The tenant the call acts in, with the caller's role there. */
export const currentTenantView = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  role: tenantRoleSchema,
});

export const createdTenantView = z.object({ id: z.string(), name: z.string(), slug: z.string() });
