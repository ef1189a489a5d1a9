"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Badge, EmptyState, ErrorNote, Notice, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc";
import { useCanWrite } from "@/components/console/use-current-role";
import { CreateTokenForm } from "./create-token-form";

export function TokensPage() {
  const t = useTranslations("tokens");
  const tc = useTranslations("common");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const list = useQuery(trpc.tokens.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSettled: refresh }));
  const [revokedName, setRevokedName] = useState<string | null>(null);
  const date = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  const [now] = useState(() => Date.now());

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} />
      {canWrite ? <CreateTokenForm onDone={refresh} /> : null}
      <ErrorNote message={revoke.error?.message} />
      {revokedName && !revoke.error ? <Notice>{t("revoked", { name: revokedName })}</Notice> : null}
      {list.isPending ? (
        <SkeletonRows rows={3} />
      ) : list.error ? (
        <ErrorNote message={list.error.message} />
      ) : list.data.length === 0 ? (
        <EmptyState title={t("empty")}>{canWrite ? t("emptyWriter") : t("emptyViewer")}</EmptyState>
      ) : (
        <Table
          caption={t("title")}
          head={[t("name"), t("start"), t("createdBy"), t("createdAt"), t("expiresAt"), t("lastUsed"), t("actions")]}
        >
          {list.data.map((token) => {
            const name = token.name ?? t("unnamed");
            const expired = token.expiresAt !== null && token.expiresAt.getTime() <= now;
            return (
              <tr key={token.id}>
                <Td className="font-medium">
                  <span id={`token-${token.id}`}>{name}</span>
                </Td>
                <Td>
                  <code className="font-mono text-xs">{token.start ? `${token.start}…` : "…"}</code>
                </Td>
                <Td>{token.createdByEmail}</Td>
                <Td>{date(token.createdAt)}</Td>
                <Td>
                  {token.expiresAt === null ? (
                    tc("never")
                  ) : expired ? (
                    <Badge tone="bad">{t("expired")}</Badge>
                  ) : (
                    date(token.expiresAt)
                  )}
                </Td>
                <Td>{token.lastUsedAt ? date(token.lastUsedAt) : t("notUsed")}</Td>
                <Td>
                  {canWrite ? (
                    <Button
                      variant="ghost"
                      aria-describedby={`token-${token.id}`}
                      onClick={() => {
                        revoke.reset();
                        setRevokedName(null);
                        setRevoking({ id: token.id, name });
                      }}
                    >
                      {t("revoke")}
                    </Button>
                  ) : null}
                </Td>
              </tr>
            );
          })}
        </Table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={t("revokeTitle")}
        body={t("revokeBody", { name: revoking?.name ?? "" })}
        actionLabel={t("revoke")}
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) {
            const { id, name } = revoking;
            revoke.mutate({ tokenId: id }, { onSuccess: () => setRevokedName(name) });
          }
          setRevoking(null);
        }}
      />
    </div>
  );
}
