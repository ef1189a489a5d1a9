/**
 * `npm run demo`: loads the demo when the server starts. The demo tenants belong to the
 * installation's first operator; on a fresh installation a demo operator account is made
 * and its sign-in printed, so a new user sees a working cluster in the first minute.
 */
import { asc, eq } from "drizzle-orm";
import { user } from "@/db/schema";
import type { Services } from "../services";
import { loadDemo } from "./load-demo";

export const demoOperator = { email: "demo@tenant-cloud.local", password: "demo-password", name: "Demo Operator" };

export async function loadDemoAtStart(services: Services): Promise<void> {
  let [owner] = await services.db.select({ id: user.id, email: user.email }).from(user).where(eq(user.isOperator, true)).orderBy(asc(user.createdAt)).limit(1);
  if (!owner) {
    const created = await services.auth.api.signUpEmail({ body: demoOperator });
    owner = { id: created.user.id, email: demoOperator.email };
    console.log(`[demo] signed up the demo operator: ${demoOperator.email} / ${demoOperator.password}`);
  }
  const result = await loadDemo(services.db, services.engine, owner.id);
  console.log(`[demo] demo tenants ${result.tenants.join(", ")} (${result.created.length ? `created: ${result.created.join(", ")}` : "already loaded"}), owned by ${owner.email}`);
}
