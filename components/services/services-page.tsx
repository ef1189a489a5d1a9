"use client";
/**
 * The Services page: the tenant's services in the selected namespace (or every namespace), in
 * pages, with kubectl's columns (type, ClusterIP, EXTERNAL-IP, ports, age). Members create
 * services from YAML (the Kubernetes API validates them, with the fields marked); each row opens
 * the service's detail. Lists refresh from the tenant's change stream (live notes), never by polling.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useCanWrite } from "@/components/console/use-current-role";
import { CreateFromYamlButton } from "@/components/manifest/manifest-actions";
import { KubectlCommand } from "@/components/manifest/kubectl-command";
import { inNamespace, useNamespace } from "@/components/namespaces/use-namespace";
import { EngineClock } from "@/components/nodes/engine-clock";
import { useTRPC } from "@/components/trpc";
import { Badge, EmptyState, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useFormatAge } from "@/components/use-format-age";
import { linkClass, Pager, useCursorPager, useEngineNow } from "@/components/workloads/common";
import { externalAddress, portsCell } from "./format";

const PAGE_SIZE = 50;

export function ServicesPage() {
  const t = useTranslations("services");
  const trpc = useTRPC();
  const canWrite = useCanWrite();
  const { namespace } = useNamespace();
  const pager = useCursorPager(`services:${namespace ?? "all"}`);
  const input = {
    limit: PAGE_SIZE,
    ...(namespace ? { namespace } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
  };
  const list = useQuery(trpc.services.list.queryOptions(input, { placeholderData: keepPreviousData }));
  const now = useEngineNow();
  const formatAge = useFormatAge();
  const listCommand = `kubectl get services ${namespace ? `-n ${namespace}` : "-A"}`;

  return (
    <div className="space-y-6">
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <div className="flex flex-wrap items-center gap-3">
            <EngineClock />
            {canWrite ? <CreateFromYamlButton starter="Service" /> : null}
          </div>
        }
      />
      <div className="max-w-2xl">
        <p className="mb-1 text-xs text-zinc-500">{t("listCommand")}</p>
        <KubectlCommand command={listCommand} />
      </div>
      {list.isPending ? (
        <SkeletonRows rows={3} />
      ) : list.error ? (
        <ErrorNote message={t("loadError", { message: list.error.message })} />
      ) : list.data.items.length === 0 && !pager.hasPrevious ? (
        <EmptyState title={namespace ? t("emptyIn", { namespace }) : t("empty")}>
          {canWrite ? t("emptyBody") : t("emptyBodyViewer")}
        </EmptyState>
      ) : (
        <>
          <Table
            caption={t("title")}
            head={[t("col.name"), t("col.type"), t("col.clusterIP"), t("col.externalIP"), t("col.ports"), t("col.age")]}
          >
            {list.data.items.map((s) => (
              <tr key={s.uid}>
                <Td>
                  <Link
                    href={inNamespace(`/services/${encodeURIComponent(s.name)}`, s.namespace)}
                    className={`${linkClass} font-mono text-xs`}
                  >
                    {s.name}
                  </Link>
                  {namespace ? null : <span className="block text-xs text-zinc-500">{s.namespace}</span>}
                </Td>
                <Td>
                  <Badge>{s.type}</Badge>
                </Td>
                <Td className="font-mono text-xs">{s.clusterIP ?? t("allocating")}</Td>
                <Td className="font-mono text-xs">{externalAddress(s.externalIP, t("externalPending"))}</Td>
                <Td className="font-mono text-xs">{portsCell(s.ports)}</Td>
                <Td className="whitespace-nowrap tabular-nums">{now !== null ? formatAge(s.createdAt, now) : "–"}</Td>
              </tr>
            ))}
          </Table>
          <Pager
            page={pager.page}
            hasPrevious={pager.hasPrevious}
            nextCursor={list.data.nextCursor}
            onNext={pager.next}
            onPrevious={pager.previous}
          />
        </>
      )}
    </div>
  );
}
