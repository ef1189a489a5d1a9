import { defineConfig } from "drizzle-kit";

// Generation only: migrations are applied by the server at start (db/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
