/**
 * `POST /api/kubeconfig` with `Authorization: Bearer <token>`: the kubeconfig for that token
 * (YAML, as a download). The token is the credential and the payload: nothing is minted, so
 * the console's download button and `cloudctl kubeconfig` both send the token the user
 * already holds. No cookies are read. Errors are JSON `{ error: { message, code } }` as the
 * other /api routes answer; the call spends one read of the token's budget.
 */
import { bearerToken } from "../auth/principal";
import { type CallLimiter, sharedCallLimiter, tooManyCallsMessage } from "../http/rate-limit";
import type { Services } from "../services";
import { authenticate } from "./auth";
import { kubeconfigFor } from "./kubeconfig";
import { KubeError } from "./status";

export function createKubeconfigHandler(o: { getServices: () => Promise<Services>; limiter?: CallLimiter }) {
  const limiter = o.limiter ?? sharedCallLimiter();
  return async (request: Request): Promise<Response> => {
    if (request.method !== "POST")
      return error(405, "METHOD_NOT_ALLOWED", "Use POST with an Authorization: Bearer <token> header.");
    const services = await o.getServices();
    try {
      const caller = await authenticate(services, request.headers);
      const verdict = await limiter.take(caller.principal, "read", 1);
      if (!verdict.ok)
        return error(429, "TOO_MANY_REQUESTS", tooManyCallsMessage("read", limiter.limits, verdict.retryAfterSeconds), {
          "retry-after": String(verdict.retryAfterSeconds),
        });
      const name = caller.tenantSlug ?? "operator";
      const yaml = await kubeconfigFor(
        services.db,
        services.engine,
        caller,
        bearerToken(request.headers) as string,
        name,
      );
      return new Response(yaml, {
        headers: {
          "content-type": "application/yaml; charset=utf-8",
          "content-disposition": `attachment; filename="kubeconfig-${name}.yaml"`,
          "cache-control": "no-store",
        },
      });
    } catch (e) {
      if (e instanceof KubeError)
        return error(e.code, e.reason === "Unauthorized" ? "UNAUTHORIZED" : "FORBIDDEN", e.message);
      throw e;
    }
  };
}

function error(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return Response.json({ error: { message, code } }, { status, headers: { "cache-control": "no-store", ...headers } });
}
