/**
 * `npm run demo`: loads the demo when the server starts. The demo tenants belong to the
 * installation's first operator; on a fresh installation a demo operator account is made with
 * a password generated for this installation, printed once here and stored nowhere else (only
 * its hash, by better-auth), so no published password opens any demo installation.
 */
import { randomBytes } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { user } from "@/db/schema";
import type { Services } from "../services";
import { loadDemo } from "./load-demo";

export const demoOperatorEmail = "demo@tenant-cloud.local";

/** 24 random bytes, URL-safe: 32 characters, about 192 bits. */
export const generateDemoPassword = () => randomBytes(24).toString("base64url");

export async function loadDemoAtStart(services: Services, log: (line: string) => void = console.log): Promise<void> {
  let [owner] = await services.db
    .select({ id: user.id, email: user.email })
    .from(user)
    .where(eq(user.isOperator, true))
    .orderBy(asc(user.createdAt))
    .limit(1);
  if (!owner) {
    const findDemo = async () =>
      (
        await services.db.select({ id: user.id, email: user.email }).from(user).where(eq(user.email, demoOperatorEmail))
      )[0];
    if (!(await findDemo())) {
      const password = generateDemoPassword();
      await services.auth.api.signUpEmail({ body: { email: demoOperatorEmail, password, name: "Demo Operator" } });
      log(`[demo] signed up the demo operator: ${demoOperatorEmail} / ${password} (shown this once; keep it)`);
    }
    owner = await findDemo();
    if (!owner) throw new Error("the demo operator could not be created");
  }
  const result = await loadDemo(services.db, services.engine, owner.id);
  log(
    `[demo] demo tenants ${result.tenants.join(", ")} (${result.created.length ? `created: ${result.created.join(", ")}` : "already loaded"}), owned by ${owner.email}`,
  );
}
