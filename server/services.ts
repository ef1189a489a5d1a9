/**
 * The server's long-lived pieces, built once per process: the database, auth and the engine.
 * Tests build their own with `createServices` on a throw-away database.
 */
import type { DatabaseHandle } from "@/db/client";
import { createAuth, type Auth } from "./auth/auth";

export interface Services {
  db: DatabaseHandle["db"];
  database: DatabaseHandle;
  auth: Auth;
  config: ServiceConfig;
  /** The engine's state for /api/health. */
  engineHealth(): { status: string };
}

export interface ServiceConfig {
  baseURL: string;
  secret: string;
  operatorEmail?: string;
  trustedOrigins?: string[];
}

export function createServices(database: DatabaseHandle, config: ServiceConfig): Services {
  const auth = createAuth({ db: database.db, ...config });
  return { db: database.db, database, auth, config, engineHealth: () => ({ status: "not-started" }) };
}
