"use client";
/** A deployment's kept revisions with why each exists (its change cause), newest first. */
import { useTranslations } from "next-intl";
import { useChangeCauseFields } from "@/components/events/change-cause-fields";
import { useFormatAge } from "@/components/use-format-age";
import { Badge, Card } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import type { ChangeCause } from "@/server/engine/kinds/types";
import type { ReplicaSetViewOut as ReplicaSet } from "@/server/workloads/view-schemas";
import { currentRevisionOf, imagesOf } from "./revisions";

/** A change cause in the reader's language; revisions made before causes were kept have none. */
export function useChangeCauseText(): (cause: ChangeCause | undefined) => string {
  const t = useTranslations("workloads.revisions.cause");
  const fieldList = useChangeCauseFields();
  return (c) => {
    if (!c) return t("unknown");
    switch (c.reason) {
      case "Created":
        return t("created", { images: c.images.join(", ") });
      case "ImageSet":
        return t("imageSet", { images: c.images.join(", ") });
      case "Restarted":
        return t("restarted");
      case "RolledBack":
        return t("rolledBack", { revision: c.toRevision });
      case "TemplateChanged":
        return t("templateChanged", { fields: fieldList(c.fields) });
    }
  };
}

export function RevisionsCard({
  deployment,
  now,
}: {
  deployment: { status: { currentRevision: number }; revisions: ReplicaSet[] };
  now: number | null;
}) {
  const t = useTranslations("workloads.detail");
  const tr = useTranslations("workloads.revisions");
  const causeText = useChangeCauseText();
  const formatAge = useFormatAge();
  const current = currentRevisionOf(deployment);
  return (
    <Card title={t("revisions")}>
      <Table caption={t("revisions")} head={[t("revisionCol"), tr("causeCol"), t("image"), t("podsCol"), t("created")]}>
        {[...deployment.revisions].reverse().map((r) => (
          <tr key={r.id}>
            <Td className="whitespace-nowrap tabular-nums">
              {r.revision} {r.revision === current ? <Badge tone="good">{t("current")}</Badge> : null}
            </Td>
            <Td className="break-words">{causeText(r.changeCause)}</Td>
            <Td className="font-mono text-xs">{imagesOf(r.template)}</Td>
            <Td className="tabular-nums">{r.replicas}</Td>
            <Td className="whitespace-nowrap tabular-nums">
              {now !== null ? t("ago", { age: formatAge(r.createdAt, now) }) : "–"}
            </Td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}
