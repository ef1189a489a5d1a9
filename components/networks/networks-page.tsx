"use client";
/**
 * The Networks page: the tenant's private network (its VPC and CIDR, each subnet with a bar of
 * used, held and free addresses and the namespaces that take their addresses from it, which
 * members add, edit and delete; the service range and DNS suffix) and the connectivity check. It says plainly what is modelled:
 * packets are not real, while the addresses, rules and tables that decide them are.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { EngineClock } from "@/components/nodes/engine-clock";
import { useTRPC } from "@/components/trpc";
import { Card, ErrorNote, Notice, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { linkClass } from "@/components/workloads/common";
import type { TenantNetworkViewOut } from "@/server/trpc/views/networks";
import { ConnectivityCheck } from "./connectivity-check";
import { SubnetsTable } from "./subnets-table";

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
        <p className="mt-1 text-xs text-zinc-500">
          {t.rich("publicIps", {
            link: (chunks) => (
              <Link href="/public-ips" className={linkClass}>
                {chunks}
              </Link>
            ),
          })}
        </p>
      </Card>
      <SubnetsTable network={network} />
    </>
  );
}
