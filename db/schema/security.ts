/** Sign-in throttling: failed attempts per key ("email:<addr>" or "ip:<addr>") in a window. */
import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const signInAttempt = pgTable("sign_in_attempt", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
});
