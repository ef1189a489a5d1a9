"use client";
/**
 * One kind's table on the Config page (ConfigMaps or Secrets): a page of the selected namespace's
 * objects (or every namespace's), with their key count, a Secret's type, and the row's actions.
 * Values never reach this table (the list's view holds none); a Secret's YAML, which holds them,
 * is offered only to roles that may read secrets, as the Kubernetes API allows.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc";
import { Badge, EmptyState, ErrorNote, SkeletonRows } from "@/components/ui/panel";
import { Button } from "@/components/ui/button";
import { Table, Td } from "@/components/ui/table";
import { useFormatAge } from "@/components/use-format-age";
import { Pager, useCursorPager, useEngineNow } from "@/components/workloads/common";
import type { ConfigObjectView } from "@/server/trpc/routers/config";
import { RowKubectlCopy, RowYamlButton } from "./object-actions";

const PAGE_SIZE = 50;

export function ConfigSection({
  kind,
  namespace,
  canWrite,
  canReadSecrets,
  onDelete,
}: {
  kind: "ConfigMap" | "Secret";
  namespace: string | undefined;
  canWrite: boolean;
  canReadSecrets: boolean;
  onDelete: (object: ConfigObjectView) => void;
}) {
  const t = useTranslations("config");
  const trpc = useTRPC();
  const pager = useCursorPager(`${kind}:${namespace ?? "all"}`);
  const input = {
    kind,
    limit: PAGE_SIZE,
    ...(namespace ? { namespace } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
  };
  const list = useQuery(trpc.config.list.queryOptions(input, { placeholderData: keepPreviousData }));
  const now = useEngineNow();
  const formatAge = useFormatAge();
  const isSecret = kind === "Secret";
  const title = isSecret ? t("secrets") : t("configMaps");
  const headingId = `config-${kind}`;
  /** A Secret's YAML and `kubectl describe` show its data: only for roles that read secrets. */
  const readable = !isSecret || canReadSecrets;

  const emptyTitle = namespace
    ? t(isSecret ? "emptySecretsIn" : "emptyConfigMapsIn", { namespace })
    : t(isSecret ? "emptySecrets" : "emptyConfigMaps");

  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <h2 id={headingId} className="text-lg font-semibold">
        {title}
      </h2>
      {isSecret && !canReadSecrets ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("secretsHidden")}</p>
      ) : null}
      {list.isPending ? (
        <SkeletonRows rows={3} />
      ) : list.error ? (
        <ErrorNote message={t("loadError", { message: list.error.message })} />
      ) : list.data.items.length === 0 && !pager.hasPrevious ? (
        <EmptyState title={emptyTitle}>{canWrite ? t("emptyBody") : t("emptyBodyViewer")}</EmptyState>
      ) : (
        <>
          <Table
            caption={title}
            head={[t("col.name"), t("col.keys"), ...(isSecret ? [t("col.type")] : []), t("col.age"), t("col.actions")]}
            actions
          >
            {list.data.items.map((o) => {
              const target = { kind, name: o.name, namespace: o.namespace };
              const nameId = `${kind}-${o.uid}`;
              return (
                <tr key={o.uid}>
                  <Td>
                    <span id={nameId} className="block max-w-80 truncate font-mono text-xs font-medium" title={o.name}>
                      {o.name}
                    </span>
                    {namespace ? null : <span className="block text-xs text-zinc-500">{o.namespace}</span>}
                    {o.immutable ? <Badge>{t("immutable")}</Badge> : null}
                  </Td>
                  <Td className="tabular-nums">{o.keys}</Td>
                  {isSecret ? <Td className="font-mono text-xs">{o.type}</Td> : null}
                  <Td className="whitespace-nowrap tabular-nums">{now !== null ? formatAge(o.createdAt, now) : "–"}</Td>
                  <Td>
                    <div className="flex flex-nowrap items-center gap-1 whitespace-nowrap">
                      {readable ? (
                        <>
                          <RowYamlButton target={target} canWrite={canWrite} describedBy={nameId} />
                          <RowKubectlCopy target={target} />
                        </>
                      ) : null}
                      {canWrite ? (
                        <Button variant="ghost" aria-describedby={nameId} onClick={() => onDelete(o)}>
                          {t("delete")}
                        </Button>
                      ) : null}
                    </div>
                  </Td>
                </tr>
              );
            })}
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
    </section>
  );
}
