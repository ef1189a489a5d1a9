"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { TenantRole } from "@/server/auth/roles";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Card, ErrorNote } from "@/components/ui/panel";
import { useTRPC } from "@/components/trpc";
import { InvitationLinkNotice } from "./invitation-link-notice";

/** Invites an address; the answer is a one-time link for the inviter to pass on. */
export function InviteMemberForm({ roles, onDone }: { roles: readonly TenantRole[]; onDone: () => void }) {
  const t = useTranslations("members");
  const tr = useTranslations("tenants.roles");
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<TenantRole>("member");
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: () => {
        setEmail("");
        onDone();
      },
    }),
  );
  const fieldErrors = invite.error?.data?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const emailError =
    invite.error?.data?.code === "CONFLICT"
      ? t("alreadyMember", { email: invite.variables?.email ?? "" })
      : fieldErrors?.email?.[0];
  return (
    <Card title={t("addTitle")}>
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">{t("inviteHint")}</p>
      <form
        className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate({ email: email.trim(), role });
        }}
      >
        <TextField
          label={t("email")}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
          maxLength={254}
          error={emailError}
        />
        <SelectField label={t("role")} value={role} onChange={(e) => setRole(e.target.value as TenantRole)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {tr(r)}
            </option>
          ))}
        </SelectField>
        <Button type="submit" className="sm:mt-6" disabled={invite.isPending || !email.trim()}>
          {t("add")}
        </Button>
      </form>
      <div className="mt-3 space-y-2">
        <ErrorNote message={emailError ? null : invite.error?.message} />
        {invite.data ? (
          <InvitationLinkNotice
            email={invite.data.email}
            roleLabel={tr(invite.data.role)}
            secret={invite.data.secret}
            onDismiss={() => invite.reset()}
          />
        ) : null}
      </div>
    </Card>
  );
}
