/**
 * Writes of PublicIPPool (cloud.tenant.io/v1, cluster-scoped): the operators' ranges of public
 * addresses that tenants' PublicIPs are allocated from. Only an operator's token reads or writes
 * them (objects.ts OPERATOR_ONLY_KINDS, permissions.ts): they are the operators' infrastructure,
 * and a pool's usage would tell one tenant how many addresses the others hold.
 *
 * Guarantees: every verb of write-data.ts (create, update, the four patch types, server-side
 * apply, delete, dryRun=All), mapped to the engine's operator commands; a tenant's write is
 * Forbidden naming the rule; removing a range that holds allocated addresses, or deleting a pool
 * while any of its addresses is allocated, is the engine's CONFLICT (409) naming it.
 */
import type { AnyKindDefinition, Orchestrator } from "../../engine";
import type { KubeRequest } from "../context";
import { OPERATOR_ONLY_REASON } from "../objects";
import { forbiddenError } from "../status";
import { type DataCommands, writeDataObject } from "./write-data";

/** The pool commands: the operators' objects, so no tenant is named. */
export const publicIpPoolCommands = (e: Orchestrator): DataCommands => ({
  fields: ["spec"],
  input: (o) => ({ spec: o.spec }),
  create: (i, o) => e.createPublicIpPool(i as never, o),
  replace: (i, o) => e.replacePublicIpPool(i as never, o),
  remove: (n, o) => e.deletePublicIpPool(n, o),
});

export async function writePublicIpPool(req: KubeRequest, def: AnyKindDefinition): Promise<Response> {
  // checkNamespaceAccess refused a tenant already, in Kubernetes' words; this keeps the rule local too.
  if (req.caller.scope !== "operator")
    throw forbiddenError(`${def.plural}.${def.group} is forbidden: ${OPERATOR_ONLY_REASON}`, {
      resource: def.plural,
      group: def.group,
    });
  return writeDataObject(req, def, publicIpPoolCommands(req.engine));
}
