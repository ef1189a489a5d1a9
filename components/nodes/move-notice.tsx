"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc";
import { Notice } from "@/components/ui/panel";
import { isNotFound } from "@/components/workloads/common";

export interface PodMove {
  pod: string;
  node: string;
}

/**
 * "Moving pod…" for as long as the move is under way, read from the pod itself: the original
 * keeps running until its copy is ready, then it is deleted, and the notice is gone with it.
 */
export function MoveNotice({ move }: { move: PodMove | null }) {
  const t = useTranslations("nodesPage");
  const trpc = useTRPC();
  const original = useQuery(
    trpc.pods.get.queryOptions({ name: move?.pod ?? "-" }, { enabled: move !== null, retry: false }),
  );
  const finished =
    isNotFound(original.error) || (original.data !== undefined && original.data.deletionTimestamp !== undefined);
  if (!move || finished) return null;
  return <Notice>{t("moved", { pod: move.pod, node: move.node })}</Notice>;
}
