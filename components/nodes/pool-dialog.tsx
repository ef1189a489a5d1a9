"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import { useTRPC } from "@/components/trpc";
import type { MachineType } from "@/server/engine/types";
import { FormDialog } from "./form-dialog";

export interface PoolRow {
  name: string;
  machineType: MachineType;
  minSize: number;
  maxSize: number;
}

const machineTypes: MachineType[] = ["2c4g", "4c8g", "8c16g"];
const maxNodes = 1000;

/** Edit a pool's machine type and size range (admins). Checks 0 ≤ min ≤ max ≤ 1000 before asking the server. */
export function PoolDialog({ pool, onClose }: { pool: PoolRow | null; onClose: () => void }) {
  const t = useTranslations("nodesPage");
  const tc = useTranslations("cluster.machine");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [machineType, setMachineType] = useState<MachineType>("4c8g");
  const [min, setMin] = useState("");
  const [max, setMax] = useState("");
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (!pool) return;
    setMachineType(pool.machineType);
    setMin(String(pool.minSize));
    setMax(String(pool.maxSize));
    setTouched(false);
  }, [pool]);
  const update = useMutation(
    trpc.nodePools.update.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.nodePools.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.nodes.list.queryKey() });
        close();
      },
    }),
  );
  const isInt = (s: string) => /^\d+$/.test(s.trim());
  const minN = Number(min);
  const maxN = Number(max);
  const minError = !isInt(min) ? t("errWhole") : minN > maxNodes ? t("errMax", { max: maxNodes }) : null;
  const maxError = !isInt(max) ? t("errWhole") : maxN > maxNodes ? t("errMax", { max: maxNodes }) : !minError && maxN < minN ? t("errMinMax") : null;
  const invalid = Boolean(minError || maxError);
  function close() {
    update.reset();
    onClose();
  }
  return (
    <FormDialog
      open={pool !== null}
      title={t("editPoolTitle", { pool: pool?.name ?? "" })}
      description={t("editPoolBody")}
      submitLabel={t("savePool")}
      busy={update.isPending}
      error={update.error?.message}
      onClose={close}
      onSubmit={() => {
        setTouched(true);
        if (invalid || !pool) return;
        update.mutate({ name: pool.name, machineType, minSize: minN, maxSize: maxN });
      }}
    >
      <SelectField label={t("machineType")} value={machineType} onChange={(e) => setMachineType(e.target.value as MachineType)} hint={t("machineTypeHint")}>
        {machineTypes.map((m) => (
          <option key={m} value={m}>
            {m} — {tc(m)}
          </option>
        ))}
      </SelectField>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label={t("minSize")} inputMode="numeric" value={min} onChange={(e) => setMin(e.target.value)} onBlur={() => setTouched(true)} error={touched ? minError : null} hint={t("minHint")} />
        <TextField label={t("maxSize")} inputMode="numeric" value={max} onChange={(e) => setMax(e.target.value)} onBlur={() => setTouched(true)} error={touched ? maxError : null} hint={t("maxHint", { max: maxNodes })} />
      </div>
    </FormDialog>
  );
}
