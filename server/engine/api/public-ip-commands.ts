/**
 * Public IP commands and queries: a tenant's PublicIPs (allocate, bind, unbind, release) in the shape
 * of config-commands.ts. Guarantees:
 * - Tenant-scoped: another tenant's PublicIP is NOT_FOUND like a missing one; an address is never
 *   handed to two live PublicIPs (network/public-ip-network.ts); an exhausted pool is CONFLICT
 *   `no free public address in the pool`, naming no other tenant.
 * - Create counts against the tenant quota's `publicIps` (QUOTA_EXCEEDED) and the growth freeze; the
 *   address is allocated last, so no check after it can refuse the command with the address taken.
 * - A target is a Pod or a Service of the PublicIP's namespace (INVALID at `spec.target.kind`
 *   otherwise); an existing Service must be type LoadBalancer; a target that does not exist yet is
 *   allowed (Pending). One target holds at most one PublicIP: a second is CONFLICT. `sticky` is a
 *   Pod binding's (INVALID with a Service).
 * - The binding is decided in the command by the controller's rules (controllers/public-ip-binding.ts),
 *   so what a command returns is already Bound when the target can hold it.
 * - `status` is the engine's: a replace writes the spec (and labels, annotations, managed fields)
 *   only; the address never changes. A stale `resourceVersion` is CONFLICT; `dryRun`: checked as
 *   the write, nothing stored and the address returned at once.
 */
import { type Ctx, newId } from "../core/context";
import type { EngineCore } from "../core/core";
import { EngineError } from "../core/errors";
import { checkResourceVersion, checkTenant, inNamespace, mustFind, type Page, paginate } from "../core/lookup";
import { admitPublicIp } from "../admission/quota";
import { reconcileBinding } from "../controllers/public-ip-binding";
import { recordRelease } from "../network/public-ip-network";
import { jsonEqual } from "../kinds/json-equal";
import { managedFieldsOf } from "../kinds/kubernetes";
import {
  DEFAULT_PUBLIC_IP_BANDWIDTH_MBPS,
  PUBLIC_IP_TARGET_KINDS,
  PUBLIC_IPS_BY_HOLDER,
  PUBLIC_IPS_BY_TARGET,
  type PublicIp,
  type PublicIpInput,
  type PublicIpSpec,
  type PublicIpTarget,
  type PublicIpTargetKind,
  publicIpSchema,
  publicIpTargetKey,
} from "../kinds/public-ip";
import { parseInput } from "../kinds/validation";
import { invalidObjectError } from "../network/security";
import { commandOrDryRun, type DryRunOption } from "./dry-run";
import { namespaceForWrite } from "./namespace-commands";
import type { Precondition } from "./node-commands";
import type { NamespacedListOptions, NamespaceOption } from "./queries";
import { storedMap } from "./replace-object";

const KIND = "PublicIP.cloud.tenant.io";
const TARGET_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

type SpecInput = NonNullable<PublicIpInput["spec"]>;

export function publicIpCommands(core: EngineCore) {
  const ctx: Ctx = core.ctx;
  const { state } = ctx;

  function parse(tenantId: string, input: unknown) {
    checkTenant(tenantId);
    return parseInput(publicIpSchema, input ?? {}, "publicIp");
  }

  /** The stored spec of a parsed input, validated against the namespace's objects (`self`: the object replaced). */
  function specOf(tenantId: string, namespace: string, name: string, raw: SpecInput, self?: PublicIp): PublicIpSpec {
    const spec: PublicIpSpec = { bandwidthMbps: raw.bandwidthMbps ?? DEFAULT_PUBLIC_IP_BANDWIDTH_MBPS };
    const t = raw.target;
    if (t !== undefined) {
      if (!PUBLIC_IP_TARGET_KINDS.includes(t.kind as PublicIpTargetKind))
        throw invalid(
          name,
          "spec.target.kind",
          `Unsupported value: ${JSON.stringify(t.kind)}: supported values: "Pod", "Service"`,
        );
      if (!TARGET_NAME.test(t.name))
        throw invalid(
          name,
          "spec.target.name",
          `Invalid value: ${JSON.stringify(t.name)}: must be the name of an object of the namespace`,
        );
      const target: PublicIpTarget = { kind: t.kind as PublicIpTargetKind, name: t.name };
      if (target.kind === "Service") {
        const svc = state.byName("Service", tenantId, target.name, namespace);
        if (svc && svc.spec.type !== "LoadBalancer")
          throw invalid(
            name,
            "spec.target.kind",
            `Invalid value: "Service": service "${target.name}" is type ${svc.spec.type}; only a LoadBalancer service takes a public IP`,
          );
        if (raw.sticky)
          throw invalid(
            name,
            "spec.sticky",
            "Forbidden: only a Pod binding can be sticky (a Service keeps its address)",
          );
      }
      checkTargetFree(tenantId, namespace, target, self);
      spec.target = target;
      if (raw.sticky) spec.sticky = true;
    } else if (raw.sticky) throw invalid(name, "spec.sticky", "Forbidden: sticky needs a Pod target");
    return spec;
  }

  /** CONFLICT when another PublicIP targets or holds `target`. */
  function checkTargetFree(tenantId: string, namespace: string, target: PublicIpTarget, self?: PublicIp): void {
    const others = state
      .indexed("PublicIP", PUBLIC_IPS_BY_TARGET, publicIpTargetKey(tenantId, namespace, target.kind, target.name))
      .filter((o) => o.id !== self?.id);
    if (target.kind === "Pod") {
      const pod = state.byName("Pod", tenantId, target.name, namespace);
      if (pod) others.push(...state.indexed("PublicIP", PUBLIC_IPS_BY_HOLDER, pod.id).filter((o) => o.id !== self?.id));
    }
    const other = others[0];
    if (other)
      throw new EngineError(
        "CONFLICT",
        `${target.kind.toLowerCase()} "${target.name}" already holds public IP "${other.name}" (${other.status.address}); unbind it first`,
      );
  }

  /** `existing` with a new spec: the binding ends when the target changes, generation counts the change. */
  function withSpec(existing: PublicIp, spec: PublicIpSpec): PublicIp {
    if (jsonEqual(existing.spec, spec)) return existing;
    const next: PublicIp = { ...existing, spec, generation: existing.generation + 1 };
    if (!jsonEqual(existing.spec.target, spec.target)) {
      delete next.holder;
      const { boundPod: _, ...status } = next.status;
      next.status = status;
    }
    return next;
  }

  const put = (p: PublicIp): PublicIp => state.put(reconcileBinding(ctx, p));

  return {
    createPublicIp: (tenantId: string, input: PublicIpInput, opts: DryRunOption = {}): Promise<PublicIp> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const parsed = parse(tenantId, input);
        if (parsed.resourceVersion !== undefined)
          throw new EngineError("INVALID", "resourceVersion: Forbidden: may not be set on objects to be created");
        const namespace = namespaceForWrite(ctx, tenantId, parsed.namespace);
        if (state.byName("PublicIP", tenantId, parsed.name, namespace))
          throw new EngineError("CONFLICT", `publicips.cloud.tenant.io "${parsed.name}" already exists`);
        const spec = specOf(tenantId, namespace, parsed.name, parsed.spec);
        admitPublicIp(state, tenantId);
        // A new address always raises a frozen tenant's claims; refused before it is allocated.
        const freeze = core.growth.get(tenantId);
        if (freeze) throw new EngineError("GROWTH_FROZEN", freeze.message, freeze.detail);
        const id = newId(ctx, "PublicIP", "pip");
        const now = ctx.clock.now();
        // Last, so nothing after it can refuse the command with the address taken.
        const { address, pool } = ctx.publicIps.allocate(id, tenantId, now);
        if (opts.dryRun) ctx.publicIps.releaseUnstored(id, now);
        return put({
          kind: "PublicIP",
          id,
          tenantId,
          namespace,
          name: parsed.name,
          labels: storedMap(parsed.labels),
          annotations: storedMap(parsed.annotations),
          spec,
          status: { address, pool, phase: "Allocated", ddos: {} },
          ...(parsed.managedFields?.length ? { managedFields: parsed.managedFields } : {}),
          generation: 1,
          createdAt: now,
          resourceVersion: 0,
        });
      }),

    replacePublicIp: (tenantId: string, input: PublicIpInput, opts: DryRunOption = {}): Promise<PublicIp> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const parsed = parse(tenantId, input);
        const existing = mustFind(state, "PublicIP", tenantId, parsed.name, parsed.namespace);
        checkResourceVersion(existing, parsed.resourceVersion);
        const spec = specOf(tenantId, existing.namespace, existing.name, parsed.spec, existing);
        const next: PublicIp = {
          ...withSpec(existing, spec),
          labels: storedMap(parsed.labels),
          annotations: storedMap(parsed.annotations),
          managedFields: managedFieldsOf(parsed.managedFields, existing.managedFields),
        };
        if (next.managedFields === undefined) delete next.managedFields;
        return jsonEqual(next, existing) ? existing : put(next);
      }),

    bindPublicIp: (
      tenantId: string,
      name: string,
      target: PublicIpTarget & { sticky?: boolean },
      opts: NamespaceOption & Precondition = {},
    ): Promise<PublicIp> =>
      core.command(() => {
        const existing = mustFind(state, "PublicIP", checkTenant(tenantId), name, opts.namespace);
        checkResourceVersion(existing, opts.resourceVersion);
        if (typeof target !== "object" || target === null)
          throw invalid(existing.name, "spec.target", "Required value: a Pod or a Service");
        const raw = parseInput(
          publicIpSchema.shape.spec,
          {
            bandwidthMbps: existing.spec.bandwidthMbps,
            target: { kind: target.kind, name: target.name },
            ...(target.sticky !== undefined ? { sticky: target.sticky } : {}),
          },
          "spec",
        );
        const spec = specOf(tenantId, existing.namespace, existing.name, raw, existing);
        const next = withSpec(existing, spec);
        return next === existing ? existing : put(next);
      }),

    unbindPublicIp: (tenantId: string, name: string, opts: NamespaceOption & Precondition = {}): Promise<PublicIp> =>
      core.command(() => {
        const existing = mustFind(state, "PublicIP", checkTenant(tenantId), name, opts.namespace);
        checkResourceVersion(existing, opts.resourceVersion);
        if (existing.spec.target === undefined) return existing;
        const next = withSpec(existing, { bandwidthMbps: existing.spec.bandwidthMbps });
        ctx.events.recordFor(
          next,
          "Normal",
          "PublicIpUnbound",
          `${existing.status.address} unbound from ${existing.spec.target.kind.toLowerCase()} ${existing.spec.target.name}`,
        );
        return put(next);
      }),

    deletePublicIp: (
      tenantId: string,
      name: string,
      opts: NamespaceOption & Precondition & DryRunOption = {},
    ): Promise<void> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const p = mustFind(state, "PublicIP", checkTenant(tenantId), name, opts.namespace);
        checkResourceVersion(p, opts.resourceVersion);
        state.remove("PublicIP", p.id);
        recordRelease(ctx, p);
      }),

    listPublicIps(tenantId: string, opts: NamespacedListOptions = {}): Page<PublicIp> {
      const inNs = inNamespace(state, checkTenant(tenantId), opts.namespace);
      return paginate(state.ofTenant("PublicIP", tenantId).filter(inNs), (o) => `${o.namespace}/${o.name}`, opts);
    },

    getPublicIp: (tenantId: string, name: string, opts: NamespaceOption = {}): PublicIp =>
      mustFind(state, "PublicIP", checkTenant(tenantId), name, opts.namespace),
  };
}

function invalid(name: string, field: string, message: string): EngineError {
  return invalidObjectError(KIND, name, [{ field, message: `${field}: ${message}` }]);
}
