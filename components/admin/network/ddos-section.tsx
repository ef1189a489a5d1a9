"use client";
/**
 * Every tenant's public IPs with their DDoS state, and the operators' overrides per address: end
 * a blackhole now, or disable (and later re-enable) protection for one address, each after a
 * confirmation that says what follows.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { DdosState } from "@/components/public-ips/ddos-state";
import { targetText } from "@/components/public-ips/draft";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorNote, Notice, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import type { OperatorPublicIpViewOut } from "@/server/trpc/views/public-ips-admin";

type Override = "clear" | "disable" | "enable";
type Confirming = { action: Override; ip: OperatorPublicIpViewOut } | null;

const DONE = { clear: "cleared", disable: "disabled", enable: "enabled" } as const;

export function DdosSection() {
  const t = useTranslations("adminPublicNetwork.ips");
  const tt = useTranslations("publicIps.target");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ips = useQuery(trpc.publicIpsAdmin.publicIps.queryOptions({ limit: 500 }));
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const onSettled = () => queryClient.invalidateQueries({ queryKey: trpc.publicIpsAdmin.pathKey() });
  const clear = useMutation(trpc.publicIpsAdmin.clearBlackhole.mutationOptions({ onSettled }));
  const protect = useMutation(trpc.publicIpsAdmin.setProtection.mutationOptions({ onSettled }));
  const ask = (action: Override, ip: OperatorPublicIpViewOut) => {
    clear.reset();
    protect.reset();
    setNotice(null);
    setConfirming({ action, ip });
  };
  const c = confirming;

  return (
    <section aria-labelledby="ddos-heading" className="space-y-3">
      <div>
        <h2 id="ddos-heading" className="text-lg font-semibold">
          {t("title")}
        </h2>
        <p className="mt-1 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("description")}</p>
      </div>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorNote message={clear.error?.message ?? protect.error?.message} />
      {ips.isPending ? (
        <SkeletonRows rows={2} />
      ) : ips.error ? (
        <ErrorNote message={t("loadError", { message: ips.error.message })} />
      ) : ips.data.items.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <Table
          caption={t("caption")}
          head={[t("col.address"), t("col.tenant"), t("col.object"), t("col.target"), t("col.ddos"), t("col.actions")]}
          actions
        >
          {ips.data.items.map((ip) => {
            const id = `op-pip-${ip.uid}`;
            return (
              <tr key={ip.uid}>
                <Td className="font-mono text-xs">
                  <span id={id}>{ip.address}</span>
                </Td>
                <Td className="text-xs">{ip.tenantName ?? t("unknownTenant")}</Td>
                <Td className="whitespace-nowrap font-mono text-xs">
                  {ip.namespace}/{ip.name}
                </Td>
                <Td className="font-mono text-xs">{targetText(ip.target) ?? tt("none")}</Td>
                <Td>
                  <DdosState ddos={ip.ddos} />
                </Td>
                <Td>
                  <div className="flex gap-1 whitespace-nowrap">
                    {ip.ddos.blackholedUntil !== undefined ? (
                      <Button variant="ghost" aria-describedby={id} onClick={() => ask("clear", ip)}>
                        {t("clear")}
                      </Button>
                    ) : null}
                    <Button
                      variant="ghost"
                      aria-describedby={id}
                      onClick={() => ask(ip.ddos.protectionDisabled ? "enable" : "disable", ip)}
                    >
                      {t(ip.ddos.protectionDisabled ? "enable" : "disable")}
                    </Button>
                  </div>
                </Td>
              </tr>
            );
          })}
        </Table>
      )}
      <ConfirmDialog
        open={c !== null}
        title={c ? t(`${c.action}Title`, { address: c.ip.address }) : ""}
        body={c ? t(`${c.action}Body`, { address: c.ip.address }) : ""}
        actionLabel={c ? t(c.action) : ""}
        busy={clear.isPending || protect.isPending}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          if (c) {
            const { address } = c.ip;
            const onSuccess = () => setNotice(t(DONE[c.action], { address }));
            if (c.action === "clear") clear.mutate({ address }, { onSuccess });
            else protect.mutate({ address, enabled: c.action === "enable" }, { onSuccess });
          }
          setConfirming(null);
        }}
      />
    </section>
  );
}
