/**
 * Who may do what, as one decision for `auth can-i` (the handlers enforce the same rules
 * through checkNamespaceAccess and mustWrite): reads of served resources for every caller
 * (tenants in their own namespaces, never across all of them; operators everywhere);
 * changes for tenant callers with the role each needs (namespaces: admin; the rest: member),
 * never for operator tokens, except the operator's own resources (OPERATOR_RESOURCES: the port
 * blocklist, which operators change and tenants only read; OPERATOR_ONLY_RESOURCES: the public
 * address pools, which only operators read or change). Creating a review or a connectivity check
 * changes nothing, so it counts as a read.
 */
import type { Orchestrator } from "../engine";
import { type Caller, mayWrite, type WriteNeed } from "./auth";
import { SERVED_RESOURCES, VIRTUAL_RESOURCES } from "./catalog";
import { OPERATOR_ONLY_REASON, ownsNamespace } from "./objects";

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
}

const READS = new Set(["get", "list", "watch"]);

/** Resources the operator writes and every tenant reads: cluster-wide rules no tenant may change. */
export const OPERATOR_RESOURCES: ReadonlySet<string> = new Set(["portbans", "publicippools"]);

/** Of those, the ones tenants may not even read (the operators' infrastructure). */
export const OPERATOR_ONLY_RESOURCES: ReadonlySet<string> = new Set(["publicippools"]);

/** Virtual resources whose create only asks a question (nothing is stored). */
const QUESTIONS = new Set(["selfsubjectaccessreviews", "selfsubjectreviews", "connectivitychecks"]);

/** The role a change of `resource` needs. */
export const writeNeed = (resource: string): WriteNeed => (resource === "namespaces" ? "admin" : "member");

export function decide(engine: Orchestrator, caller: Caller, a: Attributes): { allowed: boolean; reason: string } {
  const entry = SERVED_RESOURCES.find(({ def }) => def.plural === a.resource && def.group === a.group);
  const kind = entry?.served;
  const virtual = VIRTUAL_RESOURCES.find((r) => r.name === a.resource && r.group === a.group);
  if (!kind && !virtual) return { allowed: false, reason: `${a.resource} is not served here` };
  let verbs: readonly string[];
  let namespaced: boolean;
  if (entry && kind) {
    namespaced = entry.def.namespaced;
    const sub = a.subresource ? kind.subresources.find((s) => s.name === a.subresource) : undefined;
    if (a.subresource && !sub) return { allowed: false, reason: `${a.resource}/${a.subresource} is not served here` };
    verbs = sub ? sub.verbs : kind.verbs;
  } else {
    namespaced = virtual?.namespaced ?? false;
    verbs = virtual?.verbs ?? [];
  }
  if (!verbs.includes(a.verb)) return { allowed: false, reason: `${a.verb} is not served for ${a.resource}` };
  const read = READS.has(a.verb) || (a.verb === "create" && QUESTIONS.has(a.resource));
  const operatorOwned = OPERATOR_RESOURCES.has(a.resource);
  if (caller.scope === "operator")
    return read
      ? { allowed: true, reason: "operator token: reads everything" }
      : operatorOwned
        ? { allowed: true, reason: "operator token: the operator's own resource" }
        : { allowed: false, reason: "operator API tokens read only" };
  if (OPERATOR_ONLY_RESOURCES.has(a.resource)) return { allowed: false, reason: OPERATOR_ONLY_REASON };
  if (operatorOwned && !read) return { allowed: false, reason: `${a.resource} are the operator's; tenants read them` };
  if (namespaced && !a.namespace) return { allowed: false, reason: "a tenant token works in one namespace at a time" };
  if (namespaced && !ownsNamespace(engine, caller.tenantId, a.namespace))
    return { allowed: false, reason: `namespace "${a.namespace}" is not this tenant's` };
  if (read && a.resource === "secrets" && !mayWrite(caller, "member"))
    return { allowed: false, reason: "viewers do not read secrets" };
  if (read) return { allowed: true, reason: `tenant ${caller.role}` };
  const need = writeNeed(a.resource);
  return mayWrite(caller, need)
    ? { allowed: true, reason: `tenant ${caller.role}` }
    : { allowed: false, reason: `needs the ${need} role or higher; the token's creator is ${caller.role}` };
}
