"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useFormatAge } from "@/components/use-format-age";
import { Card } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import type { PodViewOut as PodWithHealth } from "@/server/workloads/view-schemas";
import { linkClass } from "./common";
import { PodHealthBadge } from "./health";

const SHOWN = 100;

/** The deployment's pods as deployments.get returned them: the same read as the status above, so the two agree. */
export function DeploymentPods({ name, pods, now }: { name: string; pods: PodWithHealth[]; now: number | null }) {
  const t = useTranslations("workloads.detail");
  const tp = useTranslations("pods");
  const th = useTranslations("health");
  const formatAge = useFormatAge();
  const shown = pods.slice(0, SHOWN);
  return (
    <Card title={t("pods")}>
      {pods.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("noPods")}</p>
      ) : (
        <>
          <Table
            caption={t("pods")}
            head={[tp("col.name"), th("column"), tp("col.node"), tp("col.restarts"), tp("col.age")]}
          >
            {shown.map((p) => (
              <tr key={p.id}>
                <Td>
                  <Link href={`/pods/${encodeURIComponent(p.name)}`} className={`${linkClass} font-mono text-xs`}>
                    {p.name}
                  </Link>
                </Td>
                <Td>
                  <PodHealthBadge health={p.health} />
                </Td>
                <Td>{p.nodeName ?? "–"}</Td>
                <Td className="tabular-nums">{p.status.containerStatuses.reduce((s, c) => s + c.restartCount, 0)}</Td>
                <Td className="tabular-nums">{now !== null ? formatAge(p.createdAt, now) : "–"}</Td>
              </tr>
            ))}
          </Table>
          {pods.length > shown.length ? (
            <p className="mt-2 text-sm">
              <Link href={`/pods?deployment=${encodeURIComponent(name)}`} className={linkClass}>
                {t("allPods")}
              </Link>
            </p>
          ) : null}
        </>
      )}
    </Card>
  );
}
