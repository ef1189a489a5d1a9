/**
 * Sign-in throttling, per key ("email:<account>" or "ip:<address>"): `failures` counts the
 * attempts of the window not known to have succeeded (each is reserved before its password is
 * checked); `lockedUntil` is the back-off, before which the key gets no password check.
 */
import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const signInAttempt = pgTable("sign_in_attempt", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
});
