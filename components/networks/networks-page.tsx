"use client";
/**
 * The Networks page: the tenant's private network (its VPC and CIDR, each subnet with a bar of
 * used, held and free addresses and the namespaces that take their addresses from it, the
 * service range and DNS suffix) and the connectivity check. It says plainly what is modelled:
 * packets are not real, while the addresses, rules and tables that decide them are.
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { EngineClock } from "@/components/nodes/engine-clock";
import { useTRPC } from "@/components/trpc";
import { Card, ErrorNote, Notice, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import type { TenantNetworkViewOut } from "@/server/trpc/views/networks";
import { ConnectivityCheck } from "./connectivity-check";
import { AddressBar } from "./address-bar";

export function NetworksPage() {
  const t = useTranslations("networks");
  const trpc = useTRPC();
  const network = useQuery(trpc.networks.get.queryOptions({}));

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} actions={<EngineClock />} />
      <Notice>{t("modelled")}</Notice>
      {network.isPending ? (
        <SkeletonRows rows={4} />
      ) : network.error ? (
        <ErrorNote message={t("loadError", { message: network.error.message })} />
      ) : (
        <NetworkSummary network={network.data} />
      )}
      <ConnectivityCheck />
    </div>
  );
}

function NetworkSummary({ network }: { network: TenantNetworkViewOut }) {
  const t = useTranslations("networks");
  const facts: [string, string, string][] = [
    ["vpc", t("vpc"), `${network.vpc.name} · ${network.vpc.cidr}`],
    ["serviceCidr", t("serviceCidr"), network.serviceCidr],
    ["dnsSuffix", t("dnsSuffix"), network.dnsSuffix],
  ];
  return (
    <>
      <Card title={t("vpcTitle")}>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          {facts.map(([key, label, value]) => (
            <div key={key} className="contents">
              <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
              <dd className="font-mono text-xs" data-testid={`network-${key}`}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
        <p className="mt-3 text-xs text-zinc-500">{t("isolation")}</p>
      </Card>
      <section aria-labelledby="subnets-heading" className="space-y-3">
        <h2 id="subnets-heading" className="text-lg font-semibold">
          {t("subnets")}
        </h2>
        <Table
          caption={t("subnets")}
          head={[t("col.subnet"), t("col.cidr"), t("col.gateway"), t("col.addresses"), t("col.namespaces")]}
        >
          {network.subnets.map((s) => (
            <tr key={s.name}>
              <Td className="font-mono text-xs">{s.name}</Td>
              <Td className="font-mono text-xs">{s.cidr}</Td>
              <Td className="font-mono text-xs">{s.gateway}</Td>
              <Td className="min-w-64">
                <AddressBar subnet={s} />
              </Td>
              <Td className="text-xs">{s.namespaces.length === 0 ? "–" : s.namespaces.join(", ")}</Td>
            </tr>
          ))}
        </Table>
      </section>
    </>
  );
}
