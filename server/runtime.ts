/**
 * The process-wide services, built once: opening the database, applying migrations and
 * starting the engine, or standing by when another process runs it. Kept on globalThis because
 * instrumentation.ts and the route handlers are separate bundles, and dev reloads must not open a
 * second database. Never called during `next build`.
 *
 * One writer (db/lease.ts): on a PostgreSQL server the services hold the engine's lease, or wait
 * for it as a standby that still serves the console: its engine follows the change log, so reads
 * and watches answer with the leader's data while commands answer "standby" (503), and it takes
 * over from what it followed; when a leader loses its lease its engine stops and new services, a
 * standby, replace it here. On PGlite the data folder's lock (db/data-dir-lock.ts) is taken before
 * the database is opened (PGlite is one process's): a second server on the same folder waits for
 * it before anything else, so it serves nothing until the first one ends, then starts cold.
 */
import { randomBytes } from "node:crypto";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { lockDataDir, lockFileOf } from "@/db/data-dir-lock";
import { createLocalLease, createServerLease, newHolderId, whileMigrating } from "@/db/lease";
import { migrateDatabase } from "@/db/migrate";
import { getOrCreateSetting } from "@/db/queries/settings";
import { newSecretsKey, secretsKeyFromEnv } from "@/db/secret-sealing";
import { createRealClock } from "./engine";
import type { RetentionConfig } from "./monitoring/jobs";
import { parseRetention } from "./monitoring/retention-config";
import { createServices, type ServiceConfig, type Services } from "./services";

const globalKey = Symbol.for("tenant-cloud.services");
const waitingKey = Symbol.for("tenant-cloud.waiting-for-data-folder");
const waitingSignalKey = Symbol.for("tenant-cloud.waiting-for-data-folder.signal");
type GlobalWithServices = typeof globalThis & {
  [globalKey]?: Promise<Services>;
  [waitingKey]?: string;
  [waitingSignalKey]?: { promise: Promise<void>; resolve(): void };
};

/**
 * For instrumentation.ts: resolves once the services run (leading or standing by on a server), or
 * as soon as this process waits for another's data folder (PGlite). Next serves no request before
 * `register` resolves, so awaiting the services themselves there would keep a waiting server
 * from answering even /api/health; every route awaits them anyway.
 */
export async function untilServingOrWaiting(): Promise<void> {
  await Promise.race([getServices(), waitingSignal().promise]);
}

function waitingSignal(): { promise: Promise<void>; resolve(): void } {
  const g = globalThis as GlobalWithServices;
  if (!g[waitingSignalKey]) {
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    g[waitingSignalKey] = { promise, resolve };
  }
  return g[waitingSignalKey];
}

/**
 * The lock file this process waits on (PGlite: another server has the data folder), if it does:
 * /api/health answers "standby" from it while every other request waits for the services.
 */
export function waitingForDataFolder(): string | undefined {
  return (globalThis as GlobalWithServices)[waitingKey];
}

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
  const url = process.env.DATABASE_URL || undefined;
  const dataDir = process.env.DATA_DIR ?? "./.data";
  const holder = newHolderId();
  if (!url && !dataDir.startsWith("memory://")) {
    const g = globalThis as GlobalWithServices;
    await lockDataDir(dataDir, {
      holder,
      onWait: (other) => {
        g[waitingKey] = lockFileOf(dataDir);
        waitingSignal().resolve();
        console.log(
          `[tenant-cloud] standby: ${lockFileOf(dataDir)} is held by ${other}; this server starts once that one stops`,
        );
      },
    }).finally(() => {
      delete g[waitingKey];
    });
  }
  const database = await openDatabase({ url, dataDir });
  await (url ? whileMigrating(url, () => migrateDatabase(database)) : migrateDatabase(database));
  const port = process.env.PORT ?? "3000";
  const baseURL = process.env.BETTER_AUTH_URL ?? `http://localhost:${port}`;
  // A zero-set-up install still gets a strong, stable secret: generated once, kept in the database.
  const secret =
    process.env.BETTER_AUTH_SECRET ??
    (await getOrCreateSetting(database.db, "auth_secret", () => randomBytes(32).toString("base64url")));
  // Secrets at rest: the operator's key (SECRETS_ENCRYPTION_KEY), else one generated once and kept in the database.
  const secretsKey =
    secretsKeyFromEnv() ??
    Buffer.from(await getOrCreateSetting(database.db, "secrets_encryption_key", newSecretsKey), "base64");
  const config: ServiceConfig = {
    baseURL,
    secret,
    secretsKey,
    operatorEmail: process.env.OPERATOR_EMAIL || undefined,
    trustedOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
  };
  const services = await startGeneration(database, config, monitoringRetention, url, holder);
  console.log(
    `[tenant-cloud] database: ${database.kind} (${database.location}); engine: ${services.engineHealth().status}; console at ${baseURL}`,
  );
  return services;
}

/**
 * Services over the open database, leading or standing by. When they lose the lease, the next
 * generation (a standby with a new lease) takes their place for every later request.
 */
async function startGeneration(
  database: DatabaseHandle,
  config: ServiceConfig,
  monitoringRetention: RetentionConfig | undefined,
  url: string | undefined,
  holder: string,
): Promise<Services> {
  const services = createServices(database, config, {
    // ENGINE_TIME_SCALE > 1 runs modelled time faster (demos, browser tests); 1 is real time.
    clock: createRealClock(Number(process.env.ENGINE_TIME_SCALE ?? "1")),
    monitoringRetention,
    lease: url ? createServerLease({ url, holder }) : createLocalLease(database.db, holder),
    onLeaseLost: () => {
      // These services answer "standby" meanwhile. A second's pause first, so that an engine that
      // cannot start (and so gives the lease up) does not spin.
      const g = globalThis as GlobalWithServices;
      setTimeout(() => {
        startGeneration(database, config, monitoringRetention, url, newHolderId()).then(
          (next) => {
            g[globalKey] = Promise.resolve(next);
            console.log(`[tenant-cloud] engine: ${next.engineHealth().status} again after losing the lease`);
          },
          (error: unknown) => {
            console.error(
              "[tenant-cloud] could not stand by again after losing the lease; the next request retries",
              error,
            );
            delete g[globalKey];
          },
        );
      }, 1_000);
    },
  });
  await services.start();
  if (process.env.LOAD_DEMO === "1") {
    const { loadDemoAtStart } = await import("./demo/at-start");
    const loading = services.whenLeader().then(() => loadDemoAtStart(services));
    // A standby loads it once it leads; the first leader before it serves.
    if (services.role().role === "leader") await loading;
    else loading.catch((error: unknown) => console.error("[tenant-cloud] demo", error));
  }
  return services;
}
