"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc";
import { inNamespace, useNamespace } from "@/components/namespaces/use-namespace";
import { useFormatAge } from "@/components/use-format-age";
import { EngineClock } from "@/components/nodes/engine-clock";
import { SelectField } from "@/components/ui/field";
import { EmptyState, ErrorNote, Notice, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { Button } from "@/components/ui/button";
import { Pager, isNotFound, linkClass, useCursorPager, useEngineNow } from "@/components/workloads/common";
import { PodHealthBadge } from "@/components/workloads/health";
import { DNS1123 } from "@/components/workloads/spec";
import { minLiveRefresh } from "@/components/live/query-meta";

const PAGE_SIZE = 50;
const PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;
type Phase = (typeof PHASES)[number];

/** Filters live in the query string so that they survive a reload and can be shared; bad values are ignored and said so. */
function useFilters() {
  const params = useSearchParams();
  const raw = {
    deployment: params.get("deployment") ?? "",
    phase: params.get("phase") ?? "",
    node: params.get("node") ?? "",
  };
  const invalid: string[] = [];
  const deployment =
    raw.deployment && DNS1123.test(raw.deployment) && raw.deployment.length <= 63
      ? raw.deployment
      : (raw.deployment && invalid.push("deployment"), "");
  const phase: Phase | "" = (PHASES as readonly string[]).includes(raw.phase)
    ? (raw.phase as Phase)
    : (raw.phase && invalid.push("phase"), "");
  const node =
    raw.node && DNS1123.test(raw.node) && raw.node.length <= 63 ? raw.node : (raw.node && invalid.push("node"), "");
  return { deployment, phase, node, invalid };
}

export function PodsPage() {
  const t = useTranslations("pods");
  const th = useTranslations("health");
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useFilters();
  const { namespace } = useNamespace();
  const scope = namespace ? { namespace } : {};
  const pager = useCursorPager(`${namespace}|${filters.deployment}|${filters.phase}|${filters.node}`);
  const input = {
    limit: PAGE_SIZE,
    ...scope,
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
    ...(filters.deployment ? { deployment: filters.deployment } : {}),
    ...(filters.phase ? { phase: filters.phase } : {}),
    ...(filters.node ? { node: filters.node } : {}),
  };
  const pods = useQuery(
    trpc.pods.list.queryOptions(input, {
      placeholderData: keepPreviousData,
      retry: (n, e) => !isNotFound(e) && n < 2,
    }),
  );
  // The filters' lists of names: refreshed by changes, no more often than every 10 s.
  const deployments = useQuery(
    trpc.deployments.list.queryOptions({ limit: 500, ...scope }, { staleTime: 10_000, meta: minLiveRefresh(10_000) }),
  );
  const nodes = useQuery(
    trpc.nodes.list.queryOptions({ limit: 500 }, { staleTime: 10_000, meta: minLiveRefresh(10_000) }),
  );
  const now = useEngineNow();
  const formatAge = useFormatAge();
  const depName = new Map((deployments.data?.items ?? []).map((d) => [d.id, d.name]));

  const setFilter = (key: "deployment" | "phase" | "node", value: string) => {
    const next = new URLSearchParams();
    const merged = { deployment: filters.deployment, phase: filters.phase, node: filters.node, [key]: value };
    for (const [k, v] of Object.entries(merged)) if (v) next.set(k, v);
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  const anyFilter = Boolean(filters.deployment || filters.phase || filters.node);
  const withCurrent = (names: string[], current: string) =>
    current && !names.includes(current) ? [current, ...names] : names;

  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} description={t("description")} actions={<EngineClock />} />
      <search aria-label={t("filters")}>
        <form className="grid gap-3 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end" onSubmit={(e) => e.preventDefault()}>
          <SelectField
            label={t("filterDeployment")}
            value={filters.deployment}
            onChange={(e) => setFilter("deployment", e.target.value)}
          >
            <option value="">{t("all")}</option>
            {withCurrent(
              (deployments.data?.items ?? []).map((d) => d.name),
              filters.deployment,
            ).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t("filterPhase")}
            value={filters.phase}
            onChange={(e) => setFilter("phase", e.target.value)}
          >
            <option value="">{t("all")}</option>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {t(`phase.${p}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("filterNode")} value={filters.node} onChange={(e) => setFilter("node", e.target.value)}>
            <option value="">{t("all")}</option>
            {withCurrent(
              (nodes.data?.items ?? []).map((n) => n.name),
              filters.node,
            ).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </SelectField>
          <Button
            variant="secondary"
            disabled={!anyFilter && filters.invalid.length === 0}
            onClick={() => router.replace(pathname, { scroll: false })}
          >
            {t("clearFilters")}
          </Button>
        </form>
      </search>
      {filters.invalid.length > 0 ? (
        <Notice>{t("invalidFilters", { fields: filters.invalid.map((f) => t(`filterName.${f}`)).join(", ") })}</Notice>
      ) : null}
      {pods.isPending ? (
        <SkeletonRows rows={6} />
      ) : pods.error ? (
        isNotFound(pods.error) ? (
          <EmptyState title={t("filterNotFound")}>
            <p>{pods.error.message}</p>
            <Button variant="secondary" className="mt-3" onClick={() => router.replace(pathname)}>
              {t("clearFilters")}
            </Button>
          </EmptyState>
        ) : (
          <ErrorNote message={t("loadError", { message: pods.error.message })} />
        )
      ) : pods.data.items.length === 0 && !pager.hasPrevious ? (
        anyFilter ? (
          <EmptyState title={t("emptyFilteredTitle")}>{t("emptyFilteredBody")}</EmptyState>
        ) : (
          <EmptyState title={t("emptyTitle")}>
            {t("emptyBody")}{" "}
            <Link href="/workloads" className={linkClass}>
              {t("toWorkloads")}
            </Link>
          </EmptyState>
        )
      ) : (
        <>
          <Table
            caption={t("title")}
            head={[
              t("col.name"),
              th("column"),
              t("col.ready"),
              t("col.deployment"),
              t("col.node"),
              t("col.ip"),
              t("col.restarts"),
              t("col.age"),
            ]}
          >
            {pods.data.items.map((p) => {
              const ready = p.status.containerStatuses.filter((c) => c.ready).length;
              const dep = p.deploymentId ? depName.get(p.deploymentId) : undefined;
              return (
                <tr key={p.uid} className="h-11">
                  <Td>
                    <Link
                      href={inNamespace(`/pods/${encodeURIComponent(p.name)}`, p.namespace)}
                      className={`${linkClass} font-mono text-xs`}
                    >
                      {p.name}
                    </Link>
                    {namespace ? null : <span className="block text-xs text-zinc-500">{p.namespace}</span>}
                  </Td>
                  <Td>
                    <PodHealthBadge health={p.health} />
                  </Td>
                  <Td className="tabular-nums">
                    {ready}/{p.spec.containers.length}
                  </Td>
                  <Td>
                    {dep ? (
                      <Link
                        href={inNamespace(`/workloads/${encodeURIComponent(dep)}`, p.namespace)}
                        className={linkClass}
                      >
                        {dep}
                      </Link>
                    ) : (
                      "–"
                    )}
                  </Td>
                  <Td>{p.nodeName ?? t("unscheduled")}</Td>
                  <Td className="font-mono text-xs">{p.podIP ?? "–"}</Td>
                  <Td className="tabular-nums">{p.status.containerStatuses.reduce((s, c) => s + c.restartCount, 0)}</Td>
                  <Td className="tabular-nums">{now !== null ? formatAge(p.createdAt, now) : "–"}</Td>
                </tr>
              );
            })}
          </Table>
          <Pager
            page={pager.page}
            hasPrevious={pager.hasPrevious}
            nextCursor={pods.data.nextCursor}
            onNext={pager.next}
            onPrevious={pager.previous}
          />
        </>
      )}
    </div>
  );
}
