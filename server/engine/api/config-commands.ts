/**
 * ConfigMap and Secret commands and queries (tenant): create, replace, delete, list, get.
 * Guarantees:
 * - Names are unique per namespace and kind; create of a taken name is CONFLICT
 *   (`configmaps "x" already exists`), replace of a missing one NOT_FOUND, and a stale
 *   `resourceVersion` CONFLICT, as Kubernetes answers them. Create takes no resourceVersion.
 * - An object created `immutable` refuses any later change to its data or type, and cannot be
 *   made mutable again (Kubernetes' "field is immutable when `immutable` is set"); its labels and
 *   annotations still change, and it can be deleted.
 * - A Secret's `stringData` is merged over `data` base64-encoded and is never kept as given.
 * - Data objects claim no quota; they count for the namespace's lifetime only (namespace
 *   deletion removes them with everything else).
 * - `managedFields` is stored as given (none given on replace: kept); a change to it alone is a
 *   write of its own, like labels. A replace that changes nothing writes nothing. `dryRun`: checked as the write, nothing stored (dry-run.ts).
 */
import type { z } from "zod";
import { type Ctx, newId } from "../core/context";
import type { EngineCore } from "../core/core";
import { EngineError } from "../core/errors";
import { checkResourceVersion, checkTenant, inNamespace, mustFind, type Page, paginate } from "../core/lookup";
import { type ConfigMapInput, checkConfigMap, configMapSchema } from "../kinds/config-map";
import { checkSecret, type SecretInput, secretData, secretSchema } from "../kinds/secret";
import type { ConfigMap, Secret } from "../kinds/types";
import { jsonEqual } from "../kinds/json-equal";
import { managedFieldsOf } from "../kinds/kubernetes";
import { parseInput } from "../kinds/validation";
import { commandOrDryRun, type DryRunOption } from "./dry-run";
import { namespaceForWrite } from "./namespace-commands";
import type { NamespacedListOptions, NamespaceOption } from "./queries";
import { storedMap } from "./replace-object";

/** What differs between the two kinds: their schema, their payload and its checks. */
interface DataKind<K extends "ConfigMap" | "Secret", S extends z.ZodType> {
  kind: K;
  plural: string;
  idPrefix: string;
  schema: S;
  /** The payload fields (everything but metadata) from the parsed input. */
  payload(input: z.output<S>): Omit<ObjectOf<K>, keyof ConfigMetaFields>;
  check(obj: ObjectOf<K>): void;
  /** The fields an immutable object may not change. */
  frozen(obj: ObjectOf<K>): unknown;
}

type ObjectOf<K> = K extends "ConfigMap" ? ConfigMap : Secret;
type ConfigMetaFields = Omit<ConfigMap, "data" | "binaryData" | "immutable" | "managedFields">;
type ParsedMeta = {
  namespace?: string;
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  immutable?: boolean;
  resourceVersion?: number;
  managedFields?: Record<string, unknown>[];
};

const CONFIG_MAP: DataKind<"ConfigMap", typeof configMapSchema> = {
  kind: "ConfigMap",
  plural: "configmaps",
  idPrefix: "cm",
  schema: configMapSchema,
  payload: (i) => ({ kind: "ConfigMap", data: storedMap(i.data), binaryData: storedMap(i.binaryData) }),
  check: checkConfigMap,
  frozen: (cm) => [cm.data, cm.binaryData],
};

const SECRET: DataKind<"Secret", typeof secretSchema> = {
  kind: "Secret",
  plural: "secrets",
  idPrefix: "secret",
  schema: secretSchema,
  payload: (i) => ({ kind: "Secret", type: i.type, data: storedMap(secretData(i.data, i.stringData)) }),
  check: checkSecret,
  frozen: (s) => [s.type, s.data],
};

function dataObjectCommands<K extends "ConfigMap" | "Secret", S extends z.ZodType>(
  core: EngineCore,
  spec: DataKind<K, S>,
) {
  const ctx: Ctx = core.ctx;
  const { state } = ctx;

  function parse(tenantId: string, input: unknown): { meta: ParsedMeta; parsed: z.output<S> } {
    checkTenant(tenantId);
    const parsed = parseInput(spec.schema, input ?? {}, spec.kind.charAt(0).toLowerCase() + spec.kind.slice(1));
    return { meta: parsed as ParsedMeta, parsed };
  }

  return {
    create: (tenantId: string, input: unknown, opts: DryRunOption = {}): Promise<ObjectOf<K>> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const { meta, parsed } = parse(tenantId, input);
        if (meta.resourceVersion !== undefined)
          throw new EngineError("INVALID", "resourceVersion: Forbidden: may not be set on objects to be created");
        const namespace = namespaceForWrite(ctx, tenantId, meta.namespace);
        if (state.byName(spec.kind, tenantId, meta.name, namespace))
          throw new EngineError("CONFLICT", `${spec.plural} "${meta.name}" already exists`);
        const obj = {
          ...spec.payload(parsed),
          id: newId(ctx, spec.kind, spec.idPrefix),
          tenantId,
          namespace,
          name: meta.name,
          labels: storedMap(meta.labels),
          annotations: storedMap(meta.annotations),
          generation: 1,
          createdAt: ctx.clock.now(),
          ...(meta.immutable ? { immutable: true } : {}),
          ...(meta.managedFields?.length ? { managedFields: meta.managedFields } : {}),
          resourceVersion: 0,
        } as ObjectOf<K>;
        spec.check(obj);
        return state.put(obj);
      }),

    /** Replace the whole object (labels, annotations, payload), as a Kubernetes PUT. */
    replace: (tenantId: string, input: unknown, opts: DryRunOption = {}): Promise<ObjectOf<K>> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const { meta, parsed } = parse(tenantId, input);
        const existing = mustFind(state, spec.kind, tenantId, meta.name, meta.namespace) as ObjectOf<K>;
        checkResourceVersion(existing, meta.resourceVersion);
        const next = {
          ...existing,
          ...spec.payload(parsed),
          labels: storedMap(meta.labels),
          annotations: storedMap(meta.annotations),
          immutable: meta.immutable ? true : undefined,
          managedFields: managedFieldsOf(meta.managedFields, existing.managedFields),
        } as ObjectOf<K>;
        if (existing.immutable && (!next.immutable || !jsonEqual(spec.frozen(existing), spec.frozen(next))))
          throw new EngineError(
            "INVALID",
            `${spec.plural} "${existing.name}": field is immutable when \`immutable\` is set`,
          );
        spec.check(next);
        // A replace that changes nothing is no write (no new version), as Kubernetes answers it.
        return jsonEqual(next, existing) ? existing : state.put(next);
      }),

    delete: (
      tenantId: string,
      name: string,
      opts: NamespaceOption & DryRunOption & { resourceVersion?: number } = {},
    ): Promise<void> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const obj = mustFind(state, spec.kind, checkTenant(tenantId), name, opts.namespace) as ObjectOf<K>;
        checkResourceVersion(obj, opts.resourceVersion);
        state.remove(spec.kind, obj.id);
      }),

    list(tenantId: string, opts: NamespacedListOptions = {}): Page<ObjectOf<K>> {
      const inNs = inNamespace(state, checkTenant(tenantId), opts.namespace);
      const all = state.ofTenant(spec.kind, tenantId) as ObjectOf<K>[];
      return paginate(all.filter(inNs), (o) => `${o.namespace}/${o.name}`, opts);
    },

    get: (tenantId: string, name: string, opts: NamespaceOption = {}): ObjectOf<K> =>
      mustFind(state, spec.kind, checkTenant(tenantId), name, opts.namespace) as ObjectOf<K>,
  };
}

export function configCommands(core: EngineCore) {
  const cm = dataObjectCommands(core, CONFIG_MAP);
  const secret = dataObjectCommands(core, SECRET);
  return {
    createConfigMap: (tenantId: string, input: ConfigMapInput, opts?: DryRunOption) => cm.create(tenantId, input, opts),
    replaceConfigMap: (tenantId: string, input: ConfigMapInput, opts?: DryRunOption) =>
      cm.replace(tenantId, input, opts),
    deleteConfigMap: cm.delete,
    listConfigMaps: cm.list,
    getConfigMap: cm.get,
    createSecret: (tenantId: string, input: SecretInput, opts?: DryRunOption) => secret.create(tenantId, input, opts),
    replaceSecret: (tenantId: string, input: SecretInput, opts?: DryRunOption) => secret.replace(tenantId, input, opts),
    deleteSecret: secret.delete,
    listSecrets: secret.list,
    getSecret: secret.get,
  };
}
