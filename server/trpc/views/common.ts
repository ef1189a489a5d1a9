/**
 * Pieces shared by the API's output views. A view is what a client may rely on, not what the
 * engine or the database stores: fields absent here are stripped from the answer, and an
 * answer that does not fit fails the call (tRPC validates outputs), so drift shows in tests.
 */
import { z } from "zod";

/** A mutation whose answer carries no data beyond its success. */
export const okView = z.object({ ok: z.literal(true) });

/** A page of an engine list: `nextCursor` is absent on the last page. */
export const enginePage = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

/** A page of a database list: `nextCursor` is null on the last page. */
export const dbPage = <T extends z.ZodType, C extends z.ZodType>(item: T, cursor: C) =>
  z.object({ items: z.array(item), nextCursor: cursor.nullable() });

export const resourcesView = z.object({ cpuMillis: z.number(), memoryBytes: z.number() });
export const resourcesWithPodsView = resourcesView.extend({ pods: z.number() });
export const labelsView = z.record(z.string(), z.string());
/** Per-tenant or per-namespace limits; an absent field is unlimited. */
export const limitsView = z.object({
  cpuMillis: z.number().optional(),
  memoryBytes: z.number().optional(),
  pods: z.number().optional(),
  nodes: z.number().optional(),
  /** Tenant quotas only. */
  publicIps: z.number().optional(),
});
