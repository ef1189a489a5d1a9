"use client";
/**
 * Edits the namespaces a subnet serves, at the version it was read at (a change made meanwhile is
 * refused, CONFLICT). Says what it changes: new pods only; running pods keep their addresses.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import type { TenantNetworkViewOut } from "@/server/trpc/views/networks";
import { parseNamespaces, refusalText } from "./subnet-draft";

type Subnet = TenantNetworkViewOut["subnets"][number];

export function SubnetNamespacesForm({ subnet, onDone }: { subnet: Subnet; onDone: () => void }) {
  const t = useTranslations("networks.subnetForm");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState(subnet.assignedNamespaces.join(", "));
  const [error, setError] = useState<string | null>(null);
  const update = useMutation(
    trpc.networks.updateSubnetNamespaces.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.networks.pathKey() }),
      onError: (e) => setError(refusalText(e, "namespaces")),
      onSuccess: onDone,
    }),
  );
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({
          name: subnet.name,
          namespaces: parseNamespaces(text),
          resourceVersion: String(subnet.resourceVersion),
        });
      }}
    >
      <TextField
        label={t("namespacesOf", { name: subnet.name })}
        name="namespaces"
        value={text}
        onChange={(e) => {
          setError(null);
          setText(e.target.value);
        }}
        error={error}
        hint={t("newPodsOnly")}
      />
      <div className="flex gap-2">
        <Button type="submit" disabled={update.isPending}>
          {t("save")}
        </Button>
        <Button variant="secondary" onClick={onDone}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}
