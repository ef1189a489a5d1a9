import { sql } from "drizzle-orm";
import { getServices } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** Liveness and readiness in one: the database answers and the engine runs. */
export async function GET(): Promise<Response> {
  try {
    const services = await getServices();
    const started = performance.now();
    await services.db.execute(sql`select 1`);
    const database = { status: "ok", kind: services.database.kind, latencyMs: Math.round(performance.now() - started) };
    return Response.json({ status: "ok", database, engine: services.engineHealth() });
  } catch (error) {
    console.error("[health]", error);
    return Response.json({ status: "error", database: { status: "error" } }, { status: 503 });
  }
}
