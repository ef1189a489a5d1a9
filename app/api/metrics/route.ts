import { createMetricsHandler } from "@/server/http/metrics-handler";
import { getServices } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint (text exposition format), authenticated by an API token. */
export const GET = createMetricsHandler(getServices);
