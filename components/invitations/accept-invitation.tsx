"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import type { TenantRole } from "@/server/auth/roles";
import { Button } from "@/components/ui/button";
import { ErrorNote, SkeletonRows } from "@/components/ui/panel";
import { useTRPC } from "@/components/trpc";

interface Failure {
  message: string;
  data?: { detail?: { key?: string; params?: Record<string, unknown> } | null } | null;
}

/** An invitation's offer and its Accept button; on success the console opens in the joined tenant. */
export function AcceptInvitation({ secret, userEmail }: { secret: string; userEmail: string }) {
  const t = useTranslations("invitation");
  const tr = useTranslations("tenants.roles");
  const ti = useTranslations();
  const format = useFormatter();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const offer = useQuery({ ...trpc.invitations.get.queryOptions({ secret }), retry: false });
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        router.replace("/overview");
        router.refresh();
      },
    }),
  );
  // Our refusals carry a catalog key (messages/<locale>/access.json); anything else shows as the server said it.
  const say = (error: Failure | null) => {
    const detail = error?.data?.detail;
    if (detail?.key?.startsWith("invitationErrors.") && ti.has(detail.key))
      return ti(detail.key, detail.params as Record<string, string>);
    return error?.message;
  };

  if (offer.isPending) return <SkeletonRows rows={2} />;
  if (offer.error) {
    return (
      <div className="space-y-4">
        <ErrorNote message={say(offer.error as unknown as Failure)} />
        <Link className="underline" href="/overview">
          {t("goToConsole")}
        </Link>
      </div>
    );
  }
  const o = offer.data;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{t("title", { tenant: o.tenantName })}</h1>
      <p>{t("body", { inviter: o.invitedByEmail, tenant: o.tenantName, role: tr(o.role as TenantRole) })}</p>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("meantFor", { email: o.email })}</p>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("signedInAs", { email: userEmail })}</p>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {t("expires", { date: format.dateTime(o.expiresAt, { dateStyle: "medium", timeStyle: "short" }) })}
      </p>
      <ErrorNote message={accept.error ? say(accept.error as unknown as Failure) : null} />
      <Button
        className="w-full"
        disabled={accept.isPending || accept.isSuccess}
        onClick={() => accept.mutate({ secret })}
      >
        {accept.isPending ? t("accepting") : t("accept")}
      </Button>
    </div>
  );
}
