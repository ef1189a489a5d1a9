"use client";
/**
 * How the console shows a health (server/workloads/health.ts): one badge for deployments,
 * one for pods, and the note that names what blocks a deployment. Reason codes stay in
 * Kubernetes' words; states and explanations come from the `health` catalog.
 */
import Link from "next/link";
import { useTranslations } from "next-intl";
import { EngineMessage } from "@/components/events/event-message";
import { Badge } from "@/components/ui/panel";
import type { Health, HealthState } from "@/server/workloads/health";

type Tone = "good" | "warn" | "bad" | "neutral";

export const healthTone: Record<HealthState, Tone> = {
  Available: "good",
  Progressing: "warn",
  Degraded: "bad",
  Failed: "bad",
  Paused: "neutral",
  ScaledToZero: "neutral",
  Terminating: "neutral",
  Succeeded: "neutral",
};

/** "Available", "Progressing", "Degraded: CrashLoopBackOff", "Failed: ProgressDeadlineExceeded". */
export function DeploymentHealthBadge({ health }: { health: Health }) {
  const t = useTranslations("health");
  const state = t(`state.${health.state}`);
  const text =
    health.state === "Degraded" || health.state === "Failed"
      ? t("withReason", { state, reason: health.reason })
      : state;
  return (
    <span data-health={health.state}>
      <Badge tone={healthTone[health.state]}>{text}</Badge>
    </span>
  );
}

const podWords = new Set(["Running", "Pending", "ContainerCreating"]);

/** Like kubectl's STATUS column: Running, Terminating, Completed, or the reason code (CrashLoopBackOff, Unschedulable...). */
export function PodHealthBadge({ health }: { health: Health }) {
  const t = useTranslations("health");
  const text =
    health.state === "Terminating" || health.state === "Succeeded"
      ? t(`state.${health.state}`)
      : podWords.has(health.reason)
        ? t(`pod.${health.reason as "Running" | "Pending" | "ContainerCreating"}`)
        : health.reason;
  return (
    <span data-health={health.state} title={health.message || undefined}>
      <Badge tone={healthTone[health.state]}>{text}</Badge>
    </span>
  );
}

const explained = new Set([
  "CrashLoopBackOff",
  "BackOff",
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "Unschedulable",
  "NodeNotReady",
  "FailedCreate",
  "OOMKilled",
  "Error",
  "ContainerCreating",
  "Pending",
  "ProgressDeadlineExceeded",
]);

/** A reason in people's words, when the catalog has one. */
export function useExplain() {
  const t = useTranslations("health.explain");
  return (reason: string, waiting = false): string | null => {
    if (reason === "Unschedulable" && waiting) return t("UnschedulableWaiting");
    return explained.has(reason) ? t(reason as "Error") : null;
  };
}

const blockingClass = "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100";
const waitingClass =
  "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100";

/** What holds a deployment back: the pod's reason code and the engine's message, with the pod to look at. */
export function HealthCauseNote({ health }: { health: Health }) {
  const t = useTranslations("health.cause");
  const explain = useExplain();
  const cause = health.cause;
  if (!cause) return null;
  const blocking = health.state === "Degraded" || health.state === "Failed";
  const why = explain(cause.reason, !blocking);
  return (
    <section
      aria-label={blocking ? t("blocking") : t("waiting")}
      className={`rounded-md border p-3 text-sm ${blocking ? blockingClass : waitingClass}`}
    >
      <p className="font-medium">
        {blocking ? t("blocking") : t("waiting")}: <span className="font-mono">{cause.reason}</span>
      </p>
      {cause.message ? (
        <p className="mt-1 break-words font-mono text-xs">
          <EngineMessage text={cause.message} />
        </p>
      ) : null}
      {why ? <p className="mt-1">{why}</p> : null}
      <p className="mt-1 text-xs">
        {cause.pod ? (
          <Link href={`/pods/${encodeURIComponent(cause.pod)}`} className="underline">
            {t("seenOn", { count: cause.pods, pod: cause.pod })}
          </Link>
        ) : (
          t("missing", { count: cause.pods })
        )}
      </p>
    </section>
  );
}
