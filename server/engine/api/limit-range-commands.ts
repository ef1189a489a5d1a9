/**
 * LimitRange commands and queries (tenant): create, replace, delete, list, get, in the shape of
 * config-commands.ts. Guarantees:
 * - Names are unique per namespace; create of a taken name is CONFLICT
 *   (`limitranges "x" already exists`), replace of a missing one NOT_FOUND, a stale
 *   `resourceVersion` CONFLICT, as Kubernetes answers them. Create takes no resourceVersion.
 * - The stored object holds the API server's defaults for Container items, and an
 *   inconsistent one is refused with Kubernetes' words (kinds/limit-range.ts).
 * - A LimitRange acts when a deployment's template is admitted (admission/limit-range.ts):
 *   creating, replacing or deleting one changes no deployment or pod that exists.
 * - It claims no quota and goes with its namespace.
 * - `managedFields` is stored as given (none given on replace: kept), without a new generation; a
 *   replace that changes nothing writes nothing;
 *   `dryRun`: checked as the write, nothing stored (dry-run.ts).
 */
import { type Ctx, newId } from "../core/context";
import type { EngineCore } from "../core/core";
import { EngineError } from "../core/errors";
import { checkResourceVersion, checkTenant, inNamespace, mustFind, type Page, paginate } from "../core/lookup";
import { jsonEqual } from "../kinds/json-equal";
import { type LimitRange, type LimitRangeInput, limitRangeSchema, normaliseLimitRange } from "../kinds/limit-range";
import { managedFieldsOf } from "../kinds/kubernetes";
import { parseInput } from "../kinds/validation";
import { commandOrDryRun, type DryRunOption } from "./dry-run";
import { namespaceForWrite } from "./namespace-commands";
import type { NamespacedListOptions, NamespaceOption } from "./queries";
import { storedMap } from "./replace-object";

export function limitRangeCommands(core: EngineCore) {
  const ctx: Ctx = core.ctx;
  const { state } = ctx;

  function parse(tenantId: string, input: unknown) {
    checkTenant(tenantId);
    const parsed = parseInput(limitRangeSchema, input ?? {}, "limitRange");
    return { parsed, limits: normaliseLimitRange(parsed.name, parsed.limits) };
  }

  return {
    createLimitRange: (tenantId: string, input: LimitRangeInput, opts: DryRunOption = {}): Promise<LimitRange> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const { parsed, limits } = parse(tenantId, input);
        if (parsed.resourceVersion !== undefined)
          throw new EngineError("INVALID", "resourceVersion: Forbidden: may not be set on objects to be created");
        const namespace = namespaceForWrite(ctx, tenantId, parsed.namespace);
        if (state.byName("LimitRange", tenantId, parsed.name, namespace))
          throw new EngineError("CONFLICT", `limitranges "${parsed.name}" already exists`);
        return state.put({
          kind: "LimitRange",
          id: newId(ctx, "LimitRange", "limits"),
          tenantId,
          namespace,
          name: parsed.name,
          labels: storedMap(parsed.labels),
          annotations: storedMap(parsed.annotations),
          limits,
          ...(parsed.managedFields?.length ? { managedFields: parsed.managedFields } : {}),
          generation: 1,
          createdAt: ctx.clock.now(),
          resourceVersion: 0,
        });
      }),

    /** Replace the whole object (labels, annotations, limits), as a Kubernetes PUT. */
    replaceLimitRange: (tenantId: string, input: LimitRangeInput, opts: DryRunOption = {}): Promise<LimitRange> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const { parsed, limits } = parse(tenantId, input);
        const existing = mustFind(state, "LimitRange", tenantId, parsed.name, parsed.namespace);
        checkResourceVersion(existing, parsed.resourceVersion);
        const next: LimitRange = {
          ...existing,
          labels: storedMap(parsed.labels),
          annotations: storedMap(parsed.annotations),
          limits,
          managedFields: managedFieldsOf(parsed.managedFields, existing.managedFields),
          generation: jsonEqual(existing.limits, limits) ? existing.generation : existing.generation + 1,
        };
        // A replace that changes nothing is no write (no new version), as Kubernetes answers it.
        return jsonEqual(next, existing) ? existing : state.put(next);
      }),

    deleteLimitRange: (
      tenantId: string,
      name: string,
      opts: NamespaceOption & DryRunOption & { resourceVersion?: number } = {},
    ): Promise<void> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const lr = mustFind(state, "LimitRange", checkTenant(tenantId), name, opts.namespace);
        checkResourceVersion(lr, opts.resourceVersion);
        state.remove("LimitRange", lr.id);
      }),

    listLimitRanges(tenantId: string, opts: NamespacedListOptions = {}): Page<LimitRange> {
      const inNs = inNamespace(state, checkTenant(tenantId), opts.namespace);
      return paginate(state.ofTenant("LimitRange", tenantId).filter(inNs), (o) => `${o.namespace}/${o.name}`, opts);
    },

    getLimitRange: (tenantId: string, name: string, opts: NamespaceOption = {}): LimitRange =>
      mustFind(state, "LimitRange", checkTenant(tenantId), name, opts.namespace),
  };
}
