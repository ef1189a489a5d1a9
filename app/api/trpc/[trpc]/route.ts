import { createTrpcHandler } from "@/server/http/trpc-handler";
import { getServices } from "@/server/runtime";

export const dynamic = "force-dynamic";

const handler = createTrpcHandler({ getServices });

export { handler as GET, handler as POST };
