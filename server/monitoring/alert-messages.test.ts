/**
 * Alert events in the reader's language: what the evaluator records when a rule fires and when
 * it resolves is read by the console's template table into keys both catalogs have; English
 * renders it back exactly, Chinese in Chinese. The cpu rule's detail (which needs a minute's
 * series) is checked on the text the evaluator writes for it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createAlertRule } from "@/db/queries/alerts";
import { parseEngineMessage } from "@/i18n/engine-messages";
import { renderMessage } from "@/i18n/render-message";
import { createOrganizations } from "../billing/test-fixtures";
import { startHarness, webDeployment, type Harness } from "../engine/test-kit";
import { translatorFor } from "../i18n/translate";
import { openTestDatabase } from "../testing/database";
import { createAlertEvaluator } from "./alerts";

const T = "acme";
let handle: DatabaseHandle;
let h: Harness;

beforeAll(async () => {
  handle = await openTestDatabase();
  await createOrganizations(handle.db, [T]);
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h.engine.stop();
  await handle.close();
});

function expectTranslated(text: string) {
  const ref = parseEngineMessage(text);
  expect(ref, text).toBeDefined();
  if (!ref) return;
  expect(renderMessage(translatorFor("en"), ref), text).toBe(text);
  const zh = renderMessage(translatorFor("zh-CN"), ref) ?? "";
  expect(zh, text).toMatch(/[\u4e00-\u9fff]/);
  expect(zh, text).not.toMatch(/restart|firing|resolved|threshold|requests/);
}

describe("alert events", () => {
  it("are said in the reader's language when a rule fires and resolves", async () => {
    const { engine } = h;
    await engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 1, maxSize: 1 });
    await engine.settle();
    const d = await engine.createDeployment(T, webDeployment("crash", 1, "myapp:crash"));
    await createAlertRule(handle.db, {
      tenantId: T,
      deploymentId: d.id,
      deploymentName: d.name,
      kind: "restarts",
      threshold: 0,
      forSeconds: 0,
      now: h.clock.now(),
    });
    const alerts = createAlertEvaluator(handle.db, engine, 10_000);
    await alerts.evaluate(h.clock.now());
    await engine.runFor(120_000);
    await alerts.evaluate(h.clock.now());
    await engine.scaleDeployment(T, "crash", 0);
    await engine.runFor(11 * 60_000);
    await alerts.evaluate(h.clock.now());

    const events = engine
      .listEvents(T, { objectKind: "Deployment", objectName: "crash" })
      .items.filter((e) => e.reason.startsWith("Alert"));
    expect(events.map((e) => e.reason).sort()).toEqual(["AlertFiring", "AlertResolved"]);
    for (const e of events) expectTranslated(e.message);
    expectTranslated("Alert cpu_over_request is firing: cpu 900m is 90 % of requests 1 (threshold 80 %)");
    expect(
      renderMessage(
        translatorFor("zh-CN"),
        parseEngineMessage("Alert cpu_over_request resolved: cpu 200m is 20 % of requests 1 (threshold 80 %)") as never,
      ),
    ).toBe("告警“CPU 超出申请量”已解除：CPU 用量 200m，为申请量 1 的 20%（阈值 80%）");
  }, 60_000);
});
