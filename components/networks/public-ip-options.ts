"use client";
/**
 * The tenant's public IPs as destinations of a check from the internet, each labelled with what
 * it reaches ("203.0.113.5 · web-ip → pod web-7d4b9-abcde"): the pod holding it now (a sticky
 * binding's replacement included), the LoadBalancer service it is bound to, or nothing.
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc";
import type { PublicIpViewOut } from "@/server/trpc/views/public-ips";

/** A tenant's quota keeps its public IPs far below one page of the list. */
const LIMIT = 500;

export interface PublicIpOption {
  address: string;
  label: string;
}

export function usePublicIpOptions(scope: { namespace?: string }): { options: PublicIpOption[]; loaded: boolean } {
  const t = useTranslations("networks.check");
  const trpc = useTRPC();
  const list = useQuery(trpc.publicIps.list.queryOptions({ limit: LIMIT, ...scope }));
  const reach = (ip: PublicIpViewOut) =>
    ip.target?.kind === "Service"
      ? t("publicIpTarget.service", { name: ip.target.name })
      : ip.boundPod || ip.target
        ? t("publicIpTarget.pod", { name: ip.boundPod ?? ip.target?.name ?? "" })
        : t("publicIpTarget.none");
  const options = (list.data?.items ?? []).map((ip) => ({
    address: ip.address,
    label: t("publicIpOption", { address: ip.address, name: ip.name, target: reach(ip) }),
  }));
  return { options, loaded: list.isSuccess };
}
