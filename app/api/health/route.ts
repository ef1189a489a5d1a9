import { sql } from "drizzle-orm";
import { getServices, waitingForDataFolder } from "@/server/runtime";

export const dynamic = "force-dynamic";

/**
 * Liveness and readiness in one: the database answers and the engine runs, here or, on a
 * standby, in another process (`engine.role`: leader, standby, or lost while it steps down).
 * A standby is healthy: it serves the console and takes over when the leader ends. On a
 * PostgreSQL server its engine follows the change log: `engine.pods`/`nodes` are what it holds and
 * `engine.follower` says how current it is (`revision`, `lag` in revisions behind the last commit
 * it was told of). On PGlite a standby has not opened the database yet (another server has its
 * folder): it says so at once.
 */
export async function GET(): Promise<Response> {
  if (waitingForDataFolder())
    return Response.json({
      status: "ok",
      database: { status: "standby", kind: "pglite" },
      engine: { status: "standby", role: "standby" },
    });
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
