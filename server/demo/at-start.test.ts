import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "@/server/testing/harness";
import { demoOperatorEmail, loadDemoAtStart } from "./at-start";

let installations: Harness[];
beforeAll(async () => {
  installations = [await createHarness(), await createHarness()];
}, 120_000);
afterAll(async () => Promise.all(installations.map((h) => h.close())));

async function startWithDemo(h: Harness): Promise<string[]> {
  const lines: string[] = [];
  await loadDemoAtStart(h.services, (line) => lines.push(line));
  return lines;
}

const signIn = (h: Harness, password: string) =>
  h.services.auth.api
    .signInEmail({ body: { email: demoOperatorEmail, password }, asResponse: true })
    .then((r) => r.status);

describe("the demo operator", () => {
  it("gets a password of its own per installation, printed once at start, and not the published one", async () => {
    const printed: string[] = [];
    for (const h of installations) {
      const lines = await startWithDemo(h);
      const password = /demo@tenant-cloud\.local \/ (\S+)/.exec(lines.join("\n"))?.[1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      printed.push(password!);
      expect(await signIn(h, password!)).toBe(200);
      expect(await signIn(h, "demo-password")).toBe(401);
      // A second start finds the operator and prints no password.
      expect((await startWithDemo(h)).join("\n")).not.toContain(password!);
    }
    expect(printed[0]).not.toBe(printed[1]);
  }, 120_000);
});
