"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEngineMessage } from "@/components/events/event-message";
import { formatBytes, formatCpu } from "@/components/format";
import { useFormatAge } from "@/components/use-format-age";
import { Badge } from "@/components/ui/panel";
import { DeploymentHealthBadge, PodHealthBadge, useExplain } from "@/components/workloads/health";
import type { AttentionItem, QuotaResource } from "@/server/workloads/attention";

const link = "text-sky-700 underline hover:text-sky-900 dark:text-sky-300 dark:hover:text-sky-100";
const SHOWN = 12;

/** The overview's "Needs attention": one row per item of attentionItems, newest problems as the engine reports them. */
export function AttentionList({ items, now }: { items: AttentionItem[]; now: number }) {
  const t = useTranslations("overviewPage");
  const shown = items.slice(0, SHOWN);
  if (items.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("attentionNone")}</p>;
  return (
    <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
      {shown.map((item) => (
        <li
          key={item.key}
          data-attention={item.key}
          className="flex flex-wrap items-baseline gap-x-2 gap-y-1 py-2 text-sm"
        >
          <AttentionRow item={item} now={now} />
        </li>
      ))}
      {items.length > shown.length ? (
        <li className="py-2 text-sm text-zinc-600 dark:text-zinc-400">
          {t("attentionMore", { count: items.length - shown.length })}
        </li>
      ) : null}
    </ul>
  );
}

function AttentionRow({ item, now }: { item: AttentionItem; now: number }) {
  const t = useTranslations("health.attention");
  const tc = useTranslations("cluster");
  const explain = useExplain();
  const engineText = useEngineMessage();
  const formatAge = useFormatAge();
  const detail = (text: string | null | undefined) =>
    text ? <span className="basis-full break-words text-zinc-600 dark:text-zinc-400">{text}</span> : null;
  switch (item.kind) {
    case "Deployment":
    case "Pod": {
      const h = item.health;
      const href =
        item.kind === "Deployment"
          ? `/workloads/${encodeURIComponent(item.name)}`
          : `/pods/${encodeURIComponent(item.name)}`;
      const reason = h.cause?.reason ?? h.reason;
      const message = engineText(h.cause?.message ?? h.message);
      return (
        <>
          {item.kind === "Deployment" ? <DeploymentHealthBadge health={h} /> : <PodHealthBadge health={h} />}
          <Link href={href} className={`font-mono text-xs ${link}`}>
            {item.kind === "Deployment" ? `deployment/${item.name}` : item.name}
          </Link>
          {detail([reason !== h.reason ? reason : "", message, explain(reason)].filter(Boolean).join(" · "))}
        </>
      );
    }
    case "Node":
      return (
        <>
          <Badge tone="bad">{tc("nodePhase.NotReady")}</Badge>
          <Link href="/nodes" className={`font-mono text-xs ${link}`}>
            {item.name}
          </Link>
          {detail(t("nodeNotReady"))}
        </>
      );
    case "NodePool":
      return (
        <>
          <Badge tone={item.tone}>{t(item.reason)}</Badge>
          <Link href="/nodes" className={`font-mono text-xs ${link}`}>
            {item.name}
          </Link>
          {detail(
            item.reason === "WaitingForNode"
              ? t("waitingForNode", {
                  pool: item.name,
                  count: item.waitingPods,
                  node: item.node,
                  seconds: Math.ceil(item.readyInMs / 1000),
                })
              : t("noReadyNode", { pool: item.name, node: item.node, age: formatAge(now - item.sinceMs, now) }),
          )}
        </>
      );
    case "Quota":
      return (
        <>
          <Badge tone="bad">{t("OverQuota")}</Badge>
          <span className="text-xs font-medium">{t(`resource.${item.name}`)}</span>
          {detail(
            t("overQuota", {
              resource: t(`resource.${item.name}`),
              used: amount(item.name, item.used),
              limit: amount(item.name, item.limit),
            }),
          )}
        </>
      );
  }
}

function amount(resource: QuotaResource, value: number): string {
  if (resource === "cpuMillis") return formatCpu(value);
  if (resource === "memoryBytes") return formatBytes(value);
  return String(value);
}
