/**
 * Kubernetes API paths, parsed: discovery paths, and resource paths
 * `/api/v1[/namespaces/<ns>]/<resource>[/<name>[/<subresource>]]` and the same under
 * `/apis/<group>/<version>`. `/api/v1/namespaces/<name>[/<sub>]` is the Namespace itself.
 */
export type ParsedPath =
  | { type: "version" }
  | { type: "api" }
  | { type: "apis" }
  | { type: "group"; group: string }
  | { type: "groupVersion"; group: string; version: string }
  | {
      type: "resource";
      group: string;
      version: string;
      namespace?: string;
      resource: string;
      name?: string;
      subresource?: string;
    }
  | { type: "unknown" };

const SEGMENT = /^[A-Za-z0-9._:~-]{1,253}$/;

export function parsePath(pathname: string): ParsedPath {
  const trimmed = pathname.replace(/\/+$/, "");
  if (trimmed === "/version") return { type: "version" };
  if (trimmed === "/api") return { type: "api" };
  if (trimmed === "/apis") return { type: "apis" };
  let parts: string[];
  try {
    parts = trimmed.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return { type: "unknown" };
  }
  if (parts.some((p) => !SEGMENT.test(p))) return { type: "unknown" };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === "api" && parts[1]) {
    group = "";
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts[1]) {
    group = parts[1];
    if (!parts[2]) return { type: "group", group };
    version = parts[2];
    rest = parts.slice(3);
  } else return { type: "unknown" };
  if (rest.length === 0) return { type: "groupVersion", group, version };
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const [, namespace, resource, name, subresource, ...extra] = rest;
    if (extra.length || !resource) return { type: "unknown" };
    // /api/v1/namespaces/<ns>/status|finalize: subresources of the Namespace itself.
    if (group === "" && name === undefined && (resource === "status" || resource === "finalize"))
      return { type: "resource", group, version, resource: "namespaces", name: namespace, subresource: resource };
    return { type: "resource", group, version, namespace, resource, name, subresource };
  }
  const [resource, name, subresource, ...extra] = rest;
  if (extra.length || !resource) return { type: "unknown" };
  return { type: "resource", group, version, resource, name, subresource };
}
