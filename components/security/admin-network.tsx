"use client";
/**
 * The operators' Network page: the cluster-wide L4 blocklist (the source design's 网络封禁),
 * TCP/UDP port ranges banned for every tenant, everywhere or only across the public network,
 * checked before any tenant's rule. Operators add a ban (checked at the field as the server
 * checks it) and remove one after a confirmation. The public address pool and DDoS events
 * arrive with public IPs; the page says so rather than show empty controls.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { Card, EmptyState, ErrorNote, Notice, PageHeader, SkeletonRows } from "@/components/ui/panel";
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
} from "./port-ban-draft";
import { portsOf } from "./port-bans-note";
import { ModelledNote } from "./security-notes";

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

export function AdminNetwork() {
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
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} />
      <ModelledNote />
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
      <section aria-labelledby="blocklist-heading" className="space-y-3">
        <h2 id="blocklist-heading" className="text-lg font-semibold">
          {t("listTitle")}
        </h2>
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
      </section>
      <Card title={t("laterTitle")}>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("laterBody")}</p>
      </Card>
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
    </div>
  );
}
