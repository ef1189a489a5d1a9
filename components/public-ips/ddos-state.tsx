"use client";
/**
 * A public IP's DDoS state, in words and colour (never colour alone): protected, black-holed
 * until an instant, or protection turned off by the operators; and the banner the Public IPs page
 * shows while any address of the tenant is black-holed, naming each and until when.
 */
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc";
import { Badge } from "@/components/ui/panel";
import type { PublicIpViewOut } from "@/server/trpc/views/public-ips";

type Ddos = PublicIpViewOut["ddos"];

export function useFormatInstant(): (ms: number) => string {
  const format = useFormatter();
  return (ms) => format.dateTime(ms, { dateStyle: "medium", timeStyle: "medium" });
}

export function DdosState({ ddos }: { ddos: Ddos }) {
  const t = useTranslations("publicIps.ddos");
  const instant = useFormatInstant();
  return (
    <div className="space-y-0.5">
      {ddos.blackholedUntil !== undefined ? (
        <Badge tone="bad">{t("blackholed", { until: instant(ddos.blackholedUntil) })}</Badge>
      ) : ddos.protectionDisabled ? (
        <Badge tone="warn">{t("disabled")}</Badge>
      ) : (
        <Badge tone="good">{t("protected")}</Badge>
      )}
      {ddos.lastBlackholeAt !== undefined && ddos.blackholedUntil === undefined ? (
        <span className="block text-xs text-zinc-500">{t("lastBlackhole", { at: instant(ddos.lastBlackholeAt) })}</span>
      ) : null}
    </div>
  );
}

/** Reads every namespace of the tenant, whichever one the page shows: a black-holed address anywhere is news. */
export function BlackholeBanner() {
  const t = useTranslations("publicIps.banner");
  const trpc = useTRPC();
  const instant = useFormatInstant();
  const all = useQuery(trpc.publicIps.list.queryOptions({ limit: 500 }));
  const holed = (all.data?.items ?? []).filter((ip) => ip.ddos.blackholedUntil !== undefined);
  if (holed.length === 0) return null;
  return (
    <div
      role="alert"
      data-testid="blackhole-banner"
      className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
    >
      <p className="font-semibold">{t("title", { count: holed.length })}</p>
      <p className="mt-1">{t("body")}</p>
      <ul className="mt-2 list-disc space-y-0.5 pl-5 font-mono text-xs">
        {holed.map((ip) => (
          <li key={ip.uid}>
            {t("item", {
              name: ip.name,
              address: ip.address,
              namespace: ip.namespace,
              until: instant(ip.ddos.blackholedUntil ?? 0),
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}
