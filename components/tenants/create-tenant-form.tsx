"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Card, ErrorNote, PageHeader } from "@/components/ui/panel";
import { useTRPC } from "@/components/trpc";

const slugPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
}

export function CreateTenantForm({ first = false }: { first?: boolean }) {
  const t = useTranslations("tenants");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const create = useMutation(
    trpc.tenants.create.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        router.push("/overview");
        router.refresh();
      },
    }),
  );
  const effectiveSlug = slugTouched ? slug : slugify(name);
  const serverSlugError = (create.error?.data?.fieldErrors as Record<string, string[] | undefined> | undefined)
    ?.slug?.[0];
  const slugError = effectiveSlug && !slugPattern.test(effectiveSlug) ? t("slugRule") : (serverSlugError ?? null);
  // The per-account limit is said in the reader's language from its catalog key.
  const detail = create.error?.data?.detail as { key?: string; params?: { limit?: number } } | undefined;
  const formError =
    detail?.key === "tenants.limitReached"
      ? t("limitReached", { limit: detail.params?.limit ?? 0 })
      : create.error?.message;
  return (
    <div className="max-w-lg">
      <PageHeader title={t(first ? "firstTitle" : "newTitle")} description={t(first ? "firstBody" : "newBody")} />
      <Card>
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!slugError) create.mutate({ name, slug: effectiveSlug });
          }}
        >
          <TextField label={t("name")} value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
          <TextField
            label={t("slug")}
            value={effectiveSlug}
            onChange={(e) => {
              setSlugTouched(true);
              setSlug(e.target.value);
            }}
            required
            maxLength={63}
            hint={t("slugHint")}
            error={slugError}
          />
          <ErrorNote message={serverSlugError ? null : formError} />
          <Button
            type="submit"
            disabled={create.isPending || !name || !effectiveSlug || (!!slugError && !serverSlugError)}
          >
            {t("create")}
          </Button>
        </form>
      </Card>
    </div>
  );
}
