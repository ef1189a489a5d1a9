/**
 * Billing's texts in the reader's language: the events it records (BalanceNegative,
 * WorkloadsSuspended, WorkloadsRestored, in its own list and in the tenant's event stream) are
 * read by the console's template table, and the growth-freeze refusal carries catalog data
 * that says the engine's English word for word and a real translation in Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listBillingEvents } from "@/db/queries/billing";
import { tenantScope } from "@/db/scope";
import { parseEngineMessage } from "@/i18n/engine-messages";
import { renderMessage } from "@/i18n/render-message";
import { createVirtualClock, isEngineError, type VirtualClock } from "../engine";
import { localizeDetail, translatorFor } from "../i18n/translate";
import { createServices, type Services } from "../services";
import { openTestDatabase } from "../testing/database";
import { HOUR_MS } from "./period";
import { createOrganizations } from "./test-fixtures";

const T = "acme";
const template = {
  spec: { containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] },
};
const billingReasons = new Set(["BalanceNegative", "WorkloadsSuspended", "WorkloadsRestored"]);

let handle: DatabaseHandle;
let clock: VirtualClock;
let services: Services;

beforeAll(async () => {
  handle = await openTestDatabase();
  clock = createVirtualClock(Date.UTC(2026, 2, 3, 9));
  await createOrganizations(handle.db, [T]);
  services = createServices(
    handle,
    { baseURL: "http://localhost:3000", secret: "test-secret-test-secret-test-secret-32" },
    {
      clock,
      billing: { welcomeCreditMinor: 0n, graceMs: 2 * HOUR_MS, suspendAfterMs: HOUR_MS, accountCheckEveryMs: HOUR_MS },
    },
  );
  await services.start();
}, 60_000);
afterAll(async () => {
  await services.stop();
  await handle.close();
});

/** The text is read into keys both catalogs have; English renders it back exactly, Chinese in Chinese. */
function expectTranslated(text: string) {
  const ref = parseEngineMessage(text);
  expect(ref, text).toBeDefined();
  if (!ref) return;
  expect(renderMessage(translatorFor("en"), ref), text).toBe(text);
  const zh = renderMessage(translatorFor("zh-CN"), ref) ?? "";
  expect(zh, text).toMatch(/[\u4e00-\u9fff]/);
  // Only names and numbers stay Latin: no English sentence survives.
  expect(zh.replace(/"?(one|two)"?|[\d\s]/g, ""), text).not.toMatch(/[A-Za-z]{4,}/);
}

describe("billing's texts", () => {
  it("are said in the reader's language: its events, and the growth freeze", async () => {
    await services.engine.createDeployment(T, { name: "one", replicas: 1, template });
    await services.engine.createDeployment(T, { name: "two", replicas: 2, template });
    const owed = await services.billing.balanceOf(T);
    await services.billing.credit(T, "grant", -1_000n - owed.availableMinor, "overdue", null);
    for (let i = 0; i < 2; i++) {
      clock.advance(HOUR_MS);
      await services.billing.idle();
    }
    const frozen = await services.engine.scaleDeployment(T, "one", 5).catch((e: unknown) => e);
    if (!isEngineError(frozen) || frozen.code !== "GROWTH_FROZEN")
      throw new Error(`expected GROWTH_FROZEN, got ${String(frozen)}`);
    expect(localizeDetail(frozen.detail, "en", "")).toBe(frozen.message);
    expect(localizeDetail(frozen.detail, "zh-CN", "")).toBe(
      "账户余额自 2026-03-03 起为负，已超过 2 小时的宽限期：已暂停创建和扩容工作负载。请在“计费”页面充值后继续。",
    );

    clock.advance(HOUR_MS);
    await services.billing.idle();
    await services.billing.credit(T, "topup", 1_000_000n, "paid", null);

    // Billing's own list, and the tenant's event stream (where older events may have aged out).
    const own = await listBillingEvents(handle.db, tenantScope(T), 50);
    const stream = services.engine.listEvents(T, { limit: 1000 }).items.filter((e) => billingReasons.has(e.reason));
    expect(new Set(own.map((e) => e.reason))).toEqual(billingReasons);
    expect(stream.length).toBeGreaterThan(0);
    const texts = [...new Set([...own, ...stream].map((e) => e.message))];
    // Both grammatical numbers of a restore are met (one replica, two replicas).
    expect(texts.filter((t) => t.startsWith("Restored")).sort()).toEqual([
      'Restored deployment "one" to 1 replica: the balance is positive again.',
      'Restored deployment "two" to 2 replicas: the balance is positive again.',
    ]);
    for (const text of texts) expectTranslated(text);
  }, 120_000);
});
