/**
 * What a chart is about, resolved inside the caller's tenant: a deployment, one of its
 * revisions, a pod, a container, a node or the whole tenant. Objects are found through the
 * engine (another tenant's name or id answers NOT_FOUND); gone pods through their series.
 */
import { z } from "zod";
import type { Database } from "@/db/client";
import type { RollupLevel } from "@/db/queries/monitoring";
import { findContainerSeries } from "@/db/queries/monitoring-read";
import type { Orchestrator } from "../engine/api/orchestrator";
import { AppError } from "../errors";

const name = z.string().trim().min(1).max(253);

export const targetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("tenant") }).strict(),
  z.object({ kind: z.literal("deployment"), name }).strict(),
  z
    .object({ kind: z.literal("revision"), deployment: name, revision: z.number().int().min(1).max(1_000_000) })
    .strict(),
  z.object({ kind: z.literal("pod"), name }).strict(),
  z.object({ kind: z.literal("container"), pod: name, container: z.string().min(1).max(63) }).strict(),
  z.object({ kind: z.literal("node"), name }).strict(),
]);
export type Target = z.infer<typeof targetSchema>;

export async function resolveTarget(
  db: Database,
  engine: Orchestrator,
  tenantId: string,
  target: Target,
): Promise<{ level: RollupLevel; key: string }> {
  switch (target.kind) {
    case "tenant":
      return { level: "tenant", key: tenantId };
    case "deployment":
      return { level: "deployment", key: engine.getDeployment(tenantId, target.name).id };
    case "revision": {
      const rs = engine.listRevisions(tenantId, target.deployment).find((r) => r.revision === target.revision);
      if (!rs) throw new AppError("NOT_FOUND", `Revision ${target.revision} of ${target.deployment} is not kept.`);
      return { level: "revision", key: rs.id };
    }
    case "pod":
      return { level: "pod", key: engine.getPod(tenantId, target.name).id };
    case "container": {
      const pod = engine.getPod(tenantId, target.pod);
      const id = await findContainerSeries(db, tenantId, pod.id, target.container);
      if (id === null)
        throw new AppError("NOT_FOUND", `No samples yet for container ${target.container} of ${target.pod}.`);
      return { level: "container", key: String(id) };
    }
    case "node":
      return { level: "node", key: engine.getNode(tenantId, target.name).id };
  }
}

export const rangeSchema = z.enum(["15m", "1h", "6h", "24h", "7d"]);
export const rangeMs: Record<z.infer<typeof rangeSchema>, number> = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "6h": 6 * 3_600_000,
  "24h": 24 * 3_600_000,
  "7d": 7 * 24 * 3_600_000,
};
