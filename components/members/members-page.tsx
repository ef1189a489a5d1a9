"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { tenantRoles, type TenantRole } from "@/server/auth/roles";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Badge, Card, EmptyState, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc";
import { useCurrentRole } from "@/components/console/use-current-role";
import { InviteMemberForm } from "./invite-member-form";

export function MembersPage() {
  const t = useTranslations("members");
  const tr = useTranslations("tenants.roles");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const role = useCurrentRole();
  const canManage = role === "owner" || role === "admin";
  const list = useQuery(trpc.members.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
  const updateRole = useMutation(trpc.members.updateRole.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSettled: refresh }));
  const cancel = useMutation(trpc.members.cancelInvitation.mutationOptions({ onSettled: refresh }));
  const [removing, setRemoving] = useState<{ id: string; email: string } | null>(null);
  const roleOptions = tenantRoles.filter((r) => r !== "owner" || role === "owner");

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} />
      {canManage ? <InviteMemberForm roles={roleOptions} onDone={refresh} /> : null}
      <ErrorNote message={updateRole.error?.message ?? remove.error?.message ?? cancel.error?.message} />
      {list.isPending ? (
        <SkeletonRows rows={3} />
      ) : list.error ? (
        <ErrorNote message={list.error.message} />
      ) : (
        <Table
          caption={t("title")}
          head={[t("email"), t("name"), t("role"), t("since"), canManage ? t("actions") : ""]}
        >
          {list.data.members.map((m) => (
            <tr key={m.id}>
              <Td>{m.email}</Td>
              <Td>{m.name}</Td>
              <Td>
                {canManage && (m.role !== "owner" || role === "owner") ? (
                  <select
                    aria-label={t("roleOf", { email: m.email })}
                    className="h-8 rounded-md border border-zinc-300 bg-white px-2 dark:border-zinc-700 dark:bg-zinc-900"
                    value={m.role}
                    disabled={updateRole.isPending}
                    onChange={(e) => updateRole.mutate({ memberId: m.id, role: e.target.value as TenantRole })}
                  >
                    {roleOptions.map((r) => (
                      <option key={r} value={r}>
                        {tr(r)}
                      </option>
                    ))}
                  </select>
                ) : (
                  <Badge>{tr(m.role as TenantRole)}</Badge>
                )}
              </Td>
              <Td>{format.dateTime(m.createdAt, { dateStyle: "medium" })}</Td>
              <Td>
                {canManage && (m.role !== "owner" || role === "owner") ? (
                  <Button variant="ghost" onClick={() => setRemoving({ id: m.id, email: m.email })}>
                    {t("remove")}
                  </Button>
                ) : null}
              </Td>
            </tr>
          ))}
        </Table>
      )}
      {list.data && list.data.invitations.length > 0 ? (
        <Card title={t("invitations")}>
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {list.data.invitations.map((inv) => (
              <li key={inv.id} className="flex items-center justify-between py-2 text-sm">
                <span>
                  {inv.email} · {tr((inv.role ?? "member") as TenantRole)} ·{" "}
                  {t("invitedBy", { email: inv.invitedByEmail })} ·{" "}
                  {t("expires", { date: format.dateTime(inv.expiresAt, { dateStyle: "medium", timeStyle: "short" }) })}
                </span>
                {canManage ? (
                  <Button
                    variant="ghost"
                    aria-label={`${t("cancelInvitation")}: ${inv.email}`}
                    onClick={() => cancel.mutate({ id: inv.id })}
                  >
                    {t("cancelInvitation")}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {list.data && list.data.members.length === 0 ? <EmptyState title={t("empty")} /> : null}
      <ConfirmDialog
        open={removing !== null}
        title={t("removeTitle")}
        body={t("removeBody", { email: removing?.email ?? "" })}
        actionLabel={t("remove")}
        busy={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) remove.mutate({ memberId: removing.id });
          setRemoving(null);
        }}
      />
    </div>
  );
}
