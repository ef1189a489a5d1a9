/**
 * What one kind declares about itself: its API identity (group, version, plural, short
 * names, scope), its input schema with defaults, how its names are unique, the secondary
 * indexes and sums the engine state keeps for it, its informer handler, its field-selector
 * fields, its printer columns (kubectl's default and `-o wide` views) and its conversion to
 * the Kubernetes shape. The registry (registry.ts) holds one KindDefinition per kind;
 * adding a kind means writing its module and adding it to that list (README.md).
 *
 * Guarantees: everything but `onChange` is plain data plus pure functions of the object (and
 * the conversion context): nothing there writes state, so API, watch and CLI may call them
 * freely. `onChange` runs only in the informers' fan-out, on committed changes.
 * Kind modules import core/ and scheduler/ as types only: those import the registry, and a
 * value import back would leave KINDS half-built at load.
 */
import type { z } from "zod";
import type { Ctx } from "../core/context";
import type { Priority } from "../queue/work-queue";
import type { ConversionContext, KubeObject } from "./kubernetes";
import type { FieldGetters } from "./selectors";
import type { EngineObject, ObjectKind, ObjectOfKind, Resources, StringMap } from "./types";

/** A meta.k8s.io/v1 Table column plus how to compute its cell. Priority 0: default view, 1: `-o wide`. */
export interface PrinterColumn<T> {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format?: "name";
  priority: 0 | 1;
  description: string;
  cell(obj: T, ctx: ConversionContext): string | number | boolean;
}

/**
 * A secondary index the engine state keeps for a kind (core/state.ts): the key an object is
 * filed under (a pod under its node id), or undefined for none. One key, not a list, so
 * filing an object allocates nothing (the state re-files on every change: 150,000 pods).
 * Read with `EngineState.indexed(kind, name, key)`.
 */
export interface KindIndex<T> {
  name: string;
  key(obj: T): string | undefined;
}

/**
 * A sum the engine state keeps for a kind: `amount(obj)` plus one (the `pods` count) added
 * under `key(obj)` while the key is defined, kept incrementally as objects change (per-node
 * allocated requests, per-tenant and per-namespace quota usage). Read with
 * `EngineState.sum(kind, name, key)`.
 */
export interface KindSum<T> {
  name: string;
  key(obj: T): string | undefined;
  amount(obj: T): Resources;
}

/**
 * Where names are unique: per (kind, namespace) for namespaced kinds, per (kind, tenant)
 * for the tenant's own cluster-scoped kinds (Node, NodePool, Quota), across all tenants
 * for "global" (Namespace).
 */
export type NameScope = "namespace" | "tenant" | "global";

/** The work-queue priority of a change: add (created), delete (gone) or update. */
export const changePriority = (before: unknown, after: unknown): Priority =>
  before === undefined ? "add" : after === undefined ? "delete" : "update";

export interface KindDefinition<K extends ObjectKind = ObjectKind> {
  /** The engine's kind (EngineObject["kind"]). */
  kind: K;
  /** The kind on the wire; equal to `kind` except the engine's Quota (TenantQuota). */
  apiKind: string;
  group: string;
  version: string;
  /** `v1` for the core group, else `group/version`. */
  apiVersion: string;
  plural: string;
  singular: string;
  shortNames: readonly string[];
  namespaced: boolean;
  /** Name uniqueness; "namespace" exactly when namespaced (checked by the registry). */
  nameScope: NameScope;
  categories: readonly string[];
  /**
   * The command input schema (zod; its `.default()`s are the kind's defaults, as Kubernetes'
   * defaulting). Absent: objects of this kind are made by the engine only (pods, events, nodes).
   */
  inputSchema?: z.ZodType;
  /**
   * The labels a label selector sees, when they differ from `obj.labels`: those the
   * conversion adds (a node's `kubernetes.io/hostname`, a namespace's
   * `kubernetes.io/metadata.name`), so `-l` selects what `get -o yaml` shows.
   */
  labelsOf?: (obj: ObjectOfKind<K>) => StringMap;
  /** Fields a field selector may name (`metadata.name`, `spec.nodeName`, …). */
  fieldGetters: FieldGetters<ObjectOfKind<K>>;
  printerColumns: readonly PrinterColumn<ObjectOfKind<K>>[];
  toKubernetes(obj: ObjectOfKind<K>, ctx: ConversionContext): KubeObject;
  /**
   * The object's metadata alone, exactly as `toKubernetes` writes it: what a Table row carries by
   * default. Declared by kinds listed in bulk (pods), whose whole conversion costs far more.
   */
  metadataToKubernetes?(obj: ObjectOfKind<K>, ctx: ConversionContext): KubeObject["metadata"];
  /** Secondary indexes the engine state keeps (see KindIndex); index names are unique per kind. */
  indexes?: readonly KindIndex<ObjectOfKind<K>>[];
  /** Sums the engine state keeps (see KindSum); names unique per kind. */
  sums?: readonly KindSum<ObjectOfKind<K>>[];
  /**
   * Informer handler: what a committed change of this kind sets going (queue keys for the
   * controllers through `ctx.queues`, scheduler entries, runtime calls). `before` undefined:
   * created; `after` undefined: deleted. Absent: a change of this kind sets nothing going.
   */
  onChange?: (ctx: Ctx, before: ObjectOfKind<K> | undefined, after: ObjectOfKind<K> | undefined) => void;
}

/** Any kind's definition, for lists and lookups. */
export type AnyKindDefinition = { [K in ObjectKind]: KindDefinition<K> }[ObjectKind];

/** Every kind's metadata.name / metadata.namespace field getters. */
export function metadataFieldGetters<T extends EngineObject>(): FieldGetters<T> {
  return {
    "metadata.name": (o) => o.name,
    "metadata.namespace": (o) => ("namespace" in o ? o.namespace : ""),
    "metadata.uid": (o) => o.id,
  };
}
