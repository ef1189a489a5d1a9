import { expect, test as setup } from "@playwright/test";
import { existingUser, operator, password } from "./accounts";

/** The first account of the fresh installation becomes its operator; a second account exists to be added as a member. */
setup("seed accounts through the API", async ({ request, baseURL }) => {
  for (const account of [operator, existingUser]) {
    const res = await request.post("/api/auth/sign-up/email", {
      headers: { origin: baseURL ?? "" },
      data: { ...account, password },
    });
    expect(res.status(), await res.text()).toBe(200);
  }
});
