/**
 * The engine's lease: which process may write the engine's objects (db/lease.ts). One row,
 * `id = 1`, created by the first holder. `epoch` grows by one each time a process takes the
 * lease, so a commit can prove, inside its own transaction, that its writer still holds it:
 * an old leader's commit finds another epoch here and is refused (fencing).
 */
import { bigint, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const engineLease = pgTable("engine_lease", {
  id: integer("id").primaryKey(),
  epoch: bigint("epoch", { mode: "number" }).notNull(),
  /** host:pid:random of the process that took this epoch, for logs and /api/health. */
  holder: text("holder").notNull(),
  acquiredAt: timestamp("acquired_at", { withTimezone: true }).notNull(),
});
