import { expect, test, type Page } from "@playwright/test";
import { existingUser, freshEmail } from "./accounts";

/**
 * Issue 11, point 7, at sign-in and sign-up: better-auth answers in English with a code; the
 * form says each answer in the reader's language, at the field it concerns, and a throttled
 * sign-in says how long to wait (from Retry-After).
 */
async function inChinese(page: Page, baseURL: string | undefined) {
  await page.context().addCookies([{ name: "tc-locale", value: "zh-CN", url: baseURL ?? "" }]);
}

test("in Chinese, sign-in and sign-up refusals are Chinese and at their field", async ({ page, baseURL }) => {
  await inChinese(page, baseURL);
  await page.goto("/sign-up");
  await page.getByLabel("姓名").fill("Weak Password");
  await page.getByLabel("邮箱").fill(freshEmail("weak"));
  const password = page.getByLabel("密码");
  await password.fill("password1");
  await page.getByRole("button", { name: "创建账号" }).click();
  await expect(password).toHaveAccessibleDescription(/此密码太容易被猜到/);

  await page.goto("/sign-in");
  await page.getByLabel("邮箱").fill(existingUser.email);
  await page.getByLabel("密码").fill("not-the-password-1");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByText("邮箱或密码错误。")).toBeVisible();
  await expect(page.getByText(/Invalid email or password/)).toHaveCount(0);
});

test("a throttled sign-in says, in Chinese, how many seconds to wait", async ({ page, baseURL }) => {
  await inChinese(page, baseURL);
  await page.goto("/sign-in");
  const email = freshEmail("guessed");
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("密码").fill("wrong-password-1");
  const button = page.getByRole("button", { name: "登录" });
  // Five free attempts per account; the sixth is held back with a Retry-After.
  for (let i = 0; i < 5; i++) {
    const answered = page.waitForResponse((r) => r.url().endsWith("/api/auth/sign-in/email"));
    await button.click();
    expect((await answered).status()).toBe(401);
    await expect(button).toBeEnabled();
  }
  const throttled = page.waitForResponse((r) => r.url().endsWith("/api/auth/sign-in/email"));
  await button.click();
  expect((await throttled).status()).toBe(429);
  await expect(page.getByText(/^失败次数过多，请在 \d+ 秒后重试。$/)).toBeVisible();
});
