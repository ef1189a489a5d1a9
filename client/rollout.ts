/** Waiting for a deployment's rollout, as `kubectl rollout status` does. */
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../server/trpc/root";
import { CloudError } from "./errors";
import { sleep } from "./fetch";

type DeploymentView = inferRouterOutputs<AppRouter>["deployments"]["get"];
type Deployment = Pick<DeploymentView, "name" | "generation" | "spec" | "status"> &
  Partial<Pick<DeploymentView, "health">>;

export interface RolloutProgress {
  done: boolean;
  failed: boolean;
  /** kubectl's words: `Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...` */
  message: string;
  deployment: Deployment;
}

/** Where a rollout stands (kubectl's DeploymentStatusViewer, plus readiness). */
export function rolloutState(d: Deployment): RolloutProgress {
  // A rollout held back by its pods says so (the server's health: crash loop, pull error, no room...).
  const cause =
    d.health?.state === "Degraded" && d.health.cause
      ? ` (blocked: ${d.health.cause.reason}${d.health.cause.message ? `: ${d.health.cause.message}` : ""})`
      : "";
  const wait = (what: string) => ({
    done: false,
    failed: false,
    message: `Waiting for deployment "${d.name}" rollout to finish: ${what}${cause}`,
    deployment: d,
  });
  if (d.status.observedGeneration < d.generation)
    return {
      done: false,
      failed: false,
      message: "Waiting for deployment spec update to be observed...",
      deployment: d,
    };
  const progressing = d.status.conditions.find((c) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded")
    return {
      done: false,
      failed: true,
      message: `deployment "${d.name}" exceeded its progress deadline`,
      deployment: d,
    };
  const desired = d.spec.replicas;
  const s = d.status;
  const paused = d.spec.paused ? " (the deployment is paused: `rollout resume` to continue)" : "";
  if (s.updatedReplicas < desired)
    return wait(`${s.updatedReplicas} out of ${desired} new replicas have been updated...${paused}`);
  if (s.replicas > s.updatedReplicas)
    return wait(`${s.replicas - s.updatedReplicas} old replicas are pending termination...${paused}`);
  if (s.readyReplicas < s.updatedReplicas)
    return wait(`${s.readyReplicas} of ${s.updatedReplicas} updated replicas are ready...`);
  if (s.availableReplicas < s.updatedReplicas)
    return wait(`${s.availableReplicas} of ${s.updatedReplicas} updated replicas are available...`);
  return { done: true, failed: false, message: `deployment "${d.name}" successfully rolled out`, deployment: d };
}

export interface WaitForRolloutOptions {
  /** The deployment's namespace (default: the tenant's default namespace). */
  namespace?: string;
  /** Give up after this long (default 10 minutes); rejects with CloudError TIMEOUT. */
  timeoutMs?: number;
  /** Polling interval (default 250 ms). */
  intervalMs?: number;
  /** Called when the progress message changes (and once at the end). */
  onProgress?: (progress: RolloutProgress) => void;
  signal?: AbortSignal;
}

interface DeploymentsGetter {
  deployments: { get: { query(input: { name: string; namespace?: string }): Promise<DeploymentView> } };
}

/**
 * Polls `deployments.get` until updated = ready = available = desired with no old pods left
 * and the latest spec observed. Resolves with the deployment; rejects with CloudError
 * ROLLOUT_FAILED on ProgressDeadlineExceeded, TIMEOUT when `timeoutMs` passes, or the
 * client's error (NOT_FOUND, UNAUTHORIZED, NETWORK...).
 */
export async function waitForRollout(
  client: DeploymentsGetter,
  name: string,
  options: WaitForRolloutOptions = {},
): Promise<DeploymentView> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const interval = options.intervalMs ?? 250;
  let lastMessage = "";
  for (;;) {
    if (options.signal?.aborted) throw new CloudError("TIMEOUT", `stopped waiting for deployment "${name}"`);
    const deployment = await client.deployments.get.query({ name, namespace: options.namespace });
    const progress = rolloutState(deployment);
    if (progress.message !== lastMessage || progress.done || progress.failed) {
      lastMessage = progress.message;
      options.onProgress?.(progress);
    }
    if (progress.failed) throw new CloudError("ROLLOUT_FAILED", progress.message, "ProgressDeadlineExceeded");
    if (progress.done) return deployment;
    if (Date.now() >= deadline)
      throw new CloudError(
        "TIMEOUT",
        `timed out waiting for the rollout of deployment "${name}" (${progress.message.replace(/^Waiting for deployment "[^"]+" rollout to finish: /, "")})`,
      );
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}
