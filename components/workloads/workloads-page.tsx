"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Fragment, useState } from "react";
import { useTRPC } from "@/components/trpc";
import { inNamespace, useNamespace } from "@/components/namespaces/use-namespace";
import { useCanWrite } from "@/components/console/use-current-role";
import { useFormatAge } from "@/components/use-format-age";
import { EngineClock } from "@/components/nodes/engine-clock";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { Pager, linkClass, useCursorPager, useEngineNow } from "./common";
import { DeploymentHealthBadge } from "./health";
import { CreateFromYamlButton } from "@/components/manifest/manifest-actions";

const PAGE_SIZE = 50;
const MAX_REPLICAS = 1000;

export function WorkloadsPage() {
  const t = useTranslations("workloads");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const { namespace } = useNamespace();
  const pager = useCursorPager(namespace ?? "all");
  const input = {
    limit: PAGE_SIZE,
    ...(namespace ? { namespace } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
  };
  const listKey = trpc.deployments.list.queryKey(input);
  const list = useQuery(trpc.deployments.list.queryOptions(input, { placeholderData: keepPreviousData }));
  const now = useEngineNow();
  const formatAge = useFormatAge();
  const [scaleError, setScaleError] = useState<{ name: string; message: string } | null>(null);

  type ListData = NonNullable<typeof list.data>;
  const scale = useMutation(
    trpc.deployments.scale.mutationOptions({
      onMutate: async ({ name, namespace: inNs, replicas }) => {
        setScaleError(null);
        await queryClient.cancelQueries({ queryKey: listKey });
        const before = queryClient.getQueryData<ListData>(listKey);
        if (before) {
          queryClient.setQueryData<ListData>(listKey, {
            ...before,
            items: before.items.map((d) =>
              d.name === name && d.namespace === inNs ? { ...d, spec: { ...d.spec, replicas } } : d,
            ),
          });
        }
        return { before };
      },
      onError: (error, { name }, context) => {
        if (context?.before) queryClient.setQueryData(listKey, context.before);
        setScaleError({ name, message: error.message });
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey() }),
    }),
  );

  const createButton = canWrite ? (
    <Link
      href="/workloads/new"
      className="inline-flex h-9 items-center rounded-md bg-sky-600 px-3 text-sm font-medium text-white hover:bg-sky-700"
    >
      {t("create")}
    </Link>
  ) : null;

  return (
    <div className="space-y-4">
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <div className="flex flex-wrap items-center gap-3">
            <EngineClock />
            {canWrite ? <CreateFromYamlButton /> : null}
            {createButton}
          </div>
        }
      />
      {list.isPending ? (
        <SkeletonRows rows={4} />
      ) : list.error ? (
        <ErrorNote message={t("loadError", { message: list.error.message })} />
      ) : list.data.items.length === 0 && !pager.hasPrevious ? (
        <EmptyState title={t("emptyTitle")}>{canWrite ? t("emptyBody") : t("emptyBodyViewer")}</EmptyState>
      ) : (
        <>
          <Table
            caption={t("title")}
            head={[
              t("col.name"),
              t("col.status"),
              t("col.ready"),
              t("col.upToDate"),
              t("col.image"),
              t("col.age"),
              t("col.replicas"),
            ]}
          >
            {list.data.items.map((d) => {
              const image = d.spec.template.spec.containers[0]?.image ?? "";
              const desired = d.spec.replicas;
              return (
                <Fragment key={d.uid}>
                  <tr>
                    <Td>
                      <Link
                        href={inNamespace(`/workloads/${encodeURIComponent(d.name)}`, d.namespace)}
                        className={linkClass}
                      >
                        {d.name}
                      </Link>
                      {namespace ? null : <span className="block text-xs text-zinc-500">{d.namespace}</span>}
                    </Td>
                    <Td>
                      <DeploymentHealthBadge health={d.health} />
                      {d.health.cause && d.health.state !== "Progressing" && d.health.message ? (
                        <p
                          className="mt-1 max-w-72 truncate text-xs text-zinc-600 dark:text-zinc-400"
                          title={d.health.cause.message}
                        >
                          {d.health.cause.message}
                        </p>
                      ) : null}
                    </Td>
                    <Td className="tabular-nums">
                      <span aria-hidden="true">
                        {d.status.readyReplicas}/{desired}
                      </span>
                      <span className="sr-only">{t("readyOf", { ready: d.status.readyReplicas, desired })}</span>
                    </Td>
                    <Td className="tabular-nums">{d.status.updatedReplicas}</Td>
                    <Td className="max-w-64 truncate font-mono text-xs">
                      <span title={image}>{image}</span>
                    </Td>
                    <Td className="tabular-nums">{now !== null ? formatAge(d.createdAt, now) : "–"}</Td>
                    <Td>
                      <div className="flex items-center gap-1">
                        {canWrite ? (
                          <Button
                            variant="secondary"
                            className="w-9 px-0"
                            aria-label={t("scaleDown", { name: d.name })}
                            disabled={desired <= 0}
                            onClick={() =>
                              scale.mutate({ name: d.name, namespace: d.namespace, replicas: desired - 1 })
                            }
                          >
                            −
                          </Button>
                        ) : null}
                        <span className="w-10 text-center tabular-nums" data-testid={`desired-${d.name}`}>
                          {desired}
                        </span>
                        {canWrite ? (
                          <Button
                            variant="secondary"
                            className="w-9 px-0"
                            aria-label={t("scaleUp", { name: d.name })}
                            disabled={desired >= MAX_REPLICAS}
                            onClick={() =>
                              scale.mutate({ name: d.name, namespace: d.namespace, replicas: desired + 1 })
                            }
                          >
                            +
                          </Button>
                        ) : null}
                      </div>
                    </Td>
                  </tr>
                  {scaleError?.name === d.name ? (
                    <tr>
                      <td colSpan={7} className="px-3 pb-2">
                        <ErrorNote message={t("scaleError", { name: d.name, message: scaleError.message })} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
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
    </div>
  );
}
