"use client";
/** DDoS events across tenants, newest first: each blackhole and its end, with the tenant, the public IP and its address. */
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useFormatInstant } from "@/components/public-ips/ddos-state";
import { useTRPC } from "@/components/trpc";
import { Badge, EmptyState, ErrorNote, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";

export function DdosEventsSection() {
  const t = useTranslations("adminPublicNetwork.events");
  const tIps = useTranslations("adminPublicNetwork.ips");
  const trpc = useTRPC();
  const instant = useFormatInstant();
  const events = useQuery(trpc.publicIpsAdmin.ddosEvents.queryOptions({ limit: 100 }));

  return (
    <section aria-labelledby="ddos-events-heading" className="space-y-3">
      <div>
        <h2 id="ddos-events-heading" className="text-lg font-semibold">
          {t("title")}
        </h2>
        <p className="mt-1 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("description")}</p>
      </div>
      {events.isPending ? (
        <SkeletonRows rows={2} />
      ) : events.error ? (
        <ErrorNote message={t("loadError", { message: events.error.message })} />
      ) : events.data.items.length === 0 ? (
        <EmptyState title={t("empty")}>{t("emptyBody")}</EmptyState>
      ) : (
        <Table
          caption={t("caption")}
          head={[t("col.time"), t("col.event"), t("col.tenant"), t("col.ip"), t("col.message")]}
        >
          {events.data.items.map((e) => (
            <tr key={e.uid}>
              <Td className="whitespace-nowrap text-xs tabular-nums">{instant(e.lastTime)}</Td>
              <Td>
                <Badge tone={e.reason === "DDoSBlackholed" ? "bad" : "good"}>{t(e.reason)}</Badge>
              </Td>
              <Td className="text-xs">{e.tenantName ?? tIps("unknownTenant")}</Td>
              <Td className="font-mono text-xs">
                {e.address ? <span className="block">{e.address}</span> : null}
                <span className="text-zinc-500">
                  {e.namespace}/{e.publicIp}
                </span>
              </Td>
              <Td className="max-w-96 text-xs">{e.message}</Td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
