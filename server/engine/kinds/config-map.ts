/**
 * Kind ConfigMap (core/v1), namespaced: configuration as text (`data`) and base64 bytes
 * (`binaryData`), which pods read as environment and files. Printer columns as kubectl's
 * (NAME DATA AGE).
 */
import { z } from "zod";
import { checkData, type DataObject, dataCount, dataKey, dataObjectInput, dataObjectToKubernetes } from "./config-data";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import { type KubeObject, managedFieldsInput } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import { onPodSourceChange } from "./pod-sources";
import type { ManagedMeta, StringMap } from "./types";
import { base64 } from "./secret-data";

export interface ConfigMap extends DataObject, ManagedMeta {
  kind: "ConfigMap";
  /** Base64 values (Kubernetes' `binaryData`). */
  binaryData: StringMap;
}

export const configMapSchema = z.strictObject({
  ...dataObjectInput,
  data: z.record(dataKey, z.string()).default({}),
  binaryData: z.record(dataKey, base64).default({}),
  managedFields: managedFieldsInput,
});
export type ConfigMapInput = z.input<typeof configMapSchema>;

export function checkConfigMap(cm: Pick<ConfigMap, "name" | "data" | "binaryData">): void {
  checkData("configmaps", cm.name, cm.data, cm.binaryData);
}

export function configMapToKubernetes(cm: ConfigMap): KubeObject {
  return dataObjectToKubernetes("ConfigMap", cm, {
    ...(Object.keys(cm.data).length > 0 ? { data: { ...cm.data } } : {}),
    ...(Object.keys(cm.binaryData).length > 0 ? { binaryData: { ...cm.binaryData } } : {}),
  });
}

export const configMapKind: KindDefinition<"ConfigMap"> = {
  kind: "ConfigMap",
  apiKind: "ConfigMap",
  group: "",
  version: "v1",
  apiVersion: "v1",
  plural: "configmaps",
  singular: "configmap",
  shortNames: ["cm"],
  namespaced: true,
  nameScope: "namespace",
  categories: [],
  inputSchema: configMapSchema,
  fieldGetters: metadataFieldGetters<ConfigMap>(),
  printerColumns: [
    nameColumn<ConfigMap>(),
    {
      name: "Data",
      type: "integer",
      priority: 0,
      description: "Data contains the configuration data.",
      cell: (cm) => dataCount(cm.data, cm.binaryData),
    },
    ageColumn<ConfigMap>(),
  ],
  toKubernetes: configMapToKubernetes,
  onChange: onPodSourceChange,
};
