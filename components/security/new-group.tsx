"use client";
/** A new security group: the empty form (AWS's default outbound rule written out), then its page. */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCanWrite } from "@/components/console/use-current-role";
import { PageHeader } from "@/components/ui/panel";
import { linkClass } from "@/components/workloads/common";
import { GroupForm } from "./group-form";
import { newGroupDraft } from "./rule-draft";
import { LimitsCard, ModelledNote } from "./security-notes";
import { useGroupNames } from "./use-group-names";

export function NewGroup() {
  const t = useTranslations("security.create");
  const router = useRouter();
  const canWrite = useCanWrite();
  const groupNames = useGroupNames();
  const [initial] = useState(newGroupDraft);
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/security-groups" className={linkClass}>
          {t("back")}
        </Link>
      </p>
      <PageHeader title={t("title")} description={t("description")} />
      <ModelledNote />
      {canWrite ? (
        <GroupForm
          initial={initial}
          readOnly={false}
          groupNames={groupNames}
          onSaved={(g) => router.push(`/security-groups/${encodeURIComponent(g.name)}`)}
        />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("viewer")}</p>
      )}
      <LimitsCard />
    </div>
  );
}
