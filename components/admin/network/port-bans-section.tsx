"use client";
/**
 * The port bans of the operators' Network page: the cluster-wide L4 blocklist (the source
 * design's 网络封禁), TCP/UDP port ranges banned for every tenant, everywhere or only across the
 * public network, checked before any tenant's rule. Operators add a ban (checked at the field as
 * the server checks it) and remove one after a confirmation.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { Card, EmptyState, ErrorNote, Notice, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import type { PortBanView } from "@/server/trpc/views/security-port-bans";
import {
  emptyPortBan,
  type PortBanDraft,
  type PortBanField,
  type PortBanProblem,
  portBanFieldOfPath,
  portBanInput,
  portBanProblems,
} from "@/components/security/port-ban-draft";
import { portsOf } from "@/components/security/port-bans-note";

function AddBanForm({ onAdded }: { onAdded: (name: string) => void }) {
  const t = useTranslations("security.admin");
  const tp = useTranslations("security.problem");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<PortBanDraft>(emptyPortBan);
  const [touched, setTouched] = useState<ReadonlySet<PortBanField>>(new Set());
  const [tried, setTried] = useState(false);
  const [refusal, setRefusal] = useState<{ field: PortBanField | null; text: string } | null>(null);
  const add = useMutation(
    trpc.security.addPortBan.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.security.pathKey() }),
      onError: (e) => {
        const path = (e.data as { field?: string } | undefined)?.field;
        setRefusal({ field: path ? portBanFieldOfPath(path) : null, text: e.message });
      },
    }),
  );
  const problems = portBanProblems(draft);
  const say = (p: PortBanProblem | undefined) => (p === undefined ? undefined : "text" in p ? p.text : tp(p.kind));
  const error = (f: PortBanField) =>
    refusal?.field === f ? refusal.text : tried || touched.has(f) ? (say(problems[f]) ?? null) : null;
  const bind = (f: PortBanField) => ({
    error: error(f),
    onBlur: () => setTouched((s) => new Set(s).add(f)),
  });
  const edit = (patch: Partial<PortBanDraft>) => {
    setRefusal(null);
    setDraft((d) => ({ ...d, ...patch }));
  };

  return (
    <form
      noValidate
      aria-label={t("addTitle")}
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        setRefusal(null);
        if (Object.keys(problems).length > 0) return;
        const input = portBanInput(draft);
        add.mutate(input, {
          onSuccess: () => {
            setDraft(emptyPortBan());
            setTouched(new Set());
            setTried(false);
            onAdded(input.name);
          },
        });
      }}
    >
      <div className="grid gap-3 md:grid-cols-3">
        <TextField
          label={t("name")}
          hint={t("nameHint")}
          value={draft.name}
          {...bind("name")}
          onChange={(e) => edit({ name: e.target.value })}
        />
        <SelectField
          label={t("protocol")}
          value={draft.protocol}
          {...bind("protocol")}
          onChange={(e) => edit({ protocol: e.target.value as PortBanDraft["protocol"] })}
        >
          <option value="tcp">TCP</option>
          <option value="udp">UDP</option>
        </SelectField>
        <SelectField
          label={t("scope")}
          value={draft.scope}
          {...bind("scope")}
          onChange={(e) => edit({ scope: e.target.value as PortBanDraft["scope"] })}
        >
          <option value="all">{t("scopeAll")}</option>
          <option value="public">{t("scopePublic")}</option>
        </SelectField>
        <TextField
          label={t("portFrom")}
          inputMode="numeric"
          value={draft.portRangeMin}
          {...bind("portRangeMin")}
          onChange={(e) => edit({ portRangeMin: e.target.value })}
        />
        <TextField
          label={t("portTo")}
          inputMode="numeric"
          placeholder={t("samePort")}
          value={draft.portRangeMax}
          {...bind("portRangeMax")}
          onChange={(e) => edit({ portRangeMax: e.target.value })}
        />
        <TextField
          label={t("reason")}
          hint={t("reasonHint")}
          value={draft.reason}
          {...bind("reason")}
          onChange={(e) => edit({ reason: e.target.value })}
        />
      </div>
      <Button type="submit" disabled={add.isPending}>
        {t("add")}
      </Button>
      <ErrorNote message={refusal && refusal.field === null ? refusal.text : null} />
    </form>
  );
}

export function PortBansSection() {
  const t = useTranslations("security.admin");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bans = useQuery(trpc.security.adminPortBans.queryOptions());
  const [removing, setRemoving] = useState<PortBanView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const remove = useMutation(
    trpc.security.removePortBan.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.security.pathKey() }),
    }),
  );

  return (
    <section aria-labelledby="port-bans-heading" className="space-y-4">
      <h2 id="port-bans-heading" className="text-lg font-semibold">
        {t("portBansTitle")}
      </h2>
      <Card title={t("addTitle")}>
        <AddBanForm
          onAdded={(name) => {
            remove.reset();
            setNotice(t("added", { name }));
          }}
        />
      </Card>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorNote message={remove.error?.message} />
      <div className="space-y-3">
        <h3 className="text-sm font-semibold text-zinc-700 dark:text-zinc-300">{t("listTitle")}</h3>
        {bans.isPending ? (
          <SkeletonRows rows={2} />
        ) : bans.error ? (
          <ErrorNote message={bans.error.message} />
        ) : bans.data.length === 0 ? (
          <EmptyState title={t("empty")}>{t("emptyBody")}</EmptyState>
        ) : (
          <Table
            caption={t("listTitle")}
            head={[t("col.name"), t("col.protocol"), t("col.ports"), t("col.scope"), t("col.reason"), t("col.actions")]}
            actions
          >
            {bans.data.map((b) => {
              const nameId = `ban-${b.uid}`;
              return (
                <tr key={b.uid}>
                  <Td>
                    <span id={nameId} className="font-mono text-xs font-medium">
                      {b.name}
                    </span>
                  </Td>
                  <Td className="uppercase">{b.protocol}</Td>
                  <Td className="font-mono text-xs">{portsOf(b)}</Td>
                  <Td>{t(b.scope === "public" ? "scopePublic" : "scopeAll")}</Td>
                  <Td className="max-w-80 text-xs">{b.reason}</Td>
                  <Td>
                    <Button
                      variant="ghost"
                      aria-describedby={nameId}
                      onClick={() => {
                        setNotice(null);
                        setRemoving(b);
                      }}
                    >
                      {t("remove")}
                    </Button>
                  </Td>
                </tr>
              );
            })}
          </Table>
        )}
      </div>
      <ConfirmDialog
        open={removing !== null}
        title={t("removeTitle", { name: removing?.name ?? "" })}
        body={t("removeBody", {
          protocol: removing?.protocol ?? "",
          ports: removing ? portsOf(removing) : "",
        })}
        actionLabel={t("remove")}
        busy={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) {
            const { name } = removing;
            remove.mutate({ name }, { onSuccess: () => setNotice(t("removed", { name })) });
          }
          setRemoving(null);
        }}
      />
    </section>
  );
}
