"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc";
import { EngineMessage } from "@/components/events/event-message";
import { useFormatAge } from "@/components/use-format-age";
import { Badge, Card, ErrorNote, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { emptyEventsMessage } from "./events-empty";

/**
 * The events of one object, newest first (like `kubectl describe`'s Events). Events expire, so
 * an empty list says "nothing in the last hour", unless the object is younger than that
 * (`objectCreatedAt`), when nothing has happened yet.
 */
export function EventsCard({
  objectName,
  objectKind,
  namespace,
  now,
  objectCreatedAt,
}: {
  objectName: string;
  /** The object's namespace (absent: every namespace of the tenant). */
  namespace?: string;
  objectKind?: "Deployment" | "ReplicaSet" | "Pod";
  now: number | null;
  objectCreatedAt?: number;
}) {
  const t = useTranslations("workloads.events");
  const formatAge = useFormatAge();
  const empty = emptyEventsMessage(now, objectCreatedAt);
  const trpc = useTRPC();
  const events = useQuery(
    trpc.events.list.queryOptions({
      objectName,
      limit: 50,
      ...(objectKind ? { objectKind } : {}),
      ...(namespace ? { namespace } : {}),
    }),
  );
  return (
    <Card title={t("title")}>
      {events.isPending ? (
        <SkeletonRows rows={2} />
      ) : events.error ? (
        <ErrorNote message={t("loadError", { message: events.error.message })} />
      ) : events.data.items.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {empty.key === "empty" ? t("empty") : t("emptyExpired", empty.values)}
        </p>
      ) : (
        <Table caption={t("title")} head={[t("type"), t("reason"), t("message"), t("count"), t("lastSeen")]}>
          {events.data.items.map((e) => (
            <tr key={e.id}>
              <Td>
                <Badge tone={e.type === "Warning" ? "warn" : "neutral"}>
                  {e.type === "Warning" ? t("warning") : t("normal")}
                </Badge>
              </Td>
              <Td className="whitespace-nowrap">{e.reason}</Td>
              <Td className="break-words">
                <EngineMessage text={e.message} />
              </Td>
              <Td className="tabular-nums">{e.count}</Td>
              <Td className="whitespace-nowrap tabular-nums">
                {now !== null ? t("ago", { age: formatAge(e.lastTime, now) }) : "–"}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
