"use client";
/**
 * The operators' Network page: the shared public address pool, every tenant's public IPs with
 * their DDoS state and the overrides, DDoS events, network usage by tenant, and the cluster-wide
 * port bans. Each section reads its own query, so one failing read leaves the others working;
 * all of them refresh from the cluster change stream.
 */
import { useTranslations } from "next-intl";
import { ModelledNote } from "@/components/security/security-notes";
import { PageHeader } from "@/components/ui/panel";
import { DdosEventsSection } from "./ddos-events-section";
import { DdosSection } from "./ddos-section";
import { NetworkUsageSection } from "./network-usage-section";
import { PortBansSection } from "./port-bans-section";
import { PublicPoolSection } from "./public-pool-section";

export function AdminNetworkPage() {
  const t = useTranslations("adminPublicNetwork");
  return (
    <div className="space-y-8">
      <PageHeader title={t("title")} description={t("description")} />
      <ModelledNote />
      <PublicPoolSection />
      <DdosSection />
      <DdosEventsSection />
      <NetworkUsageSection />
      <PortBansSection />
    </div>
  );
}
