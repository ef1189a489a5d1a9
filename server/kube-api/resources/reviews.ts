/**
 * authorization.k8s.io/v1 SelfSubjectAccessReview (`kubectl auth can-i`) and
 * authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`), answered from the
 * same rules the handlers enforce (permissions.ts), so can-i says what would happen.
 */
import { json, type KubeRequest } from "../context";
import { parseJsonBody } from "./body";
import { decide } from "../permissions";

export function accessReview(req: KubeRequest): Response {
  const body = parseJsonBody(req) as {
    spec?: { resourceAttributes?: Record<string, unknown>; nonResourceAttributes?: Record<string, unknown> };
  };
  const attrs = body?.spec?.resourceAttributes;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  let verdict: { allowed: boolean; reason: string };
  if (attrs && typeof attrs === "object") {
    verdict = decide(req.engine, req.caller, {
      verb: str(attrs.verb),
      group: str(attrs.group),
      resource: str(attrs.resource),
      subresource: str(attrs.subresource),
      namespace: str(attrs.namespace),
    });
  } else {
    const path = str(body?.spec?.nonResourceAttributes?.path);
    const allowed =
      str(body?.spec?.nonResourceAttributes?.verb) === "get" &&
      (path === "/version" ||
        path === "/api" ||
        path === "/apis" ||
        path.startsWith("/api/") ||
        path.startsWith("/apis/"));
    verdict = { allowed, reason: allowed ? "discovery is open to every token" : "only discovery paths are served" };
  }
  return json(
    {
      kind: "SelfSubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec: body?.spec ?? {},
      status: { allowed: verdict.allowed, ...(verdict.allowed ? {} : { denied: true }), reason: verdict.reason },
    },
    201,
  );
}

export function selfSubjectReview(req: KubeRequest): Response {
  const { caller } = req;
  const groups =
    caller.scope === "operator"
      ? ["system:authenticated", "tenant-cloud:operators"]
      : ["system:authenticated", `tenant-cloud:tenant:${caller.tenantId}`, `tenant-cloud:role:${caller.role}`];
  return json(
    {
      kind: "SelfSubjectReview",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { creationTimestamp: new Date(req.services.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z") },
      status: {
        userInfo: {
          username: caller.username,
          uid: caller.principal.user.id,
          groups,
          extra: { "tenant-cloud/token": [caller.principal.kind === "token" ? caller.principal.tokenName : ""] },
        },
      },
    },
    201,
  );
}
