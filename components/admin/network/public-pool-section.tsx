"use client";
/**
 * The shared public address pool on the operators' Network page: each PublicIPPool with its
 * ranges and their used, on-hold and free addresses; create a pool (its name and first range),
 * add a range to one, remove a range or delete a pool after a confirmation. The ranges are
 * written whole with the resourceVersion last read, so two operators editing at once cannot
 * lose each other's range (CONFLICT). The engine's refusals (an overlap, a prefix out of /16../30,
 * a range still holding allocated addresses) are shown at the field or beside the pool.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { refusalAt, refusalElsewhere } from "@/components/public-ips/draft";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TextField } from "@/components/ui/field";
import { Card, EmptyState, ErrorNote, Notice, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import type { PublicPoolViewOut } from "@/server/trpc/views/public-ips-admin";
import { UsageBar } from "./usage-bar";

type Confirming = { kind: "range"; pool: PublicPoolViewOut; cidr: string } | { kind: "pool"; pool: PublicPoolViewOut };

export function PublicPoolSection() {
  const t = useTranslations("adminPublicNetwork.pool");
  const trpc = useTRPC();
  const pools = useQuery(trpc.publicIpsAdmin.pools.queryOptions());
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const queryClient = useQueryClient();
  const onSettled = () => queryClient.invalidateQueries({ queryKey: trpc.publicIpsAdmin.pools.queryKey() });
  const m = {
    replace: useMutation(trpc.publicIpsAdmin.replacePool.mutationOptions({ onSettled })),
    remove: useMutation(trpc.publicIpsAdmin.deletePool.mutationOptions({ onSettled })),
  };
  const c = confirming;

  return (
    <section aria-labelledby="pool-heading" className="space-y-4">
      <div>
        <h2 id="pool-heading" className="text-lg font-semibold">
          {t("title")}
        </h2>
        <p className="mt-1 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("description")}</p>
      </div>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorNote message={m.remove.error?.message} />
      {pools.isPending ? (
        <SkeletonRows rows={2} />
      ) : pools.error ? (
        <ErrorNote message={t("loadError", { message: pools.error.message })} />
      ) : pools.data.length === 0 ? (
        <EmptyState title={t("empty")}>{t("emptyBody")}</EmptyState>
      ) : (
        pools.data.map((pool) => (
          <PoolCard
            key={pool.uid}
            pool={pool}
            onAdded={(cidr) => setNotice(t("rangeAdded", { cidr, name: pool.name }))}
            onRemoveRange={(cidr) => {
              setNotice(null);
              m.replace.reset();
              setConfirming({ kind: "range", pool, cidr });
            }}
            onDelete={() => {
              setNotice(null);
              m.remove.reset();
              setConfirming({ kind: "pool", pool });
            }}
            replaceError={m.replace.variables?.name === pool.name ? m.replace.error : null}
          />
        ))
      )}
      <CreatePoolForm onCreated={(name) => setNotice(t("created", { name }))} />
      <ConfirmDialog
        open={c !== null}
        title={
          c?.kind === "range" ? t("removeRangeTitle", { cidr: c.cidr }) : t("deleteTitle", { name: c?.pool.name ?? "" })
        }
        body={
          c?.kind === "range"
            ? t("removeRangeBody", { name: c.pool.name })
            : t("deleteBody", { name: c?.pool.name ?? "" })
        }
        actionLabel={c?.kind === "range" ? t("removeRange") : t("deletePool")}
        busy={m.replace.isPending || m.remove.isPending}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          if (c?.kind === "range") {
            const { pool, cidr } = c;
            m.replace.mutate(
              {
                name: pool.name,
                cidrs: pool.ranges.map((r) => r.cidr).filter((r) => r !== cidr),
                resourceVersion: pool.resourceVersion,
              },
              { onSuccess: () => setNotice(t("rangeRemoved", { cidr, name: pool.name })) },
            );
          } else if (c) {
            const { name } = c.pool;
            m.remove.mutate({ name }, { onSuccess: () => setNotice(t("deleted", { name })) });
          }
          setConfirming(null);
        }}
      />
    </section>
  );
}

function PoolCard(props: {
  pool: PublicPoolViewOut;
  replaceError: unknown;
  onAdded: (cidr: string) => void;
  onRemoveRange: (cidr: string) => void;
  onDelete: () => void;
}) {
  const t = useTranslations("adminPublicNetwork.pool");
  const { pool } = props;
  const summary = (c: { used: number; onHold: number; free: number; usable: number }) =>
    t("summary", { used: c.used, onHold: c.onHold, free: c.free, usable: c.usable });
  return (
    <Card>
      <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-64 flex-1">
          <h3 className="font-mono text-sm font-semibold">{pool.name}</h3>
          <div className="mt-1 max-w-md">
            <UsageBar counts={pool} label={summary(pool)} />
          </div>
        </div>
        <Button variant="secondary" onClick={props.onDelete}>
          {t("deletePool")}
        </Button>
      </div>
      <ErrorNote message={refusalElsewhere(props.replaceError, [])} />
      <Table
        caption={t("caption", { name: pool.name })}
        head={[t("col.range"), t("col.addresses"), t("col.actions")]}
        actions
      >
        {pool.ranges.map((r) => (
          <tr key={r.cidr}>
            <Td className="font-mono text-xs">{r.cidr}</Td>
            <Td className="min-w-64">
              <UsageBar counts={r} label={summary(r)} />
            </Td>
            <Td>
              <Button
                variant="ghost"
                aria-label={`${t("removeRange")} ${r.cidr}`}
                onClick={() => props.onRemoveRange(r.cidr)}
              >
                {t("removeRange")}
              </Button>
            </Td>
          </tr>
        ))}
      </Table>
      <AddRangeForm pool={pool} onAdded={props.onAdded} />
    </Card>
  );
}

function AddRangeForm({ pool, onAdded }: { pool: PublicPoolViewOut; onAdded: (cidr: string) => void }) {
  const t = useTranslations("adminPublicNetwork.pool");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [cidr, setCidr] = useState("");
  const [tried, setTried] = useState(false);
  const add = useMutation(
    trpc.publicIpsAdmin.replacePool.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.publicIpsAdmin.pools.queryKey() }),
    }),
  );
  const label = t("newRange", { name: pool.name });
  return (
    <form
      noValidate
      aria-label={label}
      className="mt-3 flex flex-wrap items-start gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        const range = cidr.trim();
        if (range === "") return;
        add.mutate(
          { name: pool.name, cidrs: [...pool.ranges.map((r) => r.cidr), range], resourceVersion: pool.resourceVersion },
          {
            onSuccess: () => {
              setCidr("");
              setTried(false);
              onAdded(range);
            },
          },
        );
      }}
    >
      <div className="w-64">
        <TextField
          label={label}
          placeholder="198.51.100.0/24"
          value={cidr}
          hint={t("rangeHint")}
          error={
            refusalAt(add.error, "cidrs") ??
            refusalElsewhere(add.error, ["cidrs"]) ??
            (tried && cidr.trim() === "" ? t("rangeRequired") : null)
          }
          onChange={(e) => {
            add.reset();
            setCidr(e.target.value);
          }}
        />
      </div>
      <Button type="submit" variant="secondary" className="mt-6" disabled={add.isPending}>
        {t("addRange")}
      </Button>
    </form>
  );
}

function CreatePoolForm({ onCreated }: { onCreated: (name: string) => void }) {
  const t = useTranslations("adminPublicNetwork.pool");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [cidr, setCidr] = useState("");
  const [tried, setTried] = useState(false);
  const create = useMutation(
    trpc.publicIpsAdmin.createPool.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.publicIpsAdmin.pools.queryKey() }),
    }),
  );
  const edit = (fn: () => void) => {
    create.reset();
    fn();
  };
  return (
    <Card title={t("createTitle")}>
      <form
        noValidate
        aria-label={t("createTitle")}
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (name.trim() === "" || cidr.trim() === "") return;
          const input = { name: name.trim(), cidrs: [cidr.trim()] };
          create.mutate(input, {
            onSuccess: () => {
              setName("");
              setCidr("");
              setTried(false);
              onCreated(input.name);
            },
          });
        }}
      >
        <div className="grid gap-3 md:grid-cols-2">
          <TextField
            label={t("name")}
            hint={t("nameHint")}
            placeholder="public-1"
            value={name}
            error={refusalAt(create.error, "name") ?? (tried && name.trim() === "" ? t("nameRequired") : null)}
            onChange={(e) => edit(() => setName(e.target.value))}
          />
          <TextField
            label={t("range")}
            hint={t("rangeHint")}
            placeholder="203.0.113.0/24"
            value={cidr}
            error={refusalAt(create.error, "cidrs") ?? (tried && cidr.trim() === "" ? t("rangeRequired") : null)}
            onChange={(e) => edit(() => setCidr(e.target.value))}
          />
        </div>
        <Button type="submit" disabled={create.isPending}>
          {t("create")}
        </Button>
        <ErrorNote message={refusalElsewhere(create.error, ["name", "cidrs"])} />
      </form>
    </Card>
  );
}
