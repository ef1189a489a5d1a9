/**
 * The process-wide services, built once: opening the database, applying migrations and
 * (later) starting the engine. Kept on globalThis because instrumentation.ts and the route
 * handlers are separate bundles, and dev reloads must not open a second database.
 * Never called during `next build`.
 */
import { randomBytes } from "node:crypto";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { getOrCreateSetting } from "@/db/queries/settings";
import { createRealClock } from "./engine";
import { parseRetention } from "./monitoring/retention-config";
import { createServices, type Services } from "./services";

const globalKey = Symbol.for("tenant-cloud.services");
type GlobalWithServices = typeof globalThis & { [globalKey]?: Promise<Services> };

export function getServices(): Promise<Services> {
  const g = globalThis as GlobalWithServices;
  g[globalKey] ??= startServices().catch((error: unknown) => {
    delete g[globalKey]; // let the next request try again rather than fail forever
    throw error;
  });
  return g[globalKey];
}

async function startServices(): Promise<Services> {
  const monitoringRetention = parseRetention(process.env.METRICS_RETENTION); // before anything opens: bad text stops here
  const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? "./.data" });
  await migrateDatabase(database);
  const port = process.env.PORT ?? "3000";
  const baseURL = process.env.BETTER_AUTH_URL ?? `http://localhost:${port}`;
  // A zero-set-up install still gets a strong, stable secret: generated once, kept in the database.
  const secret =
    process.env.BETTER_AUTH_SECRET ??
    (await getOrCreateSetting(database.db, "auth_secret", () => randomBytes(32).toString("base64url")));
  const services = createServices(
    database,
    {
      baseURL,
      secret,
      operatorEmail: process.env.OPERATOR_EMAIL || undefined,
      trustedOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
    },
    {
      // ENGINE_TIME_SCALE > 1 runs modelled time faster (demos, browser tests); 1 is real time.
      clock: createRealClock(Number(process.env.ENGINE_TIME_SCALE ?? "1")),
      monitoringRetention,
    },
  );
  await services.start();
  if (process.env.LOAD_DEMO === "1") {
    const { loadDemoAtStart } = await import("./demo/at-start");
    await loadDemoAtStart(services);
  }
  console.log(`[tenant-cloud] database: ${database.kind} (${database.location}); console at ${baseURL}`);
  return services;
}
