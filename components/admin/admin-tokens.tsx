"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TextField } from "@/components/ui/field";
import { Card, EmptyState, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc";
import { SecretNotice } from "@/components/tokens/secret-notice";

/** Operator-wide API tokens: made here explicitly, never by a token made inside a tenant. */
export function AdminTokens() {
  const t = useTranslations("adminTokens");
  const tt = useTranslations("tokens");
  const tc = useTranslations("common");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.operatorTokens.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.operatorTokens.list.queryKey() });
  const [name, setName] = useState("");
  const create = useMutation(trpc.operatorTokens.create.mutationOptions({ onSuccess: () => (setName(""), refresh()) }));
  const revoke = useMutation(trpc.operatorTokens.revoke.mutationOptions({ onSettled: refresh }));
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const date = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  const nameError = (create.error?.data?.fieldErrors as Record<string, string[] | undefined> | undefined)?.name?.[0];

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} />
      <Card title={t("createTitle")}>
        <form
          className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-start"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name: name.trim() });
          }}
        >
          <TextField
            label={tt("name")}
            hint={tt("nameHint")}
            error={nameError}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={80}
            autoComplete="off"
          />
          <Button type="submit" className="sm:mt-6" disabled={create.isPending || !name.trim()}>
            {tt("create")}
          </Button>
        </form>
        <div className="mt-3 space-y-2">
          <ErrorNote message={nameError ? null : create.error?.message} />
          {create.data ? (
            <SecretNotice
              name={create.data.name}
              secret={create.data.secret}
              onDismiss={() => create.reset()}
              examplePath="/api/metrics"
              exampleLabel={t("exampleLabel")}
            />
          ) : null}
        </div>
      </Card>
      <ErrorNote message={revoke.error?.message} />
      {list.isPending ? (
        <SkeletonRows rows={2} />
      ) : list.error ? (
        <ErrorNote message={list.error.message} />
      ) : list.data.length === 0 ? (
        <EmptyState title={t("empty")}>{t("emptyBody")}</EmptyState>
      ) : (
        <Table
          caption={t("title")}
          head={[
            tt("name"),
            tt("start"),
            tt("createdBy"),
            tt("createdAt"),
            tt("expiresAt"),
            tt("lastUsed"),
            tt("actions"),
          ]}
        >
          {list.data.map((token) => (
            <tr key={token.id}>
              <Td className="font-medium">{token.name ?? tt("unnamed")}</Td>
              <Td>
                <code className="font-mono text-xs">{token.start ? `${token.start}…` : "…"}</code>
              </Td>
              <Td>{token.createdByEmail}</Td>
              <Td>{date(token.createdAt)}</Td>
              <Td>{token.expiresAt ? date(token.expiresAt) : tc("never")}</Td>
              <Td>{token.lastUsedAt ? date(token.lastUsedAt) : tt("notUsed")}</Td>
              <Td>
                <Button
                  variant="ghost"
                  onClick={() => setRevoking({ id: token.id, name: token.name ?? tt("unnamed") })}
                >
                  {tt("revoke")}
                </Button>
              </Td>
            </tr>
          ))}
        </Table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={tt("revokeTitle")}
        body={tt("revokeBody", { name: revoking?.name ?? "" })}
        actionLabel={tt("revoke")}
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) revoke.mutate({ tokenId: revoking.id });
          setRevoking(null);
        }}
      />
    </div>
  );
}
