/**
 * Kind Secret (core/v1), namespaced: base64 `data` of a `type` (Opaque by default). The input
 * also takes `stringData`, plain text merged over `data` and never stored as given, as
 * Kubernetes does. The store encrypts `data` at rest (db/secret-sealing.ts); in memory and on
 * the wire it is plain base64, as Kubernetes serves it. Printer columns as kubectl's
 * (NAME TYPE DATA AGE).
 */
import { z } from "zod";
import { EngineError } from "../core/errors";
import { checkData, type DataObject, dataCount, dataKey, dataObjectInput, dataObjectToKubernetes } from "./config-data";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import { type KubeObject, managedFieldsInput } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import { onPodSourceChange } from "./pod-sources";
import { base64, REQUIRED_SECRET_KEYS, toBase64 } from "./secret-data";
import type { ManagedMeta, StringMap } from "./types";

export interface Secret extends DataObject, ManagedMeta {
  kind: "Secret";
  type: string;
}

export const secretSchema = z.strictObject({
  ...dataObjectInput,
  type: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[-._a-zA-Z0-9/]+$/, "must consist of alphanumeric characters, '-', '_', '.' or '/'")
    .default("Opaque"),
  data: z.record(dataKey, base64).default({}),
  stringData: z.record(dataKey, z.string()).default({}),
  managedFields: managedFieldsInput,
});
export type SecretInput = z.input<typeof secretSchema>;

/** `data` with `stringData` merged over it (base64-encoded), as the API server stores it. */
export function secretData(data: StringMap, stringData: StringMap): StringMap {
  const merged: Record<string, string> = { ...data };
  for (const [k, v] of Object.entries(stringData)) merged[k] = toBase64(v);
  return merged;
}

export function checkSecret(s: Pick<Secret, "name" | "type" | "data">): void {
  checkData("secrets", s.name, s.data, {});
  for (const key of REQUIRED_SECRET_KEYS[s.type] ?? [])
    if (!(key in s.data))
      throw new EngineError("INVALID", `secrets "${s.name}": data[${key}]: Required value (type ${s.type})`);
}

export function secretToKubernetes(s: Secret): KubeObject {
  return dataObjectToKubernetes("Secret", s, {
    type: s.type,
    ...(Object.keys(s.data).length > 0 ? { data: { ...s.data } } : {}),
  });
}

export const secretKind: KindDefinition<"Secret"> = {
  kind: "Secret",
  apiKind: "Secret",
  group: "",
  version: "v1",
  apiVersion: "v1",
  plural: "secrets",
  singular: "secret",
  shortNames: [],
  namespaced: true,
  nameScope: "namespace",
  categories: [],
  inputSchema: secretSchema,
  fieldGetters: { ...metadataFieldGetters<Secret>(), type: (s) => s.type },
  printerColumns: [
    nameColumn<Secret>(),
    {
      name: "Type",
      type: "string",
      priority: 0,
      description: "Used to facilitate programmatic handling of secret data.",
      cell: (s) => s.type,
    },
    {
      name: "Data",
      type: "integer",
      priority: 0,
      description: "Data contains the secret data.",
      cell: (s) => dataCount(s.data),
    },
    ageColumn<Secret>(),
  ],
  toKubernetes: secretToKubernetes,
  onChange: onPodSourceChange,
};
