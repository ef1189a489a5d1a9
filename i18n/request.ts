import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { localeCookie, negotiateLocale, type Locale } from "./locales";

/**
 * Catalog parts beside the core catalog (`messages/<locale>.json`): one file per area under
 * `messages/<locale>/`, each holding its own top-level namespaces, so areas are edited apart.
 */
const parts = [
  "workloads",
  "infra",
  "monitoring",
  "billing",
  "health",
  "access",
  "errors",
  "console",
  "namespaces",
  "live",
  "lease",
  "resource-quotas",
  "manifest",
  "networks",
  "security",
  "public-ips",
] as const;

async function loadMessages(locale: Locale): Promise<Record<string, unknown>> {
  const core = (await import(`../messages/${locale}.json`)).default as Record<string, unknown>;
  const loaded = await Promise.all(
    parts.map(async (part) => (await import(`../messages/${locale}/${part}.json`)).default as Record<string, unknown>),
  );
  return Object.assign({}, core, ...loaded);
}

/** The saved choice wins; otherwise the browser's first language we speak. */
export default getRequestConfig(async () => {
  const locale: Locale = negotiateLocale(
    (await cookies()).get(localeCookie)?.value,
    (await headers()).get("accept-language"),
  );
  // One time zone for server and browser rendering, so the same instant never reads two ways.
  const timeZone = process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone;
  return { locale, timeZone, messages: await loadMessages(locale) };
});
