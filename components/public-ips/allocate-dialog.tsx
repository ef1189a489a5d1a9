"use client";
/**
 * Allocating a public IP: its name, the namespace it lives in (the one selected, else the
 * tenant's default) and the bandwidth bought. Mistakes are shown at their field before anything
 * is sent; the server's refusal goes to the field it names (a taken name at Name), or under the
 * form when it concerns no field (the tenant's quota, an exhausted pool).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { FormDialog } from "@/components/nodes/form-dialog";
import { useTRPC } from "@/components/trpc";
import { SelectField, TextField } from "@/components/ui/field";
import type { PublicIpViewOut } from "@/server/trpc/views/public-ips";
import {
  type AllocateDraft,
  type AllocateField,
  allocateInput,
  allocateProblems,
  refusalAt,
  refusalElsewhere,
} from "./draft";

const FIELDS: readonly AllocateField[] = ["name", "bandwidthMbps"];

export function AllocateDialog(props: {
  open: boolean;
  namespace: string | undefined;
  onClose: () => void;
  onAllocated: (ip: PublicIpViewOut) => void;
}) {
  const t = useTranslations("publicIps.allocateDialog");
  const tp = useTranslations("publicIps.problem");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const namespaces = useQuery(trpc.namespaces.list.queryOptions({}, { enabled: props.open }));
  const [draft, setDraft] = useState<AllocateDraft>({ name: "", namespace: "", bandwidthMbps: "" });
  const [tried, setTried] = useState(false);
  const allocate = useMutation(
    trpc.publicIps.allocate.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.publicIps.pathKey() }),
    }),
  );
  const { reset } = allocate;
  useEffect(() => {
    if (!props.open) return;
    setDraft({ name: "", namespace: props.namespace ?? "", bandwidthMbps: "" });
    setTried(false);
    reset();
  }, [props.open, props.namespace, reset]);
  const names = namespaces.data?.items.map((n) => n.name) ?? [];
  const problems = allocateProblems(draft);
  const error = (f: AllocateField) => refusalAt(allocate.error, f) ?? (tried && problems[f] ? tp(problems[f]) : null);
  const edit = (patch: Partial<AllocateDraft>) => {
    allocate.reset();
    setDraft((d) => ({ ...d, ...patch }));
  };

  return (
    <FormDialog
      open={props.open}
      title={t("title")}
      description={t("body")}
      submitLabel={t("submit")}
      busy={allocate.isPending}
      error={refusalElsewhere(allocate.error, FIELDS)}
      onClose={props.onClose}
      onSubmit={() => {
        setTried(true);
        if (Object.keys(problems).length > 0) return;
        allocate.mutate(allocateInput(draft), { onSuccess: props.onAllocated });
      }}
    >
      <TextField
        label={t("name")}
        hint={t("nameHint")}
        value={draft.name}
        maxLength={80}
        autoComplete="off"
        error={error("name")}
        onChange={(e) => edit({ name: e.target.value })}
      />
      <SelectField label={t("namespace")} value={draft.namespace} onChange={(e) => edit({ namespace: e.target.value })}>
        <option value="">{t("defaultNamespace")}</option>
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t("bandwidth")}
        hint={t("bandwidthHint")}
        inputMode="numeric"
        placeholder="5"
        value={draft.bandwidthMbps}
        error={error("bandwidthMbps")}
        onChange={(e) => edit({ bandwidthMbps: e.target.value })}
      />
    </FormDialog>
  );
}
