import { expect, test } from "@playwright/test";
import { freshEmail } from "./accounts";
import { createTenantThroughUi, signUpThroughUi, trpcMutate } from "./helpers";

/**
 * Point 7: in Chinese, a quota refusal, a top-up over the limit and the engine's events read in
 * Chinese (no raw `exceeded quota: …` or `amountMinor: …`), while reason codes stay as they are.
 */
test("in Chinese, refusals and events are in Chinese, at the row or field they concern", async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(180_000);
  await signUpThroughUi(page, freshEmail("i18n"));
  await createTenantThroughUi(page, "I18n Lab");
  // 8 pods of 4 cores use the default quota's 32 cores: one more is refused.
  const template = {
    spec: {
      containers: [{ name: "app", image: "nginx:1.27", resources: { requests: { cpu: "4", memory: "256Mi" } } }],
    },
  };
  await trpcMutate(page, "deployments.create", { name: "big", replicas: 6, template });
  await trpcMutate(page, "deployments.scale", { name: "big", replicas: 8 });

  await context.addCookies([{ name: "tc-locale", value: "zh-CN", url: baseURL ?? "" }]);
  await page.goto("/workloads");
  await page.getByRole("button", { name: "扩容 big" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "无法调整 big 的副本数" });
  await expect(refusal).toContainText("超出租户配额：CPU：再申请 4，已用 32，上限 32");
  await expect(refusal).not.toContainText("exceeded quota");

  await page.goto("/billing");
  await page.getByLabel(/^金额/).fill("200000");
  await page.getByRole("button", { name: "充值", exact: true }).click();
  const topUp = page.getByRole("alert").filter({ hasText: "单次充值金额最多为 100,000.00。" });
  await expect(topUp).toBeVisible();
  await expect(topUp).not.toContainText("amountMinor");

  await page.goto("/workloads/big");
  const events = page.getByRole("table", { name: "事件" });
  const scaled = events.getByRole("row").filter({ hasText: "ScalingReplicaSet" }).first();
  await expect(scaled).toContainText(/已将副本集 big-\S+ (从 \d+ )?扩容到 \d+/);
  await expect(events).not.toContainText("Scaled up replica set");
});
