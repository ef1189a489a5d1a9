"use client";
/**
 * The Security groups page: the tenant's security groups (tab one) and its Kubernetes
 * NetworkPolicies (tab two), the limits a group is held to, and the plain statement that the
 * data plane is modelled. Members create groups (the rule editor), edit them and delete them
 * after a confirmation; viewers read them.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCanWrite } from "@/components/console/use-current-role";
import { KubectlCommand } from "@/components/manifest/kubectl-command";
import { useNamespace } from "@/components/namespaces/use-namespace";
import { useTRPC } from "@/components/trpc";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorNote, Notice, PageHeader } from "@/components/ui/panel";
import type { SecurityGroupView } from "@/server/trpc/views/security-groups";
import { GroupTable } from "./group-table";
import { PolicySection } from "./policy-section";
import { LimitsCard, ModelledNote } from "./security-notes";
import { Tabs } from "./tabs";

const buttonLink =
  "inline-flex h-9 items-center justify-center rounded-md bg-sky-600 px-3 text-sm font-medium text-white hover:bg-sky-700";

export function SecurityGroupsPage() {
  const t = useTranslations("security");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const { namespace } = useNamespace();
  const [tab, setTab] = useState<"groups" | "policies">("groups");
  const [deleting, setDeleting] = useState<SecurityGroupView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const remove = useMutation(
    trpc.security.delete.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.security.list.queryKey() }),
    }),
  );

  return (
    <div className="space-y-6">
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          canWrite && tab === "groups" ? (
            <Link href="/security-groups/new" className={buttonLink}>
              {t("list.create")}
            </Link>
          ) : null
        }
      />
      <ModelledNote />
      <div className="max-w-2xl">
        <KubectlCommand
          command={
            tab === "groups"
              ? "kubectl get securitygroups"
              : `kubectl get networkpolicies ${namespace ? `-n ${namespace}` : "-A"}`
          }
        />
      </div>
      <Tabs
        label={t("tabs")}
        tabs={[
          { key: "groups", label: t("groupsTab") },
          { key: "policies", label: t("policiesTab") },
        ]}
        selected={tab}
        onSelect={setTab}
      >
        {tab === "groups" ? (
          <div className="space-y-4">
            <ErrorNote message={remove.error?.message} />
            {notice ? <Notice>{notice}</Notice> : null}
            <GroupTable
              canWrite={canWrite}
              onDelete={(g) => {
                remove.reset();
                setNotice(null);
                setDeleting(g);
              }}
            />
            <LimitsCard />
          </div>
        ) : (
          <PolicySection namespace={namespace} canWrite={canWrite} />
        )}
      </Tabs>
      <ConfirmDialog
        open={deleting !== null}
        title={t("list.deleteTitle", { name: deleting?.name ?? "" })}
        body={t("list.deleteBody", { name: deleting?.name ?? "", pods: deleting?.attachedPods ?? 0 })}
        actionLabel={t("list.delete")}
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) {
            const { name, resourceVersion } = deleting;
            remove.mutate({ name, resourceVersion }, { onSuccess: () => setNotice(t("list.deleted", { name })) });
          }
          setDeleting(null);
        }}
      />
    </div>
  );
}
