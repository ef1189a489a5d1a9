/**
 * A fresh, empty database on the PostgreSQL server of TEST_DATABASE_URL, by URL, for tests that
 * need more than one process or connection on it (the engine's lease). Dropped by `drop`,
 * with whatever is still connected.
 */
import { randomBytes } from "node:crypto";

export interface ServerTestDatabase {
  url: string;
  drop(): Promise<void>;
}

export const serverUrl = process.env.TEST_DATABASE_URL;

export async function createServerTestDatabase(): Promise<ServerTestDatabase> {
  if (!serverUrl) throw new Error("TEST_DATABASE_URL is not set");
  const { default: pg } = await import("pg");
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const name = `tc_test_${randomBytes(6).toString("hex")}`;
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
