"use client";
/** Network usage by tenant: public IPs held and bound, bandwidth bought, the tenant's modelled traffic now and its drops. */
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc";
import { EmptyState, ErrorNote, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";

export function NetworkUsageSection() {
  const t = useTranslations("adminPublicNetwork.usage");
  const tIps = useTranslations("adminPublicNetwork.ips");
  const trpc = useTRPC();
  const format = useFormatter();
  const usage = useQuery(trpc.publicIpsAdmin.usage.queryOptions());
  const mbps = (bits: number) =>
    t("mbps", { mbps: format.number(bits / 1e6, { maximumFractionDigits: bits < 1e7 ? 2 : 0 }) });
  // A fraction only where it says something (a trickle of drops), never on millions.
  const num = (n: number) => format.number(n, { maximumFractionDigits: n < 10 ? 1 : 0 });

  return (
    <section aria-labelledby="usage-heading" className="space-y-3">
      <div>
        <h2 id="usage-heading" className="text-lg font-semibold">
          {t("title")}
        </h2>
        <p className="mt-1 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("description")}</p>
      </div>
      {usage.isPending ? (
        <SkeletonRows rows={2} />
      ) : usage.error ? (
        <ErrorNote message={t("loadError", { message: usage.error.message })} />
      ) : usage.data.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <Table
          caption={t("caption")}
          head={[
            t("col.tenant"),
            t("col.publicIps"),
            t("col.bandwidth"),
            t("col.rx"),
            t("col.tx"),
            t("col.drops"),
            t("col.blackholed"),
          ]}
        >
          {usage.data.map((u) => (
            <tr key={u.tenantId}>
              <Td className="text-xs">{u.tenantName ?? tIps("unknownTenant")}</Td>
              <Td className="tabular-nums">{t("ipsValue", { held: u.publicIps, bound: u.boundPublicIps })}</Td>
              <Td className="whitespace-nowrap tabular-nums">{t("mbps", { mbps: num(u.bandwidthMbps) })}</Td>
              <Td className="whitespace-nowrap tabular-nums">{mbps(u.rxBitsPerSecond)}</Td>
              <Td className="whitespace-nowrap tabular-nums">{mbps(u.txBitsPerSecond)}</Td>
              <Td className="whitespace-nowrap tabular-nums">{t("pps", { pps: num(u.droppedPacketsPerSecond) })}</Td>
              <Td className="tabular-nums">{u.blackholedPublicIps}</Td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
