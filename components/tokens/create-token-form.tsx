"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Card, ErrorNote } from "@/components/ui/panel";
import { useTRPC } from "@/components/trpc";
import { SecretNotice } from "./secret-notice";

const expiryChoices = [7, 30, 90, 365] as const;

/** Creates a token for the current tenant and shows its secret, once. */
export function CreateTokenForm({ onDone }: { onDone: () => void }) {
  const t = useTranslations("tokens");
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("");
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: () => {
        setName("");
        setExpiry("");
        onDone();
      },
    }),
  );
  // The server's zod field errors arrive untyped ({}), keyed by input field.
  const fieldErrors = create.error?.data?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const nameError = fieldErrors?.name?.[0];
  return (
    <Card title={t("createTitle")}>
      <form
        className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name: name.trim(), expiresInDays: expiry ? Number(expiry) : undefined });
        }}
      >
        <TextField
          label={t("name")}
          hint={t("nameHint")}
          error={nameError}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={80}
          autoComplete="off"
        />
        <SelectField label={t("expiry")} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          <option value="">{t("expiryNever")}</option>
          {expiryChoices.map((days) => (
            <option key={days} value={String(days)}>
              {t("expiryDays", { days })}
            </option>
          ))}
        </SelectField>
        <Button type="submit" className="sm:mt-6" disabled={create.isPending || !name.trim()}>
          {t("create")}
        </Button>
      </form>
      <div className="mt-3 space-y-2">
        <ErrorNote message={nameError ? null : create.error?.message} />
        {create.data ? (
          <SecretNotice name={create.data.name} secret={create.data.secret} onDismiss={() => create.reset()} />
        ) : null}
      </div>
    </Card>
  );
}
