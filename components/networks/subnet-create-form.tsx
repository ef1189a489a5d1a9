"use client";
/**
 * The form that adds a subnet to the tenant's VPC: its name, its block (inside the VPC, overlapping
 * no other subnet) and the namespaces whose new pods take their addresses there. The engine checks
 * it; a refusal shows at the field it names (the block, a namespace another subnet names), else
 * above the buttons.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Card, ErrorNote } from "@/components/ui/panel";
import { parseNamespaces, refusalField, refusalText, type SubnetField } from "./subnet-draft";

export function SubnetCreateForm({ vpcCidr, onDone }: { vpcCidr: string; onDone: () => void }) {
  const t = useTranslations("networks.subnetForm");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [cidrBlock, setCidrBlock] = useState("");
  const [namespaces, setNamespaces] = useState("");
  const [refusal, setRefusal] = useState<{ field: SubnetField | null; text: string } | null>(null);
  const create = useMutation(
    trpc.networks.createSubnet.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.networks.pathKey() }),
      onError: (e) => {
        const field = refusalField(e.data);
        setRefusal({ field, text: refusalText(e, field) });
      },
      onSuccess: onDone,
    }),
  );
  const at = (field: SubnetField) => (refusal?.field === field ? refusal.text : null);
  const edited =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      setRefusal(null);
      set(v);
    };

  return (
    <Card title={t("title")}>
      <form
        className="grid gap-4 sm:grid-cols-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name: name.trim(), cidrBlock: cidrBlock.trim(), namespaces: parseNamespaces(namespaces) });
        }}
      >
        <TextField
          label={t("name")}
          name="name"
          value={name}
          onChange={(e) => edited(setName)(e.target.value)}
          error={at("name")}
          hint={t("nameHint")}
          required
        />
        <TextField
          label={t("cidrBlock")}
          name="cidrBlock"
          value={cidrBlock}
          onChange={(e) => edited(setCidrBlock)(e.target.value)}
          error={at("cidrBlock")}
          hint={t("cidrHint", { vpc: vpcCidr })}
          placeholder="10.0.64.0/24"
          required
        />
        <TextField
          label={t("namespaces")}
          name="namespaces"
          value={namespaces}
          onChange={(e) => edited(setNamespaces)(e.target.value)}
          error={at("namespaces")}
          hint={t("namespacesHint")}
        />
        <div className="space-y-2 sm:col-span-3">
          {refusal && refusal.field === null ? <ErrorNote message={refusal.text} /> : null}
          <div className="flex gap-2">
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? t("creating") : t("create")}
            </Button>
            <Button variant="secondary" onClick={onDone}>
              {t("cancel")}
            </Button>
          </div>
        </div>
      </form>
    </Card>
  );
}
