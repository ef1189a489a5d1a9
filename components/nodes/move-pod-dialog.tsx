"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { SelectField } from "@/components/ui/field";
import { useTRPC } from "@/components/trpc";
import { FormDialog } from "./form-dialog";

/** Make-before-break move of one pod on `node` to another Ready node of the tenant. */
export function MovePodDialog({
  node,
  targets,
  onClose,
  onMoved,
}: {
  node: string | null;
  targets: string[];
  onClose: () => void;
  onMoved: (pod: string, target: string) => void;
}) {
  const t = useTranslations("nodesPage");
  const tc = useTranslations("cluster.podPhase");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pod, setPod] = useState("");
  const [target, setTarget] = useState("");
  const pods = useQuery(trpc.pods.list.queryOptions({ node: node ?? "-", limit: 500 }, { enabled: node !== null }));
  const live = (pods.data?.items ?? []).filter((p) => !p.deletionTimestamp);
  const migrate = useMutation(
    trpc.pods.migrate.mutationOptions({
      onSuccess: (_d, v) => {
        void queryClient.invalidateQueries({ queryKey: trpc.pods.list.queryKey() });
        setPod("");
        setTarget("");
        onMoved(v.name, v.node);
      },
    }),
  );
  const chosenPod = pod || live[0]?.name || "";
  const chosenTarget = target || targets[0] || "";
  const close = () => {
    migrate.reset();
    setPod("");
    setTarget("");
    onClose();
  };
  return (
    <FormDialog
      open={node !== null}
      title={t("moveTitle", { node: node ?? "" })}
      description={t("moveBody")}
      submitLabel={t("moveSubmit")}
      busy={migrate.isPending}
      submitDisabled={!chosenPod || !chosenTarget}
      error={migrate.error?.message ?? (pods.error?.message || null)}
      onClose={close}
      onSubmit={() => migrate.mutate({ name: chosenPod, node: chosenTarget })}
    >
      <SelectField
        label={t("movePodLabel")}
        value={chosenPod}
        onChange={(e) => setPod(e.target.value)}
        disabled={pods.isPending}
        hint={pods.isPending ? t("loadingPods") : live.length === 0 ? t("noPodsToMove") : undefined}
      >
        {live.map((p) => (
          <option key={p.id} value={p.name}>
            {p.name} ({tc(p.status.phase)})
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t("moveTargetLabel")}
        value={chosenTarget}
        onChange={(e) => setTarget(e.target.value)}
        hint={targets.length === 0 ? t("noTargets") : undefined}
      >
        {targets.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </SelectField>
    </FormDialog>
  );
}
