"use client";
/**
 * The tenant's subnets: each with its block, gateway, a bar of used, held and free addresses and
 * the namespaces whose new pods take addresses there (the default's: every namespace no other
 * subnet names). Members add a subnet, edit a subnet's namespaces and delete one (after typing its
 * name); the engine refuses deleting the default subnet and one that holds a pod's address, and
 * the refusal shows under the table.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCanWrite } from "@/components/console/use-current-role";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Badge, ErrorNote } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import type { TenantNetworkViewOut } from "@/server/trpc/views/networks";
import { AddressBar } from "./address-bar";
import { SubnetCreateForm } from "./subnet-create-form";
import { SubnetNamespacesForm } from "./subnet-namespaces-form";

type Subnet = TenantNetworkViewOut["subnets"][number];

export function SubnetsTable({ network }: { network: TenantNetworkViewOut }) {
  const t = useTranslations("networks");
  const canWrite = useCanWrite();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Subnet | null>(null);
  const remove = useMutation(
    trpc.networks.deleteSubnet.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.networks.pathKey() }),
    }),
  );
  const head = [t("col.subnet"), t("col.cidr"), t("col.gateway"), t("col.addresses"), t("col.namespaces")];

  return (
    <section aria-labelledby="subnets-heading" className="space-y-3">
      <div className="flex items-center justify-between gap-4">
        <h2 id="subnets-heading" className="text-lg font-semibold">
          {t("subnets")}
        </h2>
        {canWrite && !creating ? <Button onClick={() => setCreating(true)}>{t("addSubnet")}</Button> : null}
      </div>
      <p className="text-xs text-zinc-500">{t("subnetsIntro")}</p>
      {creating ? <SubnetCreateForm vpcCidr={network.vpc.cidr} onDone={() => setCreating(false)} /> : null}
      <Table caption={t("subnets")} head={canWrite ? [...head, t("col.actions")] : head}>
        {network.subnets.map((s) => (
          <tr key={s.name} data-testid={`subnet-${s.name}`}>
            <Td className="font-mono text-xs">
              {s.name} {s.default ? <Badge>{t("defaultSubnet")}</Badge> : null}
            </Td>
            <Td className="font-mono text-xs">{s.cidr}</Td>
            <Td className="font-mono text-xs">{s.gateway}</Td>
            <Td className="min-w-64">
              <AddressBar subnet={s} />
            </Td>
            <Td className="text-xs">
              {editing === s.name ? (
                <SubnetNamespacesForm subnet={s} onDone={() => setEditing(null)} />
              ) : s.namespaces.length === 0 ? (
                "–"
              ) : (
                s.namespaces.join(", ")
              )}
            </Td>
            {canWrite ? (
              <Td className="whitespace-nowrap">
                <div className="flex gap-1">
                  <Button variant="ghost" onClick={() => setEditing(s.name)} aria-label={t("editOf", { name: s.name })}>
                    {t("edit")}
                  </Button>
                  {s.default ? null : (
                    <Button
                      variant="ghost"
                      onClick={() => {
                        remove.reset();
                        setDeleting(s);
                      }}
                      aria-label={t("deleteOf", { name: s.name })}
                    >
                      {t("delete")}
                    </Button>
                  )}
                </div>
              </Td>
            ) : null}
          </tr>
        ))}
      </Table>
      {remove.error ? <ErrorNote message={remove.error.message} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        title={t("deleteTitle", { name: deleting?.name ?? "" })}
        body={t("deleteBody", { name: deleting?.name ?? "" })}
        actionLabel={t("delete")}
        confirmText={deleting?.name}
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) remove.mutate({ name: deleting.name, resourceVersion: String(deleting.resourceVersion) });
          setDeleting(null);
        }}
      />
    </section>
  );
}
