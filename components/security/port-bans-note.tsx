"use client";
/**
 * The operators' port bans, as a tenant sees them beside its rules: no security group or
 * NetworkPolicy can open these ports, because the blocklist is checked before any tenant rule.
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc";
import { Card } from "@/components/ui/panel";
import type { PortBanView } from "@/server/trpc/views/security-port-bans";

export const portsOf = (b: Pick<PortBanView, "portRangeMin" | "portRangeMax">) =>
  b.portRangeMin === b.portRangeMax ? String(b.portRangeMin) : `${b.portRangeMin}-${b.portRangeMax}`;

export function PortBansNote() {
  const t = useTranslations("security.bans");
  const trpc = useTRPC();
  // Bans are cluster-wide: a tenant's live feed carries no note of them, so read them afresh on every visit.
  const bans = useQuery({ ...trpc.security.portBans.queryOptions(), refetchOnMount: "always" });
  if (!bans.data || bans.data.length === 0) return null;
  return (
    <Card title={t("title")}>
      <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">{t("body")}</p>
      <ul className="space-y-1 text-sm">
        {bans.data.map((b) => (
          <li key={b.uid}>
            <span className="font-mono text-xs">
              {b.protocol} {portsOf(b)}
            </span>{" "}
            · {t(b.scope === "public" ? "scopePublic" : "scopeAll")} · {b.reason}
          </li>
        ))}
      </ul>
    </Card>
  );
}
