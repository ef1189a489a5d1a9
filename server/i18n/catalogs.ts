/**
 * The whole console catalog (the core file and every part), for the server's translations:
 * an error's detail may name a key in any part (`invitationErrors.*` in access.json,
 * `tenants.limitReached` in the core file), and a key the server cannot see would leave the
 * reader with English. Merged as i18n/request.ts merges them for the console: parts shallowly
 * over the core file, so one key reads the same in a banner and on the page.
 */
import type { Locale } from "@/i18n/locales";
import en from "@/messages/en.json";
import enAccess from "@/messages/en/access.json";
import enBilling from "@/messages/en/billing.json";
import enConsole from "@/messages/en/console.json";
import enErrors from "@/messages/en/errors.json";
import enHealth from "@/messages/en/health.json";
import enInfra from "@/messages/en/infra.json";
import enMonitoring from "@/messages/en/monitoring.json";
import enLease from "@/messages/en/lease.json";
import enLive from "@/messages/en/live.json";
import enManifest from "@/messages/en/manifest.json";
import enNamespaces from "@/messages/en/namespaces.json";
import enNetworks from "@/messages/en/networks.json";
import enPublicIps from "@/messages/en/public-ips.json";
import enResourceQuotas from "@/messages/en/resource-quotas.json";
import enSecurity from "@/messages/en/security.json";
import enWorkloads from "@/messages/en/workloads.json";
import zh from "@/messages/zh-CN.json";
import zhAccess from "@/messages/zh-CN/access.json";
import zhBilling from "@/messages/zh-CN/billing.json";
import zhConsole from "@/messages/zh-CN/console.json";
import zhErrors from "@/messages/zh-CN/errors.json";
import zhHealth from "@/messages/zh-CN/health.json";
import zhInfra from "@/messages/zh-CN/infra.json";
import zhMonitoring from "@/messages/zh-CN/monitoring.json";
import zhLease from "@/messages/zh-CN/lease.json";
import zhLive from "@/messages/zh-CN/live.json";
import zhManifest from "@/messages/zh-CN/manifest.json";
import zhNamespaces from "@/messages/zh-CN/namespaces.json";
import zhNetworks from "@/messages/zh-CN/networks.json";
import zhPublicIps from "@/messages/zh-CN/public-ips.json";
import zhResourceQuotas from "@/messages/zh-CN/resource-quotas.json";
import zhSecurity from "@/messages/zh-CN/security.json";
import zhWorkloads from "@/messages/zh-CN/workloads.json";

type Catalog = Record<string, unknown>;

/** Each locale's parts by file name (messages/<locale>/<name>.json); the test checks none is left out. */
export const catalogParts: Record<Locale, Record<string, Catalog>> = {
  en: {
    workloads: enWorkloads,
    infra: enInfra,
    monitoring: enMonitoring,
    billing: enBilling,
    health: enHealth,
    access: enAccess,
    errors: enErrors,
    console: enConsole,
    namespaces: enNamespaces,
    live: enLive,
    lease: enLease,
    "resource-quotas": enResourceQuotas,
    manifest: enManifest,
    networks: enNetworks,
    security: enSecurity,
    "public-ips": enPublicIps,
  },
  "zh-CN": {
    workloads: zhWorkloads,
    infra: zhInfra,
    monitoring: zhMonitoring,
    billing: zhBilling,
    health: zhHealth,
    access: zhAccess,
    errors: zhErrors,
    console: zhConsole,
    namespaces: zhNamespaces,
    live: zhLive,
    lease: zhLease,
    "resource-quotas": zhResourceQuotas,
    manifest: zhManifest,
    networks: zhNetworks,
    security: zhSecurity,
    "public-ips": zhPublicIps,
  },
};

const cores: Record<Locale, Catalog> = { en, "zh-CN": zh };

export function serverCatalog(locale: Locale): Catalog {
  return Object.assign({}, cores[locale], ...Object.values(catalogParts[locale]));
}
