"use client";
/**
 * The Public IPs page: the tenant's public IPs in the selected namespace (or every namespace),
 * with the address, what each is bound to, its phase, the bandwidth bought and its DDoS state; a
 * banner while any is black-holed. Members allocate (a dialog), bind, change the bandwidth, and
 * unbind or release after a confirmation; viewers read. Refreshed from the tenant's change
 * stream (live notes), never by polling.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCanWrite } from "@/components/console/use-current-role";
import { KubectlCommand } from "@/components/manifest/kubectl-command";
import { useNamespace } from "@/components/namespaces/use-namespace";
import { EngineClock } from "@/components/nodes/engine-clock";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorNote, Notice, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Pager, useCursorPager } from "@/components/workloads/common";
import type { PublicIpViewOut } from "@/server/trpc/views/public-ips";
import { AllocateDialog } from "./allocate-dialog";
import { BandwidthDialog } from "./bandwidth-dialog";
import { BindDialog } from "./bind-dialog";
import { BlackholeBanner } from "./ddos-state";
import { targetText } from "./draft";
import { PublicIpTable } from "./public-ip-table";

const PAGE_SIZE = 50;

type Confirming = { action: "unbind" | "release"; ip: PublicIpViewOut } | null;

export function PublicIpsPage() {
  const t = useTranslations("publicIps");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const { namespace } = useNamespace();
  const pager = useCursorPager(`public-ips:${namespace ?? "all"}`);
  const input = {
    limit: PAGE_SIZE,
    ...(namespace ? { namespace } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
  };
  const list = useQuery(trpc.publicIps.list.queryOptions(input, { placeholderData: keepPreviousData }));
  const [allocating, setAllocating] = useState(false);
  const [binding, setBinding] = useState<PublicIpViewOut | null>(null);
  const [resizing, setResizing] = useState<PublicIpViewOut | null>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.publicIps.pathKey() });
  const unbind = useMutation(trpc.publicIps.unbind.mutationOptions({ onSettled: invalidate }));
  const release = useMutation(trpc.publicIps.release.mutationOptions({ onSettled: invalidate }));
  const start = (fn: () => void) => {
    unbind.reset();
    release.reset();
    setNotice(null);
    fn();
  };
  const c = confirming;
  const cTarget = c ? (targetText(c.ip.target) ?? "") : "";

  return (
    <div className="space-y-6">
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <div className="flex flex-wrap items-center gap-3">
            <EngineClock />
            {canWrite ? <Button onClick={() => start(() => setAllocating(true))}>{t("allocate")}</Button> : null}
          </div>
        }
      />
      <BlackholeBanner />
      <p role="note" className="text-xs text-zinc-500 dark:text-zinc-400">
        {t("modelled")}
      </p>
      <div className="max-w-2xl">
        <p className="mb-1 text-xs text-zinc-500">{t("listCommand")}</p>
        <KubectlCommand command={`kubectl get publicips ${namespace ? `-n ${namespace}` : "-A"} -o wide`} />
      </div>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorNote message={unbind.error?.message ?? release.error?.message} />
      {list.isPending ? (
        <SkeletonRows rows={3} />
      ) : list.error ? (
        <ErrorNote message={t("loadError", { message: list.error.message })} />
      ) : list.data.items.length === 0 && !pager.hasPrevious ? (
        <EmptyState title={namespace ? t("emptyIn", { namespace }) : t("empty")}>
          {canWrite ? t("emptyBody") : t("emptyBodyViewer")}
        </EmptyState>
      ) : (
        <>
          <PublicIpTable
            items={list.data.items}
            showNamespace={!namespace}
            canWrite={canWrite}
            onBind={(ip) => start(() => setBinding(ip))}
            onBandwidth={(ip) => start(() => setResizing(ip))}
            onUnbind={(ip) => start(() => setConfirming({ action: "unbind", ip }))}
            onRelease={(ip) => start(() => setConfirming({ action: "release", ip }))}
          />
          <Pager
            page={pager.page}
            hasPrevious={pager.hasPrevious}
            nextCursor={list.data.nextCursor}
            onNext={pager.next}
            onPrevious={pager.previous}
          />
        </>
      )}
      <AllocateDialog
        open={allocating}
        namespace={namespace}
        onClose={() => setAllocating(false)}
        onAllocated={(ip) => {
          setAllocating(false);
          setNotice(t("allocateDialog.allocated", { name: ip.name, address: ip.address }));
        }}
      />
      <BindDialog
        ip={binding}
        onClose={() => setBinding(null)}
        onBound={(target) => {
          setNotice(t("bindDialog.bound", { name: binding?.name ?? "", target }));
          setBinding(null);
        }}
      />
      <BandwidthDialog
        ip={resizing}
        onClose={() => setResizing(null)}
        onSaved={(mbps) => {
          setNotice(t("bandwidthDialog.saved", { name: resizing?.name ?? "", mbps }));
          setResizing(null);
        }}
      />
      <ConfirmDialog
        open={c !== null}
        title={c ? t(c.action === "unbind" ? "unbindTitle" : "releaseTitle", { name: c.ip.name }) : ""}
        body={
          c
            ? c.action === "unbind"
              ? t("unbindBody", { address: c.ip.address, target: cTarget })
              : t("releaseBody", { address: c.ip.address })
            : ""
        }
        actionLabel={t(c?.action === "unbind" ? "actions.unbind" : "actions.release")}
        busy={unbind.isPending || release.isPending}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          if (c) {
            const { name, namespace: ns, resourceVersion } = c.ip;
            const which = { name, namespace: ns, resourceVersion };
            if (c.action === "unbind") unbind.mutate(which, { onSuccess: () => setNotice(t("unbound", { name })) });
            else release.mutate(which, { onSuccess: () => setNotice(t("released", { name })) });
          }
          setConfirming(null);
        }}
      />
    </div>
  );
}
