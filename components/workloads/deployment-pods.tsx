"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc";
import { formatAge } from "@/components/format";
import { Card, ErrorNote, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { PodPhaseBadge, isNotFound, linkClass } from "./common";


export function DeploymentPods({ name, now, intervalMs }: { name: string; now: number | null; intervalMs: number }) {
  const t = useTranslations("workloads.detail");
  const tp = useTranslations("pods");
  const trpc = useTRPC();
  const pods = useQuery(trpc.pods.list.queryOptions({ deployment: name, limit: 100 }, { refetchInterval: intervalMs, retry: (n, e) => !isNotFound(e) && n < 2 }));
  return (
    <Card title={t("pods")}>
      {pods.isPending ? (
        <SkeletonRows rows={3} />
      ) : pods.error ? (
        <ErrorNote message={tp("loadError", { message: pods.error.message })} />
      ) : pods.data.items.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("noPods")}</p>
      ) : (
        <>
          <Table caption={t("pods")} head={[tp("col.name"), tp("col.phase"), tp("col.node"), tp("col.restarts"), tp("col.age")]}>
            {pods.data.items.map((p) => (
              <tr key={p.id}>
                <Td>
                  <Link href={`/pods/${encodeURIComponent(p.name)}`} className={`${linkClass} font-mono text-xs`}>
                    {p.name}
                  </Link>
                </Td>
                <Td>
                  <PodPhaseBadge phase={p.status.phase} terminating={p.deletionTimestamp !== undefined} />
                </Td>
                <Td>{p.nodeName ?? "–"}</Td>
                <Td className="tabular-nums">{p.status.containerStatuses.reduce((s, c) => s + c.restartCount, 0)}</Td>
                <Td className="tabular-nums">{now !== null ? formatAge(p.createdAt, now) : "–"}</Td>
              </tr>
            ))}
          </Table>
          {pods.data.nextCursor ? (
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
