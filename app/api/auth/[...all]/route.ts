import { handleAuthRequest } from "@/server/auth/http";
import { getServices } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** Only the sign-up, sign-in, sign-out and session endpoints of better-auth are public. */
async function handler(request: Request): Promise<Response> {
  const { auth } = await getServices();
  return handleAuthRequest(auth, request);
}

export { handler as GET, handler as POST };
