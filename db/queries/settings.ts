import { eq } from "drizzle-orm";
import type { Database } from "../client";
import { appSetting } from "../schema";

/** Returns the stored value, storing `create()` first when none exists (race-safe). */
export async function getOrCreateSetting(db: Database, key: string, create: () => string): Promise<string> {
  await db.insert(appSetting).values({ key, value: create() }).onConflictDoNothing();
  const [row] = await db.select({ value: appSetting.value }).from(appSetting).where(eq(appSetting.key, key));
  if (!row) throw new Error(`setting ${key} could not be stored`);
  return row.value;
}
