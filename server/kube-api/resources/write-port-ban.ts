/**
 * Writes of PortBan (cloud.tenant.io/v1), the operator's cluster-wide blocklist: every verb of
 * write-data.ts (create, update, the four patch types, server-side apply, delete with a
 * resourceVersion precondition, dryRun=All), mapped to the engine's operator commands, so that
 * `kubectl apply` of a changed ban updates it in place. Only an operator's token writes them
 * (permissions.ts OPERATOR_RESOURCES): the blocklist belongs to no tenant, so no tenant role
 * reaches it.
 *
 * Guarantees: a tenant's write is Forbidden naming the rule; a field outside the kind's shape is
 * Invalid naming its path, a bad spec Invalid naming the engine's field (`spec.portRangeMax`).
 */
import type { AnyKindDefinition, Orchestrator } from "../../engine";
import type { KubeRequest } from "../context";
import { KubeError } from "../status";
import { writeVerbOf } from "../write-verbs";
import { type DataCommands, writeDataObject } from "./write-data";

/** The blocklist's commands: the operator's objects, so no tenant is named. */
export const portBanCommands = (e: Orchestrator): DataCommands => ({
  fields: ["spec"],
  input: (o) => ({ spec: o.spec }),
  create: (i, o) => e.addPortBan(i as never, o),
  replace: (i, o) => e.replacePortBan(i as never, o),
  remove: (n, o) => e.removePortBan(n, o),
});

export async function writePortBan(req: KubeRequest, def: AnyKindDefinition): Promise<Response> {
  const { method, target: t } = req;
  if (req.caller.scope !== "operator")
    throw new KubeError(
      "Forbidden",
      `${writeVerbOf(method)} ${def.plural}.${def.group}${t.name ? ` "${t.name}"` : ""} is forbidden: port bans are the operator's cluster-wide blocklist; tenants may only read them.`,
    );
  return writeDataObject(req, def, portBanCommands(req.engine));
}
