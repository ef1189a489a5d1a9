/** Installation-wide settings, such as the generated auth secret of a zero-set-up install. */
import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const appSetting = pgTable("app_setting", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
