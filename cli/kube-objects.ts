/**
 * What `get -o json|yaml` prints: the Kubernetes objects the Kubernetes API serves (apiVersion, kind,
 * metadata, spec, status), read through the console's manifests procedures, which call that API's own
 * handler on the server as this token's tenant. They are printed the way kubectl 1.32 prints them, so
 * `cloudctl get … -o json` and `kubectl get … -o json` can be diffed: keys sorted (kubectl prints maps),
 * JSON indented by four spaces with Go's HTML escapes, YAML with sequences not indented under their key,
 * several objects as a `v1 List`, managedFields hidden (kubectl's default).
 *
 * The selection follows the Kubernetes API, not the console's views: `-l` is the API's labelSelector
 * (set-based selectors too) and matches `metadata.labels` (a deployment's own labels, not its template's).
 */
import YAML from "yaml";
import type { RouterOutputs } from "../client/index";
import type { ListedKind } from "./resources";
import type { Session } from "./session";

export type KubeObject = RouterOutputs["manifests"]["get"]["object"];

/** The Kubernetes kind behind each of the CLI's kinds. */
export const apiKindOf: Record<ListedKind, string> = {
  deployments: "Deployment",
  pods: "Pod",
  nodes: "Node",
  nodepools: "NodePool",
  events: "Event",
  namespaces: "Namespace",
  resourcequotas: "ResourceQuota",
};

export interface KubeSelection {
  labelSelector?: string;
  fieldSelector?: string;
}

/** Every object of the kind: in the session's namespace (the tenant's default without one), or all with -A. */
export async function listKubeObjects(s: Session, kind: ListedKind, selection: KubeSelection): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let token: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const list = await s.client.manifests.list.query({
      kind: apiKindOf[kind],
      ...(s.allNamespaces ? { allNamespaces: true } : s.namespace ? { namespace: s.namespace } : {}),
      ...(selection.labelSelector ? { labelSelector: selection.labelSelector } : {}),
      ...(selection.fieldSelector ? { fieldSelector: selection.fieldSelector } : {}),
      limit: 500,
      ...(token ? { continue: token } : {}),
    });
    items.push(...list.items);
    token = list.metadata.continue;
    if (!token) break;
  }
  return items;
}

/** The object NAME; for events, the events of the object NAME (as `cloudctl get events NAME` lists them). */
export async function getKubeObjects(s: Session, kind: ListedKind, name: string): Promise<KubeObject[]> {
  if (kind === "events") return listKubeObjects(s, kind, { fieldSelector: `involvedObject.name=${name}` });
  const { object } = await s.client.manifests.get.query({
    kind: apiKindOf[kind],
    name,
    ...(s.namespace ? { namespace: s.namespace } : {}),
  });
  return [object];
}

/** kubectl's list of what it got: a `v1 List` with an empty resourceVersion. */
export function kubectlList(items: KubeObject[]) {
  return { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } };
}

/** An object or list as `kubectl get -o json|yaml` prints it (without the final newline). */
export function printKube(value: unknown, format: "json" | "yaml"): string {
  const sorted = sortKeys(value);
  if (format === "yaml") return YAML.stringify(sorted, { indentSeq: false }).trimEnd();
  return goEscapes(JSON.stringify(sorted, null, 4));
}

/** Keys in code-point order at every level, as Go's encoding/json orders a map's. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

/** Go's json.Marshal escapes <, >, & and the two JavaScript line separators; they occur only inside strings. */
function goEscapes(text: string): string {
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
