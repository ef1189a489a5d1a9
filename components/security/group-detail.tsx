"use client";
/**
 * One security group: its rule editor (read-only for viewers), the pods it applies to now, what
 * each rule admitted (modelled traffic), the operators' bans no rule can open, its YAML and kubectl command, and delete after a
 * confirmation. The form edits the version it was opened on: a change made meanwhile elsewhere
 * is announced (with a way to load it) and a save over it is refused by the server (CONFLICT).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCanWrite } from "@/components/console/use-current-role";
import { EditYamlButton, KubectlLine } from "@/components/manifest/manifest-actions";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorNote, Notice, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { isNotFound, linkClass, NotFoundPanel } from "@/components/workloads/common";
import type { SecurityGroupView } from "@/server/trpc/views/security-groups";
import { GroupForm } from "./group-form";
import { PortBansNote } from "./port-bans-note";
import { draftOfGroup } from "./rule-draft";
import { RuleHitsCard } from "./rule-hits-card";
import { LimitsCard, ModelledNote } from "./security-notes";
import { useGroupNames } from "./use-group-names";

export function GroupDetail({ name }: { name: string }) {
  const t = useTranslations("security.detail");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const group = useQuery(trpc.security.get.queryOptions({ name }));
  const groupNames = useGroupNames();
  // The version the form edits: the first one loaded, then each one saved here.
  const [base, setBase] = useState<SecurityGroupView | null>(null);
  if (group.data && base === null) setBase(group.data);
  const [confirming, setConfirming] = useState(false);
  const [saved, setSaved] = useState(false);
  const remove = useMutation(
    trpc.security.delete.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.security.pathKey() }),
      onSuccess: () => router.push("/security-groups"),
    }),
  );

  if (group.error && isNotFound(group.error))
    return (
      <NotFoundPanel
        title={t("notFoundTitle", { name })}
        body={t("notFoundBody")}
        href="/security-groups"
        linkLabel={t("back")}
      />
    );
  if (group.error) return <ErrorNote message={group.error.message} />;
  if (!base || !group.data) return <SkeletonRows rows={6} />;
  const changedElsewhere = group.data.resourceVersion !== base.resourceVersion;
  // The form writes selectors as matchLabels only: a group with set-based expressions is edited as
  // YAML, so that a save from the form never drops them.
  const yamlOnly = (base.podSelector?.matchExpressions?.length ?? 0) > 0;
  const target = { kind: "SecurityGroup", name };

  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/security-groups" className={linkClass}>
          {t("back")}
        </Link>
      </p>
      <PageHeader
        title={t("title", { name })}
        description={t("description", { pods: group.data.attachedPods })}
        actions={
          <div className="flex flex-wrap gap-2">
            <EditYamlButton target={target} canWrite={canWrite} />
            {canWrite ? (
              <Button variant="danger" onClick={() => setConfirming(true)}>
                {t("delete")}
              </Button>
            ) : null}
          </div>
        }
      />
      <KubectlLine target={target} />
      <ModelledNote />
      {saved && !changedElsewhere ? <Notice>{t("saved", { name })}</Notice> : null}
      {changedElsewhere ? (
        <Notice>
          {t("changedElsewhere")}{" "}
          <Button variant="secondary" onClick={() => setBase(group.data)}>
            {t("loadLatest")}
          </Button>
        </Notice>
      ) : null}
      <ErrorNote message={remove.error?.message} />
      {yamlOnly && canWrite ? <Notice>{t("expressionsYaml")}</Notice> : null}
      <GroupForm
        key={base.resourceVersion}
        initial={draftOfGroup(base)}
        existing={{ resourceVersion: base.resourceVersion }}
        readOnly={!canWrite || yamlOnly}
        groupNames={groupNames}
        onSaved={(view) => {
          setSaved(true);
          setBase(view);
        }}
      />
      <RuleHitsCard group={group.data} />
      <PortBansNote />
      <LimitsCard />
      <ConfirmDialog
        open={confirming}
        title={t("deleteTitle", { name })}
        body={t("deleteBody", { name, pods: group.data.attachedPods })}
        actionLabel={t("delete")}
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          remove.mutate({ name, resourceVersion: base.resourceVersion });
        }}
      />
    </div>
  );
}
