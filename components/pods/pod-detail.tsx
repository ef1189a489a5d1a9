"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "@/components/trpc";
import { useNamespace } from "@/components/namespaces/use-namespace";
import { useCanWrite } from "@/components/console/use-current-role";
import { formatBytes, formatCpu } from "@/components/format";
import { useFormatAge } from "@/components/use-format-age";
import { EngineClock } from "@/components/nodes/engine-clock";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SelectField } from "@/components/ui/field";
import { Badge, Card, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import type { ContainerState } from "@/server/engine/kinds/types";
import { NotFoundPanel, isNotFound, linkClass, useEngineNow } from "@/components/workloads/common";
import { PodHealthBadge, useExplain } from "@/components/workloads/health";
import { EventsCard } from "@/components/workloads/events-table";
import { PodMonitoring } from "@/components/monitoring/pod-monitoring";
import { PodNetwork } from "@/components/pods/pod-network";
import { minLiveRefresh } from "@/components/live/query-meta";
import { EditYamlButton, KubectlLine } from "@/components/manifest/manifest-actions";

export function PodDetail({ name }: { name: string }) {
  const t = useTranslations("pods.detail");
  const tp = useTranslations("pods");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const explain = useExplain();
  const { namespace } = useNamespace();
  const scope = namespace ? { namespace } : {};
  const pod = useQuery(trpc.pods.get.queryOptions({ name, ...scope }, { retry: (n, e) => !isNotFound(e) && n < 2 }));
  const deployments = useQuery(
    trpc.deployments.list.queryOptions({ limit: 500 }, { staleTime: 30_000, meta: minLiveRefresh(30_000) }),
  );
  const now = useEngineNow();
  const formatAge = useFormatAge();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.pods.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.pods.list.queryKey() });
        router.push("/pods");
      },
    }),
  );

  if (pod.error && isNotFound(pod.error)) {
    return (
      <div>
        <PageHeader title={name} />
        <NotFoundPanel
          title={t("notFoundTitle")}
          body={t("notFoundBody", { name })}
          href="/pods"
          linkLabel={t("backToList")}
        />
      </div>
    );
  }
  const p = pod.data;
  const dep = p?.deploymentId ? deployments.data?.items.find((d) => d.id === p.deploymentId)?.name : undefined;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <nav aria-label={t("breadcrumb")} className="text-sm">
          <Link href="/pods" className={linkClass}>
            {tp("title")}
          </Link>
          <span className="px-1 text-zinc-400">/</span>
          <span className="font-mono text-xs">{name}</span>
        </nav>
        <EngineClock />
      </div>
      <PageHeader
        title={name}
        description={p ? <PodHealthBadge health={p.health} /> : undefined}
        actions={
          p ? (
            <>
              <EditYamlButton target={{ kind: "Pod", name, namespace: p.namespace }} canWrite={canWrite} />
              {canWrite ? (
                <Button
                  variant="danger"
                  disabled={remove.isPending || p.deletionTimestamp !== undefined}
                  onClick={() => setConfirming(true)}
                >
                  {t("delete")}
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      {p ? <KubectlLine target={{ kind: "Pod", name, namespace: p.namespace }} /> : null}
      <ErrorNote message={remove.error ? t("deleteError", { message: remove.error.message }) : null} />
      {pod.isPending ? (
        <div className="space-y-4">
          <SkeletonRows rows={3} />
          <SkeletonRows rows={3} />
        </div>
      ) : pod.error ? (
        <div className="space-y-2">
          <ErrorNote message={tp("loadError", { message: pod.error.message })} />
          <Link href="/pods" className={linkClass}>
            {t("backToList")}
          </Link>
        </div>
      ) : p ? (
        <>
          <Card title={t("summary")}>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
              <dt className="text-zinc-500 dark:text-zinc-400">{tp("col.node")}</dt>
              <dd>{p.nodeName ?? tp("unscheduled")}</dd>
              <dt className="text-zinc-500 dark:text-zinc-400">{tp("col.ip")}</dt>
              <dd className="font-mono" data-testid="pod-ip" title={t("addressNote")}>
                {p.podIP ?? tp("noAddress")}
              </dd>
              <dt className="text-zinc-500 dark:text-zinc-400">{t("mac")}</dt>
              <dd className="font-mono" data-testid="pod-mac" title={t("addressNote")}>
                {p.macAddress ?? "–"}
              </dd>
              <dt className="text-zinc-500 dark:text-zinc-400">{tp("col.deployment")}</dt>
              <dd>
                {dep ? (
                  <Link href={`/workloads/${encodeURIComponent(dep)}`} className={linkClass}>
                    {dep}
                  </Link>
                ) : (
                  "–"
                )}
              </dd>
              <dt className="text-zinc-500 dark:text-zinc-400">{tp("col.age")}</dt>
              <dd className="tabular-nums">{now !== null ? formatAge(p.createdAt, now) : "–"}</dd>
              <dt className="text-zinc-500 dark:text-zinc-400">{t("requests")}</dt>
              <dd>
                {formatCpu(p.requests.cpuMillis)} / {formatBytes(p.requests.memoryBytes)}
              </dd>
              {p.health.state !== "Available" ? (
                <>
                  <dt className="text-zinc-500 dark:text-zinc-400">{t("reason")}</dt>
                  <dd className="col-span-3" data-testid="pod-health-reason">
                    <span className="font-mono">{p.health.reason}</span>
                    {p.health.message ? (
                      <span className="break-words font-mono text-xs">: {p.health.message}</span>
                    ) : null}
                    {explain(p.health.reason, p.health.state === "Progressing") ? (
                      <span className="block text-zinc-600 dark:text-zinc-400">
                        {explain(p.health.reason, p.health.state === "Progressing")}
                      </span>
                    ) : null}
                  </dd>
                </>
              ) : null}
            </dl>
          </Card>
          <Card title={t("containers")}>
            <Table
              caption={t("containers")}
              head={[t("container"), t("image"), t("state"), t("ready"), tp("col.restarts"), t("lastExit")]}
            >
              {p.spec.containers.map((c) => {
                const s = p.status.containerStatuses.find((x) => x.name === c.name);
                return (
                  <tr key={c.name}>
                    <Td>{c.name}</Td>
                    <Td className="font-mono text-xs">{c.image}</Td>
                    <Td>{s ? <StateText state={s.state} now={now} /> : t("stateUnknown")}</Td>
                    <Td>{s?.ready ? <Badge tone="good">{t("yes")}</Badge> : <Badge>{t("no")}</Badge>}</Td>
                    <Td className="tabular-nums">{s?.restartCount ?? 0}</Td>
                    <Td>{s?.lastTerminationReason ?? "–"}</Td>
                  </tr>
                );
              })}
            </Table>
          </Card>
          <PodMonitoring
            name={name}
            containers={p.spec.containers.map((c) => c.name)}
            statuses={p.status.containerStatuses}
          />
          <PodNetwork name={name} namespace={p.namespace} />
          <Logs name={name} namespace={p.namespace} containers={p.spec.containers.map((c) => c.name)} />
          <EventsCard
            objectName={name}
            objectKind="Pod"
            namespace={p.namespace}
            now={now}
            objectCreatedAt={p.createdAt}
          />
          <ConfirmDialog
            open={confirming}
            title={t("deleteTitle", { name })}
            body={dep ? t("deleteBodyOwned", { deployment: dep }) : t("deleteBody")}
            actionLabel={t("delete")}
            confirmText={name}
            busy={remove.isPending}
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              remove.mutate({ name, ...scope });
              setConfirming(false);
            }}
          />
        </>
      ) : null}
    </div>
  );
}

function StateText({ state, now }: { state: ContainerState; now: number | null }) {
  const t = useTranslations("pods.detail");
  const formatAge = useFormatAge();
  if ("running" in state)
    return (
      <Badge tone="good">{t("running", { age: now !== null ? formatAge(state.running.startedAt, now) : "–" })}</Badge>
    );
  if ("waiting" in state)
    return (
      <Badge tone={state.waiting.reason === "ContainerCreating" ? "warn" : "bad"}>
        {t("waiting", { reason: state.waiting.reason })}
      </Badge>
    );
  return (
    <Badge tone={state.terminated.exitCode === 0 ? "neutral" : "bad"}>
      {t("terminated", { reason: state.terminated.reason, code: state.terminated.exitCode })}
    </Badge>
  );
}

function Logs({ name, namespace, containers }: { name: string; namespace: string; containers: string[] }) {
  const t = useTranslations("pods.detail");
  const trpc = useTRPC();
  const [container, setContainer] = useState(containers[0] ?? "");
  const [follow, setFollow] = useState(true);
  const logs = useQuery(
    trpc.pods.logs.queryOptions(
      { name, namespace, ...(container ? { container } : {}) },
      // Lines are written as the pod's containers start, exit and stop: each is a pod change. Paused: no refresh.
      { meta: minLiveRefresh(follow ? 0 : false) },
    ),
  );
  const box = useRef<HTMLPreElement>(null);
  const lines = logs.data?.lines;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `lines` is the trigger: new lines scroll the followed log to the bottom.
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);
  return (
    <Card title={t("logs")}>
      <div className="mb-3 flex flex-wrap items-end gap-3">
        {containers.length > 1 ? (
          <div className="w-56">
            <SelectField label={t("container")} value={container} onChange={(e) => setContainer(e.target.value)}>
              {containers.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </SelectField>
          </div>
        ) : null}
        <Button variant={follow ? "primary" : "secondary"} aria-pressed={follow} onClick={() => setFollow((f) => !f)}>
          {t("follow")}
        </Button>
        {!follow ? (
          <Button variant="secondary" onClick={() => void logs.refetch()}>
            {t("refreshLogs")}
          </Button>
        ) : null}
        <span className="text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite">
          {follow ? t("following") : t("notFollowing")}
        </span>
      </div>
      {logs.error ? <ErrorNote message={t("logsError", { message: logs.error.message })} /> : null}
      <section aria-label={t("logLines")}>
        <pre
          ref={box}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable log must be focusable so keyboard users can scroll it.
          tabIndex={0}
          className="h-72 overflow-auto rounded-md border border-zinc-200 bg-zinc-950 p-3 font-mono text-xs leading-5 text-zinc-100 dark:border-zinc-800"
        >
          {logs.isPending ? t("loadingLogs") : lines && lines.length > 0 ? lines.join("\n") : t("noLogs")}
        </pre>
      </section>
    </Card>
  );
}
