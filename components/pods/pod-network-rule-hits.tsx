"use client";
/**
 * Beside a pod's drops by reason, the other side of its security groups: which rule of which
 * group admitted how much of its modelled traffic, now and since the server started collecting,
 * each linking to its group. Rules are numbered as the group's editor numbers them (from 1).
 */
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useId } from "react";
import { compactCount, decimalBytes, ruleNumber } from "@/components/security/rule-hits-format";
import { Table, Td } from "@/components/ui/table";
import type { PodNetworkView } from "@/server/monitoring/pod-network";

type Direction = "ingress" | "egress";
type RuleHit = PodNetworkView["ruleHits"][number];

export function RuleHitsTable({
  hits,
  directionLabel,
}: {
  hits: readonly RuleHit[];
  directionLabel: (d: Direction) => string;
}) {
  const t = useTranslations("monitoring.network.hits");
  const locale = useLocale();
  const titleId = useId();
  const rows = [...hits].sort((a, b) => b.bytes - a.bytes || b.packets - a.packets);
  const ruleText = (h: RuleHit) => {
    const n = ruleNumber(h.rule);
    return n === null
      ? t("sameGroup", { group: h.group })
      : t(h.direction === "ingress" ? "ruleIngress" : "ruleEgress", { n, group: h.group });
  };
  return (
    <figure
      aria-labelledby={titleId}
      className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <figcaption id={titleId} className="mb-2 text-sm font-semibold text-zinc-700 dark:text-zinc-300">
        {t("title")}
      </figcaption>
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="no-rule-hits">
          {t("empty")}
        </p>
      ) : (
        <Table caption={t("title")} head={[t("col.rule"), t("col.now"), t("col.total")]}>
          {rows.map((h) => (
            <tr key={`${h.direction}|${h.group}|${h.rule}`}>
              <Td>
                {directionLabel(h.direction)}:{" "}
                <Link
                  href={`/security-groups/${encodeURIComponent(h.group)}`}
                  className="text-sky-700 hover:underline dark:text-sky-400"
                >
                  {ruleText(h)}
                </Link>
              </Td>
              <Td className="tabular-nums whitespace-nowrap">
                {t("rate", {
                  packets: compactCount(h.packetsPerSecond, locale),
                  bytes: decimalBytes(h.bytesPerSecond),
                })}
              </Td>
              <Td className="tabular-nums whitespace-nowrap">
                {t("total", {
                  count: Math.round(h.packets),
                  packets: compactCount(h.packets, locale),
                  bytes: decimalBytes(h.bytes),
                })}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </figure>
  );
}
