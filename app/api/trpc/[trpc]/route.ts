import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { checkCrossSite, readLimitedBody } from "@/server/http/guards";
import { getServices } from "@/server/runtime";
import { createContext } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

export const dynamic = "force-dynamic";

async function handler(request: Request): Promise<Response> {
  const crossSite = checkCrossSite(request);
  if (!crossSite.ok) return jsonError(crossSite.status, "FORBIDDEN", crossSite.message);
  const body = await readLimitedBody(request);
  if (!body.ok) return jsonError(body.status, "PAYLOAD_TOO_LARGE", body.message);
  const services = await getServices();
  const req = new Request(request.url, { method: request.method, headers: request.headers, body: body.body });
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext(services, request.headers),
  });
}

function jsonError(status: number, code: string, message: string): Response {
  return Response.json({ error: { message, code, data: { code, httpStatus: status } } }, { status });
}

export { handler as GET, handler as POST };
