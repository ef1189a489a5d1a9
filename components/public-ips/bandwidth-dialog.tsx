"use client";
/** Changing a public IP's bandwidth: checked at the field with the server's bounds; billed at the new rate from now. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { FormDialog } from "@/components/nodes/form-dialog";
import { useTRPC } from "@/components/trpc";
import { TextField } from "@/components/ui/field";
import type { PublicIpViewOut } from "@/server/trpc/views/public-ips";
import { bandwidthProblem, refusalAt, refusalElsewhere } from "./draft";

export function BandwidthDialog(props: {
  ip: PublicIpViewOut | null;
  onClose: () => void;
  onSaved: (mbps: number) => void;
}) {
  const t = useTranslations("publicIps");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ip = props.ip;
  const [value, setValue] = useState("");
  const [tried, setTried] = useState(false);
  const save = useMutation(
    trpc.publicIps.setBandwidth.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.publicIps.pathKey() }),
    }),
  );
  const { reset } = save;
  useEffect(() => {
    if (!ip) return;
    setValue(String(ip.bandwidthMbps));
    setTried(false);
    reset();
  }, [ip, reset]);
  const problem = bandwidthProblem(value, true);

  return (
    <FormDialog
      open={ip !== null}
      title={t("bandwidthDialog.title", { name: ip?.name ?? "" })}
      description={t("bandwidthDialog.body")}
      submitLabel={t("bandwidthDialog.submit")}
      busy={save.isPending}
      error={refusalElsewhere(save.error, ["bandwidthMbps"])}
      onClose={props.onClose}
      onSubmit={() => {
        setTried(true);
        if (!ip || problem) return;
        const mbps = Number(value.trim());
        save.mutate(
          { name: ip.name, namespace: ip.namespace, bandwidthMbps: mbps, resourceVersion: ip.resourceVersion },
          { onSuccess: () => props.onSaved(mbps) },
        );
      }}
    >
      <TextField
        label={t("allocateDialog.bandwidth")}
        hint={t("allocateDialog.bandwidthHint")}
        inputMode="numeric"
        value={value}
        error={refusalAt(save.error, "bandwidthMbps") ?? (tried && problem ? t(`problem.${problem}`) : null)}
        onChange={(e) => {
          save.reset();
          setValue(e.target.value);
        }}
      />
    </FormDialog>
  );
}
