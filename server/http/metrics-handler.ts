/**
 * The Prometheus scrape endpoint as an HTTP handler, used by the Next route
 * (app/api/metrics/route.ts) and by the test server, so HTTP-level tests exercise the code
 * production runs: the scrape (server/monitoring/scrape.ts), limited by the call budgets.
 */
import { scrape } from "../monitoring/scrape";
import type { Services } from "../services";
import { type CallLimiter, sharedCallLimiter } from "./rate-limit";

export const metricsEndpoint = "/api/metrics";

export function createMetricsHandler(getServices: () => Promise<Services>, limiter: CallLimiter = sharedCallLimiter()) {
  return async function handleMetrics(request: Request): Promise<Response> {
    const result = await scrape(await getServices(), request.headers, limiter);
    return new Response(result.body, {
      status: result.status,
      headers: { ...result.headers, "content-type": result.contentType },
    });
  };
}
