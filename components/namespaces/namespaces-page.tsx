"use client";
/**
 * The Namespaces page: the tenant's namespaces with their phase (Terminating while what was in
 * them is deleted), pods and quota (used of hard; none: the tenant's quota alone limits it);
 * owners and admins create them and delete them, deletion asking for the namespace's name typed
 * out since it deletes everything inside, and set or remove their quotas, removal after a
 * confirmation. The default namespace cannot be deleted, so it offers no delete button.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useCurrentRole } from "@/components/console/use-current-role";
import { useTRPC } from "@/components/trpc";
import { RowObjectActions } from "@/components/config/object-actions";
import { KubectlCommand } from "@/components/manifest/kubectl-command";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TextField } from "@/components/ui/field";
import { Badge, Card, EmptyState, ErrorNote, Notice, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useFormatAge } from "@/components/use-format-age";
import { useEngineNow } from "@/components/workloads/common";
import type { ResourceQuotaViewOut as ResourceQuota } from "@/server/trpc/views/resource-quotas";
import { NamespaceQuota } from "./namespace-quota";
import { QuotaDialog, type QuotaTarget } from "./quota-dialog";

export function NamespacesPage() {
  const t = useTranslations("namespaces");
  const tq = useTranslations("resourceQuotas");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const role = useCurrentRole();
  const canManage = role === "owner" || role === "admin";
  const list = useQuery(trpc.namespaces.list.queryOptions());
  // Every namespace's quotas in one read (live notes of ResourceQuota changes refresh it).
  const quotas = useQuery(trpc.resourceQuotas.list.queryOptions({}));
  const quotasOf = (namespace: string) => quotas.data?.items.filter((q) => q.namespace === namespace) ?? [];
  const refreshQuotas = () => queryClient.invalidateQueries({ queryKey: trpc.resourceQuotas.list.queryKey() });
  const now = useEngineNow();
  const formatAge = useFormatAge();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.namespaces.list.queryKey() });
  const [name, setName] = useState("");
  const [deleting, setDeleting] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editingQuota, setEditingQuota] = useState<QuotaTarget | null>(null);
  const [removingQuota, setRemovingQuota] = useState<ResourceQuota | null>(null);
  const create = useMutation(trpc.namespaces.create.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.namespaces.delete.mutationOptions({ onSettled: refresh }));
  const removeQuota = useMutation(trpc.resourceQuotas.delete.mutationOptions({ onSettled: refreshQuotas }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    const wanted = name.trim();
    create.mutate(
      { name: wanted },
      {
        onSuccess: () => {
          setName("");
          setNotice(t("created", { name: wanted }));
        },
      },
    );
  };

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} />
      <div className="max-w-2xl">
        <KubectlCommand command="kubectl get namespaces" />
      </div>
      {canManage ? (
        <Card title={t("createTitle")}>
          <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
            <div className="min-w-64 flex-1">
              <TextField
                label={t("name")}
                hint={t("nameHint")}
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={63}
                required
                error={create.error?.message}
              />
            </div>
            <Button type="submit" disabled={create.isPending || name.trim() === ""}>
              {t("create")}
            </Button>
          </form>
        </Card>
      ) : null}
      <ErrorNote message={remove.error?.message} />
      <ErrorNote message={removeQuota.error?.message} />
      <ErrorNote message={quotas.error?.message} />
      {notice ? <Notice>{notice}</Notice> : null}
      {list.isPending ? (
        <SkeletonRows rows={3} />
      ) : list.error ? (
        <ErrorNote message={list.error.message} />
      ) : list.data.items.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <Table
          caption={t("title")}
          head={[t("name"), t("status"), t("pods"), tq("column"), t("age"), t("actions")]}
          actions
        >
          {list.data.items.map((ns) => (
            <tr key={ns.uid}>
              <Td className="font-medium">
                <span id={`ns-${ns.uid}`} className="font-mono">
                  {ns.name}
                </span>{" "}
                {ns.default ? <Badge>{t("default")}</Badge> : null}
              </Td>
              <Td>
                <Badge tone={ns.phase === "Active" ? "good" : "warn"}>
                  {ns.phase === "Active" ? t("active") : t("terminating")}
                </Badge>
              </Td>
              <Td>{ns.used.pods}</Td>
              <Td>
                {quotas.isPending ? null : (
                  <NamespaceQuota
                    quotas={quotasOf(ns.name)}
                    canManage={canManage && ns.phase === "Active"}
                    describedBy={`ns-${ns.uid}`}
                    onSet={() => {
                      setNotice(null);
                      setEditingQuota({ namespace: ns.name });
                    }}
                    onEdit={(q) => {
                      setNotice(null);
                      setEditingQuota({ namespace: ns.name, quota: q });
                    }}
                    onRemove={(q) => {
                      removeQuota.reset();
                      setNotice(null);
                      setRemovingQuota(q);
                    }}
                  />
                )}
              </Td>
              <Td>{now === null ? "" : formatAge(ns.createdAt, now)}</Td>
              <Td>
                <div className="flex flex-nowrap items-center gap-1 whitespace-nowrap">
                  {/* The API creates and deletes namespaces but does not change them: their manifest is read-only. */}
                  <RowObjectActions
                    target={{ kind: "Namespace", name: ns.name }}
                    canWrite={false}
                    describedBy={`ns-${ns.uid}`}
                  />
                  {canManage && !ns.default && ns.phase === "Active" ? (
                    <Button
                      variant="ghost"
                      aria-describedby={`ns-${ns.uid}`}
                      onClick={() => {
                        remove.reset();
                        setNotice(null);
                        setDeleting(ns.name);
                      }}
                    >
                      {t("delete")}
                    </Button>
                  ) : null}
                </div>
              </Td>
            </tr>
          ))}
        </Table>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={t("deleteTitle", { name: deleting ?? "" })}
        body={t("deleteBody", { name: deleting ?? "" })}
        actionLabel={t("delete")}
        confirmText={deleting ?? undefined}
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) {
            const target = deleting;
            remove.mutate({ name: target }, { onSuccess: () => setNotice(t("deleting", { name: target })) });
          }
          setDeleting(null);
        }}
      />
      <QuotaDialog
        target={editingQuota}
        onClose={() => setEditingQuota(null)}
        onSaved={(namespace) => {
          void refreshQuotas();
          setNotice(tq("saved", { namespace }));
        }}
      />
      <ConfirmDialog
        open={removingQuota !== null}
        title={tq("removeTitle", { name: removingQuota?.name ?? "", namespace: removingQuota?.namespace ?? "" })}
        body={tq("removeBody", { namespace: removingQuota?.namespace ?? "" })}
        actionLabel={tq("remove")}
        busy={removeQuota.isPending}
        onCancel={() => setRemovingQuota(null)}
        onConfirm={() => {
          if (removingQuota) {
            const { name, namespace, resourceVersion } = removingQuota;
            removeQuota.mutate(
              { name, namespace, resourceVersion },
              { onSuccess: () => setNotice(tq("removed", { namespace })) },
            );
          }
          setRemovingQuota(null);
        }}
      />
    </div>
  );
}
