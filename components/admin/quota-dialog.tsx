"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { FormDialog } from "@/components/nodes/form-dialog";
import { TextField } from "@/components/ui/field";
import { useTRPC } from "@/components/trpc";

export interface QuotaTarget {
  id: string;
  name: string;
  quota: { cpuMillis?: number; memoryBytes?: number; pods?: number; nodes?: number; publicIps?: number };
}

/** 32000 → "32", 1500 → "1500m". */
function cpuQuantity(millis: number | undefined): string {
  if (millis === undefined) return "";
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** 68719476736 → "64Gi"; falls back to Mi, Ki, then bytes. */
function memoryQuantity(bytes: number | undefined): string {
  if (bytes === undefined) return "";
  for (const [unit, size] of [
    ["Ti", 2 ** 40],
    ["Gi", 2 ** 30],
    ["Mi", 2 ** 20],
    ["Ki", 2 ** 10],
  ] as const)
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  return String(bytes);
}

/** Set a tenant's quota (cpu and memory as Kubernetes quantities; an empty field means no limit). Server errors stay in the dialog. */
export function QuotaDialog({ target, onClose }: { target: QuotaTarget | null; onClose: () => void }) {
  const t = useTranslations("adminQuota");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [cpu, setCpu] = useState("");
  const [memory, setMemory] = useState("");
  const [pods, setPods] = useState("");
  const [nodes, setNodes] = useState("");
  const [publicIps, setPublicIps] = useState("");
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (!target) return;
    setCpu(cpuQuantity(target.quota.cpuMillis));
    setMemory(memoryQuantity(target.quota.memoryBytes));
    setPods(target.quota.pods === undefined ? "" : String(target.quota.pods));
    setNodes(target.quota.nodes === undefined ? "" : String(target.quota.nodes));
    setPublicIps(target.quota.publicIps === undefined ? "" : String(target.quota.publicIps));
    setTouched(false);
  }, [target]);
  const save = useMutation(
    trpc.cluster.setQuota.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.cluster.tenants.queryKey() });
        close();
      },
    }),
  );
  function close() {
    save.reset();
    onClose();
  }
  const whole = (s: string, max: number) =>
    s.trim() === "" ? null : !/^\d+$/.test(s.trim()) ? t("errWhole") : Number(s) > max ? t("errMax", { max }) : null;
  const podsError = whole(pods, 1_000_000);
  const nodesError = whole(nodes, 100_000);
  const publicIpsError = whole(publicIps, 100_000);
  const cpuError = cpu.trim() && !/^\d+(\.\d+)?m?$/.test(cpu.trim()) ? t("errCpu") : null;
  const memoryError =
    memory.trim() && !/^\d+(\.\d+)?([KMGTPE]i?|[kmgtpe])?$/.test(memory.trim()) ? t("errMemory") : null;
  const invalid = Boolean(podsError || nodesError || publicIpsError || cpuError || memoryError);
  return (
    <FormDialog
      open={target !== null}
      title={t("title", { tenant: target?.name ?? "" })}
      description={t("body")}
      submitLabel={t("save")}
      busy={save.isPending}
      error={save.error?.message}
      onClose={close}
      onSubmit={() => {
        setTouched(true);
        if (invalid || !target) return;
        const quota: { cpu?: string; memory?: string; pods?: number; nodes?: number; publicIps?: number } = {};
        if (cpu.trim()) quota.cpu = cpu.trim();
        if (memory.trim()) quota.memory = memory.trim();
        if (pods.trim()) quota.pods = Number(pods);
        if (nodes.trim()) quota.nodes = Number(nodes);
        if (publicIps.trim()) quota.publicIps = Number(publicIps);
        save.mutate({ id: target.id, quota });
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label={t("cpu")}
          value={cpu}
          onChange={(e) => setCpu(e.target.value)}
          maxLength={32}
          placeholder="32"
          hint={t("cpuHint")}
          error={touched ? cpuError : null}
        />
        <TextField
          label={t("memory")}
          value={memory}
          onChange={(e) => setMemory(e.target.value)}
          maxLength={32}
          placeholder="64Gi"
          hint={t("memoryHint")}
          error={touched ? memoryError : null}
        />
        <TextField
          label={t("pods")}
          inputMode="numeric"
          value={pods}
          onChange={(e) => setPods(e.target.value)}
          placeholder="500"
          hint={t("emptyIsUnlimited")}
          error={touched ? podsError : null}
        />
        <TextField
          label={t("nodes")}
          inputMode="numeric"
          value={nodes}
          onChange={(e) => setNodes(e.target.value)}
          placeholder="10"
          hint={t("emptyIsUnlimited")}
          error={touched ? nodesError : null}
        />
        <TextField
          label={t("publicIps")}
          inputMode="numeric"
          value={publicIps}
          onChange={(e) => setPublicIps(e.target.value)}
          placeholder="5"
          hint={t("emptyIsUnlimited")}
          error={touched ? publicIpsError : null}
        />
      </div>
    </FormDialog>
  );
}

export { cpuQuantity, memoryQuantity };
