"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useTRPC } from "@/components/trpc";
import { useNamespace } from "@/components/namespaces/use-namespace";
import { EngineMessage } from "@/components/events/event-message";
import { useCanWrite } from "@/components/console/use-current-role";
import { useFormatAge } from "@/components/use-format-age";
import { EngineClock } from "@/components/nodes/engine-clock";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Badge, Card, ErrorNote, Notice, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { NotFoundPanel, ProgressBar, isNotFound, linkClass, useEngineNow } from "./common";
import { DeploymentHealthBadge, HealthCauseNote } from "./health";
import { type ActionNotice, noticeHolds } from "./action-notice";
import { DeploymentMonitoring } from "@/components/monitoring/deployment-monitoring";
import { EventsCard } from "./events-table";
import { DeploymentPods } from "./deployment-pods";
import { EditImage } from "./edit-image";
import { currentRevisionOf } from "./revisions";
import { RevisionsCard } from "./revisions-card";
import { RollbackDialog } from "./rollback-dialog";
import { EditYamlButton, KubectlLine } from "@/components/manifest/manifest-actions";

export function DeploymentDetail({ name }: { name: string }) {
  const t = useTranslations("workloads.detail");
  const tw = useTranslations("workloads");
  const th = useTranslations("health");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const { namespace } = useNamespace();
  const scope = namespace ? { namespace } : {};
  const dep = useQuery(
    trpc.deployments.get.queryOptions({ name, ...scope }, { retry: (n, e) => !isNotFound(e) && n < 2 }),
  );
  // Tell "gone" from "failed" by the list too, in case an error reaches us without its NOT_FOUND code.
  const listCheck = useQuery(
    trpc.deployments.list.queryOptions({ limit: 500, ...scope }, { enabled: dep.isError && !isNotFound(dep.error) }),
  );
  const missing =
    isNotFound(dep.error) ||
    (dep.isError &&
      !!listCheck.data &&
      !listCheck.data.nextCursor &&
      !listCheck.data.items.some((x) => x.name === name));
  const now = useEngineNow();
  const formatAge = useFormatAge();
  const d = dep.data;
  const [notice, setNotice] = useState<ActionNotice | null>(null);
  // A notice says what an action started; it lasts as long as the state shows that work going on.
  const noticeShown = notice !== null && d !== undefined && noticeHolds(notice, d);
  useEffect(() => {
    if (notice && d && !noticeShown) setNotice(null);
  }, [notice, d, noticeShown]);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.deployments.get.queryKey({ name }) });
    void queryClient.invalidateQueries({ queryKey: trpc.pods.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey() });
  };
  const [actionError, setActionError] = useState<string | null>(null);
  const opts = (text: string, until: ActionNotice["until"] = "rolledOut") => ({
    onMutate: () => {
      setActionError(null);
      setNotice(null);
    },
    onSuccess: (after: { generation: number }) => setNotice({ text, until, generation: after.generation }),
    onError: (e: { message: string }) => setActionError(e.message),
    onSettled: refresh,
  });
  const pause = useMutation(trpc.deployments.pause.mutationOptions(opts(t("pausedNotice"), "resumed")));
  const resume = useMutation(trpc.deployments.resume.mutationOptions(opts(t("resumedNotice"))));
  const restart = useMutation(trpc.deployments.restart.mutationOptions(opts(t("restartedNotice"))));
  const remove = useMutation(
    trpc.deployments.delete.mutationOptions({
      onError: (e) => setActionError(e.message),
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey() });
        router.push("/workloads");
      },
    }),
  );
  const [dialog, setDialog] = useState<"delete" | "restart" | "rollback" | null>(null);

  if (missing) {
    return (
      <div>
        <PageHeader title={name} />
        <NotFoundPanel
          title={t("notFoundTitle")}
          body={t("notFoundBody", { name })}
          href="/workloads"
          linkLabel={t("backToList")}
        />
      </div>
    );
  }

  const busy = pause.isPending || resume.isPending || restart.isPending || remove.isPending;
  const manifest = d ? { kind: "Deployment", name, namespace: d.namespace } : undefined;
  const actions = !d ? null : !canWrite ? (
    <EditYamlButton target={{ kind: "Deployment", name, namespace: d.namespace }} canWrite={false} />
  ) : (
    <>
      <EditYamlButton target={{ kind: "Deployment", name, namespace: d.namespace }} canWrite />
      {d.spec.paused ? (
        <Button variant="secondary" disabled={busy} onClick={() => resume.mutate({ name, ...scope })}>
          {t("resume")}
        </Button>
      ) : (
        <Button variant="secondary" disabled={busy} onClick={() => pause.mutate({ name, ...scope })}>
          {t("pause")}
        </Button>
      )}
      <Button variant="secondary" disabled={busy} onClick={() => setDialog("restart")}>
        {t("restart")}
      </Button>
      <Button variant="secondary" disabled={busy || d.revisions.length < 2} onClick={() => setDialog("rollback")}>
        {t("rollback")}
      </Button>
      <Button variant="danger" disabled={busy} onClick={() => setDialog("delete")}>
        {t("delete")}
      </Button>
    </>
  );

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <nav aria-label={t("breadcrumb")} className="text-sm">
          <Link href="/workloads" className={linkClass}>
            {tw("title")}
          </Link>
          <span className="px-1 text-zinc-400">/</span>
          <span>{name}</span>
        </nav>
        <EngineClock />
      </div>
      <PageHeader
        title={name}
        description={d ? <DeploymentHealthBadge health={d.health} /> : undefined}
        actions={actions}
      />
      {manifest ? <KubectlLine target={manifest} /> : null}
      <ErrorNote message={actionError} />
      {noticeShown ? <Notice>{notice.text}</Notice> : null}
      {dep.isPending ? (
        <div className="space-y-4">
          <SkeletonRows rows={4} />
          <SkeletonRows rows={4} />
        </div>
      ) : dep.error ? (
        <div className="space-y-2">
          <ErrorNote message={tw("loadError", { message: dep.error.message })} />
          <Link href="/workloads" className={linkClass}>
            {t("backToList")}
          </Link>
        </div>
      ) : d ? (
        <>
          <Card title={t("status")}>
            <div className="grid gap-6 lg:grid-cols-[1fr_1fr]">
              <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
                {(
                  [
                    ["desired", d.spec.replicas],
                    ["updated", d.status.updatedReplicas],
                    ["ready", d.status.readyReplicas],
                    ["available", d.status.availableReplicas],
                  ] as const
                ).map(([k, v]) => (
                  <div key={k}>
                    <dt className="text-xs text-zinc-500 dark:text-zinc-400">{t(k)}</dt>
                    <dd className="text-2xl font-semibold tabular-nums" data-testid={`status-${k}`}>
                      {v}
                    </dd>
                  </div>
                ))}
                <div className="col-span-2 sm:col-span-4 grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
                  <span className="text-zinc-500 dark:text-zinc-400">{t("revision")}</span>
                  <span className="tabular-nums">{d.status.currentRevision || "–"}</span>
                  <span className="text-zinc-500 dark:text-zinc-400">{t("pausedLabel")}</span>
                  <span>{d.spec.paused ? t("yes") : t("no")}</span>
                  <span className="text-zinc-500 dark:text-zinc-400">{t("strategy")}</span>
                  <span>
                    {t("strategyValue", {
                      surge: String(d.spec.strategy.maxSurge),
                      unavailable: String(d.spec.strategy.maxUnavailable),
                    })}
                  </span>
                  <span className="text-zinc-500 dark:text-zinc-400">{t("age")}</span>
                  <span className="tabular-nums">{now !== null ? formatAge(d.createdAt, now) : "–"}</span>
                </div>
              </dl>
              <div className="space-y-3">
                <ProgressBar
                  label={t("progressUpdated")}
                  value={Math.min(d.status.updatedReplicas, d.spec.replicas)}
                  max={d.spec.replicas}
                />
                <ProgressBar
                  label={t("progressAvailable")}
                  value={Math.min(d.status.availableReplicas, d.spec.replicas)}
                  max={d.spec.replicas}
                />
                <p className="text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">
                  {th(`summary.${d.health.state}`, {
                    updated: Math.min(d.status.updatedReplicas, d.spec.replicas),
                    desired: d.spec.replicas,
                    available: Math.min(d.status.availableReplicas, d.spec.replicas),
                    seconds: d.spec.progressDeadlineSeconds,
                  })}
                </p>
                <HealthCauseNote health={d.health} />
              </div>
            </div>
          </Card>

          <Card title={t("conditions")}>
            {d.status.conditions.length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("noConditions")}</p>
            ) : (
              <Table
                caption={t("conditions")}
                head={[t("condType"), t("condStatus"), t("condReason"), t("condMessage")]}
              >
                {d.status.conditions.map((c) => (
                  <tr key={c.type}>
                    <Td>{c.type}</Td>
                    <Td>
                      <Badge tone={c.status === "True" ? "good" : c.status === "False" ? "bad" : "neutral"}>
                        {c.status}
                      </Badge>
                    </Td>
                    <Td>{c.reason}</Td>
                    <Td className="break-words">
                      <EngineMessage text={c.message} />
                    </Td>
                  </tr>
                ))}
              </Table>
            )}
          </Card>

          {canWrite ? (
            <EditImage name={name} namespace={d.namespace} template={d.spec.template} onDone={refresh} />
          ) : null}

          <DeploymentPods name={name} pods={d.pods} now={now} />

          <RevisionsCard deployment={d} now={now} />

          <DeploymentMonitoring name={name} />

          <EventsCard
            objectName={name}
            objectKind="Deployment"
            namespace={d.namespace}
            now={now}
            objectCreatedAt={d.createdAt}
          />

          <RollbackDialog
            namespace={d.namespace}
            open={dialog === "rollback"}
            name={name}
            paused={d.spec.paused}
            current={d.spec.template}
            currentRevision={currentRevisionOf(d)}
            revisions={d.revisions}
            now={now}
            onClose={() => setDialog(null)}
            onDone={(rev) => {
              setNotice({
                text: t("rolledBackNotice", { revision: rev }),
                until: "rolledOut",
                generation: d.generation + 1,
              });
              refresh();
            }}
          />
          <ConfirmDialog
            open={dialog === "restart"}
            title={t("restartTitle", { name })}
            body={t("restartBody")}
            actionLabel={t("restart")}
            busy={restart.isPending}
            onCancel={() => setDialog(null)}
            onConfirm={() => {
              restart.mutate({ name, ...scope });
              setDialog(null);
            }}
          />
          <ConfirmDialog
            open={dialog === "delete"}
            title={t("deleteTitle", { name })}
            body={t("deleteBody", { name, count: d.spec.replicas })}
            actionLabel={t("delete")}
            confirmText={name}
            busy={remove.isPending}
            onCancel={() => setDialog(null)}
            onConfirm={() => {
              remove.mutate({ name, ...scope });
              setDialog(null);
            }}
          />
        </>
      ) : null}
    </div>
  );
}
