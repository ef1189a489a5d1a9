import { expect, type Page, type Request, test } from "@playwright/test";
import { freshEmail } from "./accounts";
import { createTenantThroughUi, signInThroughUi, signUpThroughUi, trpcMutate } from "./helpers";

/** Engine progress (VM boot, image pulls) with generous timeouts; engine time runs 10x in e2e. */
const ENGINE = { timeout: 90_000 };

/** tRPC requests other than the live stream itself (`live.changes`): what polling would show. */
function countQueries(page: Page): { count: () => number; urls: string[] } {
  const urls: string[] = [];
  page.on("request", (r: Request) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith("/api/trpc/") && !url.pathname.includes("live.changes")) urls.push(url.pathname);
  });
  return { count: () => urls.length, urls };
}

const live = (page: Page) => expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live-state", "live");

test("a change made in one session appears in another without reload, and an idle page sends no queries", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const email = freshEmail("live");
  const first = await (await browser.newContext()).newPage();
  await signUpThroughUi(first, email);
  await createTenantThroughUi(first, "Live Lab");
  // A second session of the same user and tenant, in a browser context of its own.
  const second = await (await browser.newContext()).newPage();
  await signInThroughUi(second, email);

  // The stream connects under the page's Content-Security-Policy (connect-src 'self').
  const response = await second.goto("/workloads");
  expect(response?.headers()["content-security-policy"]).toContain("connect-src 'self'");
  await expect(second.getByText("No deployments yet")).toBeVisible();
  await live(second);
  await expect(second.getByTestId("engine-clock").locator("time").first()).not.toHaveText("–");

  // Created in the first session: the second one's list shows it, and its pods coming up.
  await trpcMutate(first, "deployments.create", {
    name: "web",
    replicas: 1,
    template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
  });
  const reloads: string[] = [];
  second.on("framenavigated", (f) => {
    if (f === second.mainFrame()) reloads.push(f.url());
  });
  await expect(second.getByRole("link", { name: "web", exact: true })).toBeVisible();
  await expect(second.getByText("1 of 1 ready")).toBeVisible(ENGINE);

  // Scaled in the first session's page, through its buttons: the second follows.
  await first.goto("/workloads");
  await live(first);
  await first.getByRole("button", { name: "Scale up web" }).click();
  await expect(second.getByTestId("desired-web")).toHaveText("2");
  await expect(second.getByText("2 of 2 ready")).toBeVisible(ENGINE);
  expect(reloads).toEqual([]);

  // Idle: everything is running and nothing changes. Notes still arrive (heartbeats, samples),
  // but nothing on this page has changed, so it asks nothing. The window is 6 s of wall time,
  // a minute of engine time: the polling console asked for the list 3 times and the clock 3 times.
  await expect(second.getByText("2 of 2 ready")).toBeVisible();
  const queries = countQueries(second);
  // The rollout's last status writes may still be landing: start once the page has been quiet for 2 s.
  await expect
    .poll(
      async () => {
        const seen = queries.count();
        await second.waitForTimeout(2_000);
        return queries.count() === seen;
      },
      { timeout: 30_000, intervals: [0] },
    )
    .toBe(true);
  queries.urls.length = 0;
  await second.waitForTimeout(6_000);
  expect(queries.urls).toEqual([]);
  await live(second);

  // And the engine clock kept running without a request.
  const clock = second.getByTestId("engine-clock").locator("time").first();
  const before = await clock.getAttribute("datetime");
  await expect(clock).not.toHaveAttribute("datetime", before ?? "");
  expect(queries.count()).toBe(0);
});
