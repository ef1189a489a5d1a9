"use client";
/**
 * The Config page: the tenant's ConfigMaps and Secrets in the selected namespace (or every
 * namespace), each kind in its own paged table. Members create and edit them as YAML and delete
 * them after a confirmation; viewers read ConfigMaps and see Secrets by name, type and key count
 * only. Lists refresh from the tenant's change stream (live notes), never by polling.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCanWrite } from "@/components/console/use-current-role";
import { CreateFromYamlButton } from "@/components/manifest/manifest-actions";
import { KubectlCommand } from "@/components/manifest/kubectl-command";
import { useNamespace } from "@/components/namespaces/use-namespace";
import { EngineClock } from "@/components/nodes/engine-clock";
import { useTRPC } from "@/components/trpc";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorNote, Notice, PageHeader } from "@/components/ui/panel";
import type { ConfigObjectView } from "@/server/trpc/routers/config";
import { ConfigSection } from "./config-section";

export function ConfigPage() {
  const t = useTranslations("config");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Members and above change data objects and read secrets, as on the Kubernetes API; viewers do neither.
  const canWrite = useCanWrite();
  const { namespace } = useNamespace();
  const [deleting, setDeleting] = useState<ConfigObjectView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const remove = useMutation(
    trpc.config.delete.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.config.list.queryKey() }),
    }),
  );
  const resources = canWrite ? "configmaps,secrets" : "configmaps";
  const listCommand = `kubectl get ${resources} ${namespace ? `-n ${namespace}` : "-A"}`;

  const askDelete = (o: ConfigObjectView) => {
    remove.reset();
    setNotice(null);
    setDeleting(o);
  };

  return (
    <div className="space-y-6">
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <div className="flex flex-wrap items-center gap-3">
            <EngineClock />
            {canWrite ? <CreateFromYamlButton starter="ConfigMap" /> : null}
          </div>
        }
      />
      <div className="max-w-2xl">
        <p className="mb-1 text-xs text-zinc-500">{t("listCommand")}</p>
        <KubectlCommand command={listCommand} />
      </div>
      <ErrorNote message={remove.error?.message} />
      {notice ? <Notice>{notice}</Notice> : null}
      {(["ConfigMap", "Secret"] as const).map((kind) => (
        <ConfigSection
          key={kind}
          kind={kind}
          namespace={namespace}
          canWrite={canWrite}
          canReadSecrets={canWrite}
          onDelete={askDelete}
        />
      ))}
      <ConfirmDialog
        open={deleting !== null}
        title={t("deleteTitle", { kind: deleting?.kind ?? "", name: deleting?.name ?? "" })}
        body={t("deleteBody", {
          kind: deleting?.kind ?? "",
          name: deleting?.name ?? "",
          namespace: deleting?.namespace ?? "",
        })}
        actionLabel={t("delete")}
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) {
            const { kind, name, namespace: inNs, resourceVersion } = deleting;
            remove.mutate(
              { kind, name, namespace: inNs, resourceVersion },
              { onSuccess: () => setNotice(t("deleted", { kind, name })) },
            );
          }
          setDeleting(null);
        }}
      />
    </div>
  );
}
