import { expect, type Page } from "@playwright/test";
import { password } from "./accounts";

export async function signUpThroughUi(page: Page, email: string, name = "E2E User") {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("user-email")).toHaveText(email);
}

export async function signInThroughUi(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-email")).toHaveText(email);
}

export async function createTenantThroughUi(page: Page, name: string) {
  await page.getByLabel("Display name").fill(name);
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

/** The header our tRPC route requires of non-browser-form callers (the cross-site guard). */
const trpcHeaders = { "x-tc-client": "e2e" };

/** A tRPC query as the page's signed-in user; fails the test unless it answers 200. */
export async function trpcQuery<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const res = await page.request.get(`/api/trpc/${path}${qs}`, { headers: trpcHeaders });
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
  return (await res.json()).result.data.json as T;
}

/** A tRPC mutation as the page's signed-in user; fails the test unless it answers 200. */
export async function trpcMutate(page: Page, path: string, input: unknown): Promise<void> {
  const res = await page.request.post(`/api/trpc/${path}`, { headers: trpcHeaders, data: { json: input } });
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
}
