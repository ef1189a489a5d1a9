/**
 * The Kubernetes API as one fetch-style handler, (Request) => Response, served by the HTTPS
 * listener (http/listener.ts) and called in-process by tests.
 *
 * In order, for every request: the body bound (413 past 1.5 MiB), the caller (API tokens
 * only: 401/403), the caller's call budget (the same limiter and budgets as tRPC: GET is a
 * read, anything else a write; a token that does not resolve spends its address's budget;
 * 429 with Retry-After), then the route. Every write is audited as the tRPC mutations are
 * (actor, token, tenant, action `kube.<verb> <resource>`, target, outcome); reads are not,
 * as tRPC queries are not. Every error is a Kubernetes Status; nothing throws past here.
 */
import { randomUUID } from "node:crypto";
import { writeAuditEntrySoon } from "@/db/queries/audit";
import { writeVerbOf } from "./write-verbs";
import type { Services } from "../services";
import { authenticate, type Caller } from "./auth";
import { readLimitedBytes } from "../http/guards";
import { type CallLimiter, sharedCallLimiter, tooManyCallsMessage } from "../http/rate-limit";
import { servedResource, virtualResource } from "./catalog";
import type { KubeRequest, ResourceTarget } from "./context";
import { json } from "./context";
import {
  AGGREGATED_V2,
  aggregatedDiscovery,
  apiGroupList,
  apiGroupOf,
  apiResourceList,
  apiVersions,
  isServedGroupVersion,
  SERVER_VERSION,
  wantsAggregated,
} from "./discovery";
import { conversionContext } from "./objects";
import { openApiResponse } from "./openapi-routes";
import { parsePath } from "./router";
import { routeResource } from "./resources/route";
import { KubeError, statusOf, statusResponse, toStatus } from "./status";

/** Kubernetes' own limit on a request body. */
export const MAX_BODY_BYTES = 1.5 * 1024 * 1024;

export interface KubeHandlerOptions {
  getServices: () => Promise<Services>;
  limiter?: CallLimiter;
  /** The socket's address (the listener knows it): whose budget an unresolved token spends. */
  clientAddress?: (request: Request) => string | null;
  /** The URL clients reach this API at (for /api's serverAddressByClientCIDRs). */
  serverAddress?: string;
  /**
   * The caller when it is known already (the console, in process: its tRPC call resolved the
   * session and spent the call's budget): no token is read and no budget spent here.
   */
  caller?: Caller;
}

export type KubeHandler = (request: Request) => Promise<Response>;

export function createKubeHandler(options: KubeHandlerOptions): KubeHandler {
  const limiter = options.limiter ?? sharedCallLimiter();
  return async (request) => {
    const requestId = randomUUID();
    const url = new URL(request.url);
    const path = parsePath(url.pathname);
    const target: ResourceTarget | undefined =
      path.type === "resource"
        ? {
            group: path.group,
            version: path.version,
            namespace: path.namespace,
            resource: path.resource,
            name: path.name,
            subresource: path.subresource,
          }
        : undefined;
    let caller: Caller | undefined;
    let services: Services | undefined;
    const writing = request.method !== "GET" && request.method !== "HEAD";
    const warnings: string[] = [];
    let response: Response;
    try {
      const body = writing ? await readBody(request) : undefined;
      services = await options.getServices();
      if (options.caller) caller = options.caller;
      else {
        try {
          caller = await authenticate(services, request.headers);
        } catch (error) {
          if (error instanceof KubeError && error.reason === "Unauthorized" && request.headers.get("authorization")) {
            const verdict = await limiter.takeForAddress(
              options.clientAddress?.(request) ?? null,
              writing ? "write" : "read",
              1,
            );
            if (!verdict.ok) throw tooMany(limiter, writing, verdict.retryAfterSeconds);
          }
          throw error;
        }
        const verdict = await limiter.take(caller.principal, writing ? "write" : "read", 1);
        if (!verdict.ok) throw tooMany(limiter, writing, verdict.retryAfterSeconds);
      }
      const engine = services.engine;
      const clock = services.clock;
      const req = (t: ResourceTarget): KubeRequest => ({
        request,
        url,
        method: request.method,
        services: services as Services,
        engine,
        caller: caller as Caller,
        target: t,
        requestId,
        body,
        conversion: () => conversionContext(engine, () => clock.now()),
        warnings,
      });
      response = await route(request, url, path, target, req, options);
    } catch (error) {
      const { status, headers } = toStatus(error, targetOf(target), requestId);
      response = statusResponse(status, headers);
    }
    if (writing && caller && services && target)
      await audit(services, caller, request.method, target, response, requestId);
    for (const w of warnings) response.headers.append("warning", `299 - ${JSON.stringify(w)}`);
    return response;
  };
}

function tooMany(limiter: CallLimiter, writing: boolean, retryAfterSeconds: number): KubeError {
  const kind = writing ? "write" : "read";
  return new KubeError(
    "TooManyRequests",
    tooManyCallsMessage(kind, limiter.limits, retryAfterSeconds),
    { retryAfterSeconds },
    { "retry-after": String(retryAfterSeconds) },
  );
}

async function route(
  request: Request,
  url: URL,
  path: ReturnType<typeof parsePath>,
  target: ResourceTarget | undefined,
  req: (t: ResourceTarget) => KubeRequest,
  options: KubeHandlerOptions,
): Promise<Response> {
  const get = request.method === "GET";
  const accept = request.headers.get("accept");
  if (url.pathname.startsWith("/openapi/")) {
    if (!get) throw methodNotAllowed(request.method);
    const answer = openApiResponse(url, accept);
    if (answer) return answer;
  }
  switch (path.type) {
    case "version":
      if (!get) throw methodNotAllowed(request.method);
      return json(SERVER_VERSION);
    case "api":
      if (!get) throw methodNotAllowed(request.method);
      if (wantsAggregated(accept)) return json(aggregatedDiscovery(true), 200, { "content-type": AGGREGATED_V2 });
      return json(apiVersions(options.serverAddress ?? url.host));
    case "apis":
      if (!get) throw methodNotAllowed(request.method);
      if (wantsAggregated(accept)) return json(aggregatedDiscovery(false), 200, { "content-type": AGGREGATED_V2 });
      return json(apiGroupList());
    case "group": {
      const group = apiGroupOf(path.group);
      if (!group || !get) throw notFoundPath(url);
      return json(group);
    }
    case "groupVersion":
      if (!get || !isServedGroupVersion(path.group, path.version)) throw notFoundPath(url);
      return json(apiResourceList(path));
    case "resource": {
      const t = target as ResourceTarget;
      const served = servedResource(t.group, t.version, t.resource);
      const virtual = served ? undefined : virtualResource(t.group, t.version, t.resource);
      if (!served && !virtual) throw notFoundPath(url);
      return routeResource(req(t), served, virtual);
    }
    default:
      throw notFoundPath(url);
  }
}

export const methodNotAllowed = (method: string) =>
  new KubeError("MethodNotAllowed", `the server does not allow this method on the requested resource (${method})`);

const notFoundPath = (url: URL) =>
  new KubeError("NotFound", `the server could not find the requested resource (${url.pathname})`);

function targetOf(t: ResourceTarget | undefined) {
  if (!t) return {};
  const kind = servedResource(t.group, t.version, t.resource)?.def.apiKind;
  return { ...(t.name ? { name: t.name } : {}), group: t.group, resource: t.resource, ...(kind ? { kind } : {}) };
}

async function readBody(request: Request): Promise<Uint8Array | undefined> {
  const bytes = await readLimitedBytes(request, MAX_BODY_BYTES);
  if (bytes === "too large") throw tooLarge();
  return bytes ?? undefined;
}

const tooLarge = () =>
  new KubeError("RequestEntityTooLarge", `the request body is larger than ${MAX_BODY_BYTES} bytes (1.5 MiB)`);

async function audit(
  services: Services,
  caller: Caller,
  method: string,
  t: ResourceTarget,
  response: Response,
  requestId: string,
): Promise<void> {
  const ok = response.status < 400;
  const resource = t.subresource ? `${t.resource}/${t.subresource}` : t.resource;
  await writeAuditEntrySoon(services.db, {
    actorId: caller.principal.user.id,
    actorEmail: caller.principal.user.email,
    via: caller.principal.kind === "token" ? `token:${caller.principal.tokenName}` : "session",
    tenantId: caller.tenantId,
    action: `kube.${writeVerbOf(method)} ${resource}`,
    target: [t.namespace, t.name].filter(Boolean).join("/") || null,
    outcome: ok ? "success" : "failure",
    detail: ok ? null : { error: `HTTP ${response.status}` },
  }).catch((cause: unknown) => console.error(`[kube-api ${requestId}] audit write failed`, cause));
}

export { statusOf };
