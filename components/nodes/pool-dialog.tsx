"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import { useTRPC } from "@/components/trpc";
import type { MachineType } from "@/server/engine/kinds/types";
import { FormDialog } from "./form-dialog";

export interface PoolRow {
  name: string;
  machineType: MachineType;
  minSize: number;
  maxSize: number;
}

export const machineTypes: MachineType[] = ["2c4g", "4c8g", "8c16g"];
/** The API's bound on a pool's size, whatever the quota. */
const apiMaxNodes = 1000;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The tenant's node quota (undefined: no limit), which bounds every pool's maximum. */
function useNodeQuota(enabled: boolean): number | undefined {
  const trpc = useTRPC();
  const quota = useQuery(trpc.quota.get.queryOptions(undefined, { enabled, refetchOnWindowFocus: false }));
  return quota.data?.limits.nodes;
}

/**
 * The minimum and maximum fields and their checks, the same as the server's:
 * 0 ≤ min ≤ max ≤ 1000, and max ≤ the tenant's node quota.
 */
function usePoolSize(nodeQuota: number | undefined) {
  const t = useTranslations("nodesPage");
  const [min, setMin] = useState("");
  const [max, setMax] = useState("");
  const isInt = (s: string) => /^\d+$/.test(s.trim());
  const minN = Number(min);
  const maxN = Number(max);
  const minError = !isInt(min) ? t("errWhole") : minN > apiMaxNodes ? t("errMax", { max: apiMaxNodes }) : null;
  const maxError = !isInt(max)
    ? t("errWhole")
    : nodeQuota !== undefined && maxN > nodeQuota
      ? t("errMaxQuota", { max: nodeQuota })
      : maxN > apiMaxNodes
        ? t("errMax", { max: apiMaxNodes })
        : !minError && maxN < minN
          ? t("errMinMax")
          : null;
  const maxHint = nodeQuota !== undefined ? t("maxHintQuota", { max: nodeQuota }) : t("maxHint", { max: apiMaxNodes });
  return { min, max, setMin, setMax, minN, maxN, minError, maxError, maxHint, invalid: Boolean(minError || maxError) };
}

type FieldErrors = Partial<Record<string, string[]>>;

/** The server's refusal, by the input it concerns (`data.fieldErrors`): shown at that field rather than in a banner. */
function serverFieldErrors(error: { data?: unknown } | null): FieldErrors {
  return ((error?.data as { fieldErrors?: FieldErrors } | undefined)?.fieldErrors ?? {}) as FieldErrors;
}

/** What is left for the banner once the fields show their own. */
function bannerError(error: { message: string } | null, fields: FieldErrors, shown: string[]): string | undefined {
  if (!error) return undefined;
  return shown.some((f) => fields[f]?.length) ? undefined : error.message;
}

/** `onEdit`: a value changed, so a refusal of the previous one no longer applies. */
function SizeFields({
  size,
  touched,
  server,
  onBlur,
  onEdit,
}: {
  size: ReturnType<typeof usePoolSize>;
  touched: boolean;
  server: FieldErrors;
  onBlur: () => void;
  onEdit: () => void;
}) {
  const t = useTranslations("nodesPage");
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField
        label={t("minSize")}
        inputMode="numeric"
        value={size.min}
        onChange={(e) => {
          size.setMin(e.target.value);
          onEdit();
        }}
        onBlur={onBlur}
        error={(touched ? size.minError : null) ?? server.minSize?.[0]}
        hint={t("minHint")}
      />
      <TextField
        label={t("maxSize")}
        inputMode="numeric"
        value={size.max}
        onChange={(e) => {
          size.setMax(e.target.value);
          onEdit();
        }}
        onBlur={onBlur}
        error={(touched ? size.maxError : null) ?? server.maxSize?.[0]}
        hint={size.maxHint}
      />
    </div>
  );
}

function useInvalidatePools() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.nodePools.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.nodes.list.queryKey() });
  };
}

/**
 * Edit a pool's size range (admins). The machine type is fixed for a pool's life, as the server
 * rules: the dialog says so and points to creating a pool of the other type instead.
 */
export function PoolDialog({ pool, onClose }: { pool: PoolRow | null; onClose: () => void }) {
  const t = useTranslations("nodesPage");
  const tc = useTranslations("cluster.machine");
  const trpc = useTRPC();
  const invalidate = useInvalidatePools();
  const size = usePoolSize(useNodeQuota(true));
  const [touched, setTouched] = useState(false);
  const { setMin, setMax } = size;
  useEffect(() => {
    if (!pool) return;
    setMin(String(pool.minSize));
    setMax(String(pool.maxSize));
    setTouched(false);
  }, [pool, setMin, setMax]);
  const update = useMutation(
    trpc.nodePools.update.mutationOptions({
      onSuccess: () => {
        invalidate();
        close();
      },
    }),
  );
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
      error={bannerError(update.error, serverFieldErrors(update.error), ["minSize", "maxSize"])}
      onClose={close}
      onSubmit={() => {
        setTouched(true);
        if (size.invalid || !pool) return;
        update.mutate({ name: pool.name, minSize: size.minN, maxSize: size.maxN });
      }}
    >
      {pool ? (
        <div className="space-y-1 text-sm">
          <div className="font-medium">{t("machineType")}</div>
          <div>
            <span className="font-mono text-xs">{pool.machineType}</span>{" "}
            <span className="text-zinc-600 dark:text-zinc-400">{tc(pool.machineType)}</span>
          </div>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">{t("machineTypeFixed")}</p>
        </div>
      ) : null}
      <SizeFields
        size={size}
        touched={touched}
        server={serverFieldErrors(update.error)}
        onBlur={() => setTouched(true)}
        onEdit={() => update.reset()}
      />
    </FormDialog>
  );
}

/** Create a pool (admins): the way to another machine type. Starts at 0–1 nodes, within the quota. */
export function CreatePoolDialog({
  open,
  existing,
  onClose,
}: {
  open: boolean;
  existing: string[];
  onClose: () => void;
}) {
  const t = useTranslations("nodesPage");
  const tc = useTranslations("cluster.machine");
  const trpc = useTRPC();
  const invalidate = useInvalidatePools();
  // Read before the dialog opens, so its first check already knows the quota.
  const nodeQuota = useNodeQuota(true);
  const size = usePoolSize(nodeQuota);
  const quotaRef = useRef(nodeQuota);
  quotaRef.current = nodeQuota;
  const [name, setName] = useState("");
  const [machineType, setMachineType] = useState<MachineType>("8c16g");
  const [touched, setTouched] = useState(false);
  const { setMin, setMax } = size;
  useEffect(() => {
    if (!open) return;
    setName("");
    setMin("0");
    setMax(String(Math.min(3, quotaRef.current ?? 3)));
    setTouched(false);
  }, [open, setMin, setMax]);
  const create = useMutation(
    trpc.nodePools.create.mutationOptions({
      onSuccess: () => {
        invalidate();
        close();
      },
    }),
  );
  const trimmed = name.trim();
  const nameError = !trimmed
    ? t("errPoolName")
    : trimmed.length > 63 || !dnsLabel.test(trimmed)
      ? t("errPoolName")
      : existing.includes(trimmed)
        ? t("errPoolExists", { pool: trimmed })
        : null;
  function close() {
    create.reset();
    onClose();
  }
  return (
    <FormDialog
      open={open}
      title={t("createPoolTitle")}
      description={t("createPoolBody")}
      submitLabel={t("createPool")}
      busy={create.isPending}
      error={bannerError(create.error, serverFieldErrors(create.error), ["name", "minSize", "maxSize"])}
      onClose={close}
      onSubmit={() => {
        setTouched(true);
        if (size.invalid || nameError) return;
        create.mutate({
          name: trimmed,
          machineType,
          minSize: size.minN,
          maxSize: size.maxN,
          trimmedImage: true,
          staticIp: true,
        });
      }}
    >
      <TextField
        label={t("poolName")}
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          create.reset();
        }}
        onBlur={() => setTouched(true)}
        maxLength={63}
        error={(touched ? nameError : null) ?? serverFieldErrors(create.error).name?.[0]}
        hint={t("poolNameHint")}
      />
      <SelectField
        label={t("machineType")}
        value={machineType}
        onChange={(e) => setMachineType(e.target.value as MachineType)}
        hint={t("machineTypeHint")}
      >
        {machineTypes.map((m) => (
          <option key={m} value={m}>
            {m} — {tc(m)}
          </option>
        ))}
      </SelectField>
      <SizeFields
        size={size}
        touched={touched}
        server={serverFieldErrors(create.error)}
        onBlur={() => setTouched(true)}
        onEdit={() => create.reset()}
      />
    </FormDialog>
  );
}
