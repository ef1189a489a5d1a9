"use client";
/**
 * What each rule of a security group admitted: the group's stored rules (as last loaded, so the
 * numbers match the rules the counters name, whatever the form is editing), each with the
 * packets and bytes the traffic model let through it over the tenant's pods since the server
 * started collecting. The traffic is modelled, and the card says so.
 */
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { minLiveRefresh } from "@/components/live/query-meta";
import { useTRPC } from "@/components/trpc";
import { Card, ErrorNote, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import type { SecurityGroupView, SecurityRuleView } from "@/server/trpc/views/security-groups";
import type { SecurityRuleHitView } from "@/server/trpc/views/security-rule-hits";
import { byDirectionAndRule, compactCount, decimalBytes, type RuleRef, ruleKey } from "./rule-hits-format";

const REFRESH_MS = 15_000;
type Direction = "ingress" | "egress";

/** "1.2K packets · 3.4 MB", in the reader's language. */
export function useAdmittedText(): (h: { packets: number; bytes: number }) => string {
  const t = useTranslations("security.hits");
  const locale = useLocale();
  return (h) =>
    t("admitted", {
      count: Math.round(h.packets),
      packets: compactCount(h.packets, locale),
      bytes: decimalBytes(h.bytes),
    });
}

function useMatchText(): (direction: Direction, r: SecurityRuleView) => string {
  const t = useTranslations("security.hits");
  const tr = useTranslations("security.rule");
  return (direction, r) => {
    const portless = r.protocol === "icmp" || r.protocol === "all";
    const ports = portless
      ? ""
      : r.portRangeMin === undefined
        ? ` ${t("portsAll")}`
        : r.portRangeMax === undefined || r.portRangeMax === r.portRangeMin
          ? ` ${r.portRangeMin}`
          : ` ${r.portRangeMin}–${r.portRangeMax}`;
    const remote = r.remoteSecurityGroup ? t("remoteGroup", { name: r.remoteSecurityGroup }) : (r.remoteAddress ?? "");
    return `${tr(`protocols.${r.protocol}`)}${ports} ${t(direction === "ingress" ? "from" : "to", { remote })}`;
  };
}

export function RuleHitsCard({ group }: { group: SecurityGroupView }) {
  const t = useTranslations("security.hits");
  const tr = useTranslations("security.rule");
  const trpc = useTRPC();
  const hits = useQuery(
    trpc.security.ruleHits.queryOptions(
      { name: group.name },
      // Refreshed by the live stream's sample notes (components/live/invalidation.ts), never polled.
      { meta: minLiveRefresh(REFRESH_MS) },
    ),
  );
  const admitted = useAdmittedText();
  const match = useMatchText();
  const found = byDirectionAndRule<SecurityRuleHitView>(hits.data?.items ?? []);

  const row = (direction: Direction, rule: RuleRef, label: string, what: string, action: string) => {
    const h = found.get(ruleKey(direction, rule));
    return (
      <tr key={ruleKey(direction, rule)}>
        <Td className="whitespace-nowrap">{label}</Td>
        <Td>{what}</Td>
        <Td>{action}</Td>
        <Td className="tabular-nums whitespace-nowrap">
          <span data-testid={`admitted-${direction}-${rule}`}>{h ? admitted(h) : t("none")}</span>
        </Td>
        <Td className="tabular-nums">{h ? h.pods : t("none")}</Td>
      </tr>
    );
  };
  const rows = (["ingress", "egress"] as const).flatMap((d) => [
    ...(d === "ingress" ? group.ingressRules : group.egressRules).map((r, i) =>
      row(
        d,
        i,
        tr(d === "ingress" ? "legendIngress" : "legendEgress", { n: i + 1 }),
        match(d, r),
        tr(r.action === "allow" ? "allow" : "deny"),
      ),
    ),
    // The same-group rule is implicit: shown while it is on, or while its figures remain.
    ...(group.allowSameGroupTraffic || found.has(ruleKey(d, "same-group"))
      ? [
          row(
            d,
            "same-group",
            t(d === "ingress" ? "sameGroupIngress" : "sameGroupEgress"),
            t("sameGroupMatch"),
            tr("allow"),
          ),
        ]
      : []),
  ]);

  return (
    <Card title={t("title")}>
      <div className="space-y-3">
        <p role="note" className="text-sm text-zinc-600 dark:text-zinc-400">
          {t("modelled")}
        </p>
        <ErrorNote message={hits.error?.message} />
        {hits.isPending ? (
          <SkeletonRows rows={2} />
        ) : hits.data && hits.data.items.length === 0 ? (
          <p
            className="rounded-md border border-dashed border-zinc-300 p-4 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400"
            data-testid="no-rule-hits"
          >
            {t("empty")}
          </p>
        ) : null}
        {rows.length > 0 ? (
          <Table
            caption={t("title")}
            head={[t("col.rule"), t("col.match"), t("col.action"), t("col.admitted"), t("col.pods")]}
          >
            {rows}
          </Table>
        ) : null}
      </div>
    </Card>
  );
}
