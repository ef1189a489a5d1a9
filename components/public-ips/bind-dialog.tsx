"use client";
/**
 * Binding a public IP: to a pod of its namespace (the pod's public NIC; sticky: the binding
 * follows the pod's replacement after a move or a drain, explained beside the box) or to a
 * LoadBalancer service of its namespace (its EXTERNAL-IP). Only those targets are offered; the
 * engine's refusal (a target that already holds an address, a Service that is not a
 * LoadBalancer) is shown at the target's field.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useId, useState } from "react";
import { FormDialog } from "@/components/nodes/form-dialog";
import { useTRPC } from "@/components/trpc";
import { SelectField } from "@/components/ui/field";
import type { PublicIpViewOut } from "@/server/trpc/views/public-ips";
import { type BindDraft, bindInput, refusalAt, refusalElsewhere, targetText } from "./draft";

const TARGET_FIELDS = ["kind", "name", "target"] as const;

export function BindDialog(props: {
  ip: PublicIpViewOut | null;
  onClose: () => void;
  onBound: (text: string) => void;
}) {
  const t = useTranslations("publicIps.bindDialog");
  const tp = useTranslations("publicIps.problem");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ip = props.ip;
  const scope = { namespace: ip?.namespace, limit: 500 };
  const pods = useQuery(trpc.pods.list.queryOptions(scope, { enabled: ip !== null }));
  const services = useQuery(trpc.services.list.queryOptions(scope, { enabled: ip !== null }));
  const [draft, setDraft] = useState<BindDraft>({ kind: "Pod", target: "", sticky: false });
  const [tried, setTried] = useState(false);
  const stickyHint = useId();
  const bind = useMutation(
    trpc.publicIps.bind.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.publicIps.pathKey() }),
    }),
  );
  const { reset } = bind;
  useEffect(() => {
    if (!ip) return;
    setDraft({ kind: ip.target?.kind ?? "Pod", target: ip.target?.name ?? "", sticky: ip.sticky });
    setTried(false);
    reset();
  }, [ip, reset]);

  const podNames = (pods.data?.items ?? []).filter((p) => p.deletionTimestamp === undefined).map((p) => p.name);
  const lbNames = (services.data?.items ?? []).filter((s) => s.type === "LoadBalancer").map((s) => s.name);
  const choices = draft.kind === "Pod" ? podNames : lbNames;
  const loaded = draft.kind === "Pod" ? pods.isSuccess : services.isSuccess;
  const targetError =
    refusalAt(bind.error, ...TARGET_FIELDS) ??
    (tried && draft.target === "" ? tp("target") : null) ??
    (loaded && choices.length === 0
      ? t(draft.kind === "Pod" ? "noPods" : "noServices", { namespace: ip?.namespace ?? "" })
      : null);
  const edit = (patch: Partial<BindDraft>) => {
    bind.reset();
    setDraft((d) => ({ ...d, ...patch }));
  };

  return (
    <FormDialog
      open={ip !== null}
      title={t("title", { name: ip?.name ?? "", address: ip?.address ?? "" })}
      description={t("body", { namespace: ip?.namespace ?? "" })}
      submitLabel={t("submit")}
      busy={bind.isPending}
      error={refusalElsewhere(bind.error, TARGET_FIELDS)}
      onClose={props.onClose}
      onSubmit={() => {
        setTried(true);
        if (!ip || draft.target === "") return;
        const input = bindInput(ip, draft);
        bind.mutate(input, { onSuccess: () => props.onBound(targetText(input.target) ?? "") });
      }}
    >
      <SelectField
        label={t("kind")}
        value={draft.kind}
        onChange={(e) => edit({ kind: e.target.value as BindDraft["kind"], target: "" })}
      >
        <option value="Pod">{t("kindPod")}</option>
        <option value="Service">{t("kindService")}</option>
      </SelectField>
      <SelectField
        label={t(draft.kind === "Pod" ? "pod" : "service")}
        value={draft.target}
        error={targetError}
        onChange={(e) => edit({ target: e.target.value })}
      >
        <option value="">{t("choose")}</option>
        {choices.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </SelectField>
      {draft.kind === "Pod" ? (
        <div className="space-y-1">
          <label className="flex items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              checked={draft.sticky}
              aria-describedby={stickyHint}
              onChange={(e) => edit({ sticky: e.target.checked })}
            />
            {t("sticky")}
          </label>
          <p id={stickyHint} className="text-xs text-zinc-500 dark:text-zinc-400">
            {t("stickyHint")}
          </p>
        </div>
      ) : null}
    </FormDialog>
  );
}
