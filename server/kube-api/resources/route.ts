/**
 * Which handler answers a resource request: by resource, subresource and method, refusing
 * (405) whatever the catalog does not list for it.
 */
import type { ServedResource, VirtualResource } from "../catalog";
import type { KubeRequest } from "../context";
import { KubeError } from "../status";
import { connectivityCheck } from "./connectivity-check";
import { podLogs } from "./logs";
import { metrics } from "./metrics";
import { getObject, listObjects } from "./read";
import { accessReview, selfSubjectReview } from "./reviews";
import { writeObject } from "./write";
import { WRITE_VERBS } from "../write-verbs";

const methodNotAllowed = (method: string, what: string) =>
  new KubeError(
    "MethodNotAllowed",
    `the server does not allow this method on the requested resource (${method} ${what})`,
  );

export async function routeResource(
  req: KubeRequest,
  served: ServedResource | undefined,
  virtual: VirtualResource | undefined,
): Promise<Response> {
  const { target: t, method } = req;
  if (virtual) {
    if (virtual.group === "metrics.k8s.io") {
      if (method !== "GET") throw methodNotAllowed(method, virtual.name);
      return metrics(req, virtual);
    }
    if (method !== "POST") throw methodNotAllowed(method, virtual.name);
    if (virtual.name === "connectivitychecks") {
      if (t.name || t.namespace === undefined)
        throw new KubeError("NotFound", `the server could not find the requested resource (${req.url.pathname})`);
      return connectivityCheck(req);
    }
    return virtual.name === "selfsubjectaccessreviews" ? accessReview(req) : selfSubjectReview(req);
  }
  const s = served as ServedResource;
  if (t.namespace !== undefined && !s.def.namespaced)
    throw new KubeError("NotFound", `the server could not find the requested resource (${req.url.pathname})`);
  if (t.subresource) {
    const sub = s.served.subresources.find((x) => x.name === t.subresource);
    if (!sub || !t.name)
      throw new KubeError("NotFound", `the server could not find the requested resource (${req.url.pathname})`);
    if (s.def.kind === "Pod" && sub.name === "log") {
      if (method !== "GET") throw methodNotAllowed(method, "pods/log");
      return podLogs(req, s, t.name);
    }
    if (method === "GET" && sub.name === "status") return getObject(req, s, t.name);
    return writeObject(req, s);
  }
  if (method === "GET") return t.name ? getObject(req, s, t.name) : listObjects(req, s);
  const verb = WRITE_VERBS[method];
  if (!verb || !s.served.verbs.includes(verb)) throw methodNotAllowed(method, s.def.plural);
  return writeObject(req, s);
}
