import { scrape } from "@/server/monitoring/scrape";
import { getServices } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint (text exposition format), authenticated by an API token. */
export async function GET(request: Request): Promise<Response> {
  const result = await scrape(await getServices(), request.headers);
  return new Response(result.body, { status: result.status, headers: { "content-type": result.contentType } });
}
