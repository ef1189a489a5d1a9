/**
 * ConfigMaps and Secrets (Kubernetes' data objects), for the console's Config page: a page of
 * one kind (one namespace's, or every namespace's), and delete. The views carry metadata and
 * how many keys an object holds, never the keys or their values: every member may list them,
 * while a Secret's data is read only through its manifest (manifests.get), which answers
 * through the Kubernetes API's own rules (viewers do not read secrets). Creating and editing go
 * through the YAML tab (manifests.applyYaml). Delete needs the member role, as on the API, and
 * may carry the resourceVersion last read: if the object changed since, CONFLICT, nothing deleted.
 */
import { z } from "zod";
import type { ConfigMap, Secret } from "../../engine";
import { wireMeta } from "../../workloads/views";
import { pageOf } from "../../workloads/view-schemas";
import { okView } from "../views/common";
import { createTRPCRouter, tenantProcedure } from "../init";
import { engineListInput, textSchema } from "../schemas";
import { namespaceField } from "./namespaces";

const configKindSchema = z.enum(["ConfigMap", "Secret"]);

/** A DNS-1123 subdomain, as Kubernetes names data objects. */
const objectName = textSchema()
  .min(1, "A name is required.")
  .max(253, "Names are at most 253 characters.")
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    "Use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.",
  );

export const configObjectView = z.object({
  kind: configKindSchema,
  uid: z.string(),
  name: z.string(),
  namespace: z.string(),
  resourceVersion: z.string(),
  creationTimestamp: z.string(),
  createdAt: z.number(),
  /** How many keys `data` (and a ConfigMap's `binaryData`) hold; the keys themselves are not shown. */
  keys: z.number(),
  /** A Secret's type (Opaque, kubernetes.io/tls, …). */
  type: z.string().optional(),
  immutable: z.boolean(),
});
export type ConfigObjectView = z.infer<typeof configObjectView>;

function toConfigObjectView(o: ConfigMap | Secret): ConfigObjectView {
  const keys = Object.keys(o.data).length + (o.kind === "ConfigMap" ? Object.keys(o.binaryData).length : 0);
  return {
    ...wireMeta(o),
    kind: o.kind,
    name: o.name,
    namespace: o.namespace,
    createdAt: o.createdAt,
    keys,
    ...(o.kind === "Secret" ? { type: o.type } : {}),
    immutable: o.immutable === true,
  };
}

export const configRouter = createTRPCRouter({
  /** A page of the tenant's ConfigMaps or Secrets, by namespace then name. */
  list: tenantProcedure("viewer")
    .input(engineListInput.extend({ kind: configKindSchema, ...namespaceField }))
    .output(pageOf(configObjectView))
    .query(({ ctx, input }) => {
      const { kind, ...opts } = input;
      const engine = ctx.services.engine;
      const page =
        kind === "ConfigMap" ? engine.listConfigMaps(ctx.tenant.id, opts) : engine.listSecrets(ctx.tenant.id, opts);
      return { items: page.items.map(toConfigObjectView), nextCursor: page.nextCursor };
    }),

  /** Deletes one object (in `namespace`; absent: the tenant's default). */
  delete: tenantProcedure("member")
    .input(
      z
        .object({
          kind: configKindSchema,
          ...namespaceField,
          name: objectName,
          resourceVersion: z
            .string()
            .regex(/^\d{1,15}$/, "A resourceVersion is a number.")
            .optional(),
        })
        .strict(),
    )
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `${input.kind}/${input.namespace ? `${input.namespace}/` : ""}${input.name}`;
      const opts = {
        namespace: input.namespace,
        ...(input.resourceVersion === undefined ? {} : { resourceVersion: Number(input.resourceVersion) }),
      };
      const engine = ctx.services.engine;
      if (input.kind === "ConfigMap") await engine.deleteConfigMap(ctx.tenant.id, input.name, opts);
      else await engine.deleteSecret(ctx.tenant.id, input.name, opts);
      return { ok: true as const };
    }),
});
