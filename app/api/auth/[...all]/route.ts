import { publicAuthPaths } from "@/server/auth/auth";
import { readLimitedBody } from "@/server/http/guards";
import { getServices } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** Only the sign-up, sign-in, sign-out and session endpoints of better-auth are public. */
async function handler(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname.replace(/^\/api\/auth/, "");
  if (!publicAuthPaths.has(path)) return Response.json({ message: "Not found." }, { status: 404 });
  const body = await readLimitedBody(request, 64 * 1024);
  if (!body.ok) return Response.json({ message: body.message }, { status: body.status });
  const { auth } = await getServices();
  return auth.handler(new Request(request.url, { method: request.method, headers: request.headers, body: body.body }));
}

export { handler as GET, handler as POST };
