/**
 * Per-deployment threshold alerts, evaluated after each minute's rollup on the engine clock:
 * - cpu_over_request: the deployment's average cpu over the last complete minute is above
 *   `threshold` % of its running pods' cpu requests, continuously for `forSeconds`;
 * - restarts: its containers restarted more than `threshold` times in the last 10 minutes.
 * A rule that starts to hold raises a Warning event AlertFiring on the deployment; when it
 * stops holding, a Normal event AlertResolved. State (pending since, firing) is durable;
 * the restart window is kept in memory, so after a restart it refills over 10 minutes.
 */
import type { Database } from "@/db/client";
import { listAlertRules, saveAlertState, type AlertRuleRow } from "@/db/queries/alerts";
import { MINUTE } from "@/db/queries/monitoring";
import { readSeries } from "@/db/queries/monitoring-read";
import { operatorScope, tenantScope } from "@/db/scope";
import type { Pod } from "../engine";
import type { Orchestrator } from "../engine/api/orchestrator";
import { formatCpu, parseCpu } from "../engine";

const restartWindowMs = 10 * MINUTE;

export function createAlertEvaluator(db: Database, engine: Orchestrator, sampleIntervalMs: number) {
  /** Per rule: (time, restart total) observations within the window. */
  const restartHistory = new Map<string, { at: number; total: number }[]>();

  async function condition(
    rule: AlertRuleRow,
    pods: Pod[],
    now: number,
  ): Promise<{ holds: boolean; detail: string } | null> {
    if (rule.kind === "restarts") {
      const total = pods.reduce(
        (sum, p) => sum + p.status.containerStatuses.reduce((s, c) => s + c.restartCount, 0),
        0,
      );
      const history = (restartHistory.get(rule.id) ?? []).filter((h) => h.at >= now - restartWindowMs);
      history.push({ at: now, total });
      restartHistory.set(rule.id, history);
      const restarts = Math.max(0, total - (history[0]?.total ?? total));
      return {
        holds: restarts > rule.threshold,
        detail: `${restarts} restart(s) in the last 10 minutes (threshold ${rule.threshold})`,
      };
    }
    const running = pods.filter((p) => p.status.phase === "Running");
    const requested = running.reduce(
      (sum, p) => sum + p.spec.containers.reduce((s, c) => s + parseCpu(c.resources.requests.cpu), 0),
      0,
    );
    if (requested === 0) return null;
    const series = await readSeries(db, {
      level: "deployment",
      key: rule.deploymentId,
      scope: tenantScope(rule.tenantId),
      metric: "cpuMillis",
      from: now - 3 * MINUTE,
      to: now,
      sampleIntervalMs,
    });
    // The last complete minute only: the current one is still filling.
    const last = series.points.filter((p) => p.t + MINUTE <= now).at(-1);
    if (!last) return null;
    const share = (last.value / requested) * 100;
    return {
      holds: share > rule.threshold,
      detail: `cpu ${formatCpu(last.value)} is ${Math.round(share)} % of requests ${formatCpu(requested)} (threshold ${rule.threshold} %)`,
    };
  }

  return {
    async evaluate(now: number): Promise<void> {
      for (const rule of await listAlertRules(db, operatorScope)) {
        let pods: Pod[];
        try {
          pods = engine.listPods(rule.tenantId, { deployment: rule.deploymentId, limit: 1000 }).items;
        } catch {
          continue; // the deployment is gone; its rule stays until deleted
        }
        const c = await condition(rule, pods, now);
        if (!c) continue;
        const pendingSince = c.holds ? (rule.pendingSince ?? now) : null;
        const firing = c.holds && now - (pendingSince ?? now) >= rule.forSeconds * 1000;
        if (firing && !rule.firing) {
          await engine.recordEvent(rule.tenantId, {
            objectKind: "Deployment",
            objectName: rule.deploymentName,
            type: "Warning",
            reason: "AlertFiring",
            message: `Alert ${rule.kind} is firing: ${c.detail}`,
          });
        } else if (!c.holds && rule.firing) {
          await engine.recordEvent(rule.tenantId, {
            objectKind: "Deployment",
            objectName: rule.deploymentName,
            type: "Normal",
            reason: "AlertResolved",
            message: `Alert ${rule.kind} resolved: ${c.detail}`,
          });
        }
        if (pendingSince !== rule.pendingSince || firing !== (rule.firing === 1))
          await saveAlertState(db, rule.id, { pendingSince, firing });
      }
    },
  };
}
