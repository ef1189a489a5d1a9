import { expect, test } from "@playwright/test";
import { existingUser, freshEmail, operator, password } from "./accounts";
import { createTenantThroughUi, signInThroughUi, signUpThroughUi } from "./helpers";

test("a new user signs up, creates a tenant and invites a member, who joins through the link", async ({
  page,
  browser,
}) => {
  await signUpThroughUi(page, freshEmail("founder"));
  await expect(page.getByRole("heading", { name: "Create your first tenant" })).toBeVisible();
  await createTenantThroughUi(page, "Acme Robotics");
  await page.screenshot({ path: ".test-results/screenshots/overview.png", fullPage: true });

  await page.getByRole("link", { name: "Members" }).click();
  await page.getByRole("textbox", { name: "Email" }).fill(existingUser.email);
  await page.getByRole("combobox", { name: "Role", exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const link = (await page.getByTestId("invitation-link").textContent())?.trim() ?? "";
  expect(link).toMatch(/\/invitations\/inv_[A-Za-z0-9_-]+$/);
  await expect(page.getByText(/shown only once/)).toBeVisible();
  const pending = page.getByRole("listitem").filter({ hasText: existingUser.email });
  await expect(pending).toContainText("expires");
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("invitation-link")).toHaveCount(0);
  await page.screenshot({ path: ".test-results/screenshots/members.png", fullPage: true });

  // Another person signs in, opens the link and accepts: only then are they a member.
  const inviteeContext = await browser.newContext();
  const invitee = await inviteeContext.newPage();
  await invitee.goto(link);
  await invitee.getByRole("link", { name: "Sign in" }).click();
  await invitee.getByLabel("Email").fill(existingUser.email);
  await invitee.getByLabel("Password").fill(password);
  await invitee.getByRole("button", { name: "Sign in" }).click();
  await expect(invitee.getByRole("heading", { name: "Join Acme Robotics" })).toBeVisible();
  await invitee.getByRole("button", { name: "Accept and join" }).click();
  // The overview's heading, not the invitation's "Join Acme Robotics" (leaving early would cancel the accept).
  await expect(invitee.getByRole("heading", { level: 1, name: "Acme Robotics", exact: true })).toBeVisible();
  // The link worked once.
  await invitee.goto(link);
  await expect(invitee.getByText("This invitation link is not valid")).toBeVisible();
  await inviteeContext.close();

  await page.reload();
  const row = page.getByRole("row").filter({ hasText: existingUser.email });
  await expect(row).toBeVisible();
  await expect(row.getByRole("combobox")).toHaveValue("viewer");
  await expect(page.getByRole("listitem").filter({ hasText: existingUser.email })).toHaveCount(0);
});

test("an API token works until it is revoked, then a call with it is refused", async ({ page, request }) => {
  await signUpThroughUi(page, freshEmail("scripter"));
  await createTenantThroughUi(page, "Script Shop");
  await page.getByRole("link", { name: "API tokens" }).click();
  await page.getByLabel("Token name").fill("ci-pipeline");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("token-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^tc_/);

  const call = () => request.get("/api/trpc/tenants.current", { headers: { authorization: `Bearer ${secret}` } });
  const before = await call();
  expect(before.status()).toBe(200);
  expect(JSON.stringify(await before.json())).toContain("script-shop");

  await page.getByRole("row").filter({ hasText: "ci-pipeline" }).getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("row").filter({ hasText: "ci-pipeline" })).toHaveCount(0);

  const after = await call();
  expect(after.status()).toBe(401);
  expect(JSON.stringify(await after.json())).toContain("invalid or has been revoked");
});

test("an operator reaches the admin dashboard and a member cannot", async ({ page, browser }) => {
  await signInThroughUi(page, operator.email);
  await page.getByRole("link", { name: "Admin dashboard" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("navigation", { name: "Admin dashboard" })).toBeVisible();
  await page.screenshot({ path: ".test-results/screenshots/admin.png", fullPage: true });
  await page.getByRole("link", { name: "Tenants" }).click();
  await expect(page.getByRole("table")).toBeVisible();

  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await signUpThroughUi(member, freshEmail("member"));
  await expect(member.getByRole("link", { name: "Admin dashboard" })).toHaveCount(0);
  const response = await member.goto("/admin");
  expect(response?.status()).toBe(404);
  const api = await member.request.get("/api/trpc/admin.overview");
  expect(api.status()).toBe(403);
  await memberContext.close();
});
