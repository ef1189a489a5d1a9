/**
 * Seeding through HTTP for the crawl and HTTP specs: accounts signed up and signed in through
 * the auth API (the browser context keeps the session cookie), tenants, invitations and
 * workloads through tRPC, as a script would make them.
 */
import { type APIRequestContext, expect, type Page } from "@playwright/test";
import { freshEmail } from "./accounts";
import { trpcMutate, trpcQuery } from "./helpers";

/** Strong enough for the sign-up password check; only these specs' fresh accounts use it. */
export const seedPassword = "crawl-tangerine-osprey-4711";

export async function signUpAndIn(
  request: APIRequestContext,
  baseURL: string,
  email: string,
  password = seedPassword,
): Promise<void> {
  const headers = { origin: baseURL };
  const up = await request.post("/api/auth/sign-up/email", {
    headers,
    data: { email, password, name: email.split("@")[0] },
  });
  expect(up.status(), await up.text()).toBe(200);
  await signIn(request, baseURL, email, password);
}

export async function signIn(
  request: APIRequestContext,
  baseURL: string,
  email: string,
  password = seedPassword,
): Promise<void> {
  const res = await request.post("/api/auth/sign-in/email", {
    headers: { origin: baseURL },
    data: { email, password },
  });
  expect(res.status(), await res.text()).toBe(200);
}

export interface SeededTenant {
  slug: string;
  deployment: string;
  pod: string;
  invoice: string;
}

/** A tenant owned by the page's user, with a running deployment (hence a node and a pod). */
export async function seedTenant(page: Page, prefix: string): Promise<SeededTenant> {
  const slug = `${prefix}-${Date.now().toString(36)}`;
  await trpcMutate(page, "tenants.create", { name: `Crawl ${prefix}`, slug });
  const deployment = "crawl-web";
  const template = {
    spec: {
      containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "100m", memory: "64Mi" } } }],
    },
  };
  await trpcMutate(page, "deployments.create", { name: deployment, replicas: 1, template });
  let pod = "";
  await expect
    .poll(async () => {
      const pods = await trpcQuery<{ items: { name?: string; metadata?: { name: string } }[] }>(page, "pods.list", {
        deployment,
        limit: 10,
      });
      pod = pods.items[0]?.name ?? pods.items[0]?.metadata?.name ?? "";
      return pod;
    })
    .not.toBe("");
  const invoices = await trpcQuery<{ items: { id: string }[] }>(page, "billing.invoices", {});
  return { slug, deployment, pod, invoice: invoices.items[0]?.id ?? "current" };
}

/** Invites a fresh account into the owner's current tenant with `role`; the invitee accepts the link. */
export async function inviteAndJoin(
  owner: Page,
  invitee: Page,
  baseURL: string,
  role: "viewer" | "member" | "admin",
): Promise<string> {
  const email = freshEmail(role);
  await signUpAndIn(invitee.request, baseURL, email);
  const res = await owner.request.post("/api/trpc/members.invite", {
    headers: { "x-tc-client": "e2e" },
    data: { json: { email, role } },
  });
  expect(res.status(), await res.text()).toBe(200);
  const { secret } = (await res.json()).result.data.json as { secret: string };
  await trpcMutate(invitee, "invitations.accept", { secret });
  return email;
}
