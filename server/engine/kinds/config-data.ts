/**
 * What ConfigMaps and Secrets share: their data keys, their size limit, their input's
 * metadata and their conversion's common part.
 *
 * Guarantees: a key is what Kubernetes accepts (`[-._a-zA-Z0-9]+`, at most 253 characters, not
 * `.` or `..`); one object's data together stays within Kubernetes' 1 MiB; a key appears in
 * `data` or `binaryData`, never both.
 */
import { z } from "zod";
import { EngineError } from "../core/errors";
import { type KubeObject, objectMeta } from "./kubernetes";
import type { ConfigMap, NamespacedMeta, Secret, StringMap } from "./types";
import { dnsName, dnsSubdomain, metadataSchema } from "./validation";

/** Kubernetes refuses a ConfigMap or Secret whose data passes 1 MiB (etcd's value limit). */
export const MAX_DATA_BYTES = 1024 * 1024;

const KEY = /^[-._a-zA-Z0-9]+$/;

export const dataKey = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(KEY, "must consist of alphanumeric characters, '-', '_' or '.'")
  .refine((k) => k !== "." && k !== "..", "must not be '.' or '..'");

/** The input every data object's command takes besides its data. */
export const dataObjectInput = {
  namespace: dnsName.optional(),
  name: dnsSubdomain,
  ...metadataSchema.shape,
  immutable: z.boolean().optional(),
  /** Replace only the object at this resourceVersion (optimistic concurrency). */
  resourceVersion: z.number().int().min(0).optional(),
};

/** The total size Kubernetes counts: keys and values. */
export function dataBytes(...maps: (StringMap | undefined)[]): number {
  let n = 0;
  for (const m of maps) for (const [k, v] of Object.entries(m ?? {})) n += k.length + v.length;
  return n;
}

/** Throws INVALID when a key is in both maps or the data passes the size limit. */
export function checkData(kindPlural: string, name: string, data: StringMap, binaryData: StringMap): void {
  for (const k of Object.keys(binaryData))
    if (k in data)
      throw new EngineError("INVALID", `${kindPlural} "${name}": key "${k}" is in both data and binaryData`);
  if (dataBytes(data, binaryData) > MAX_DATA_BYTES)
    throw new EngineError("INVALID", `${kindPlural} "${name}": data must be no more than ${MAX_DATA_BYTES} bytes`);
}

/** An object with data, as both kinds keep it. */
export interface DataObject extends NamespacedMeta {
  data: StringMap;
  immutable?: boolean;
}

/** The conversion's common part: identity, metadata, `immutable` when set. */
export function dataObjectToKubernetes(
  apiKind: string,
  obj: ConfigMap | Secret,
  fields: Record<string, unknown>,
): KubeObject {
  return {
    apiVersion: "v1",
    kind: apiKind,
    metadata: objectMeta(obj),
    ...(obj.immutable ? { immutable: true } : {}),
    ...fields,
  };
}

/** kubectl's DATA column: how many keys. */
export const dataCount = (...maps: (StringMap | undefined)[]) =>
  maps.reduce((n, m) => n + Object.keys(m ?? {}).length, 0);
