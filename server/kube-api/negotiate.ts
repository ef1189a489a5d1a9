/**
 * What representation a read answers in: a meta.k8s.io Table when the Accept header asks for
 * one (kubectl get), else JSON. Protobuf is not spoken: a client that accepts only protobuf
 * gets 406 NotAcceptable.
 */
import { mediaRanges } from "./discovery";
import { KubeError } from "./status";

export type Representation = { kind: "json" } | { kind: "table"; version: "v1" | "v1beta1" };

export function representation(accept: string | null): Representation {
  const ranges = mediaRanges(accept);
  if (ranges.length === 0) return { kind: "json" };
  for (const r of ranges) {
    if (r.type === "application/json" || r.type === "*/*" || r.type === "application/*") {
      if (r.params.as === "Table" && r.params.g === "meta.k8s.io") {
        if (r.params.v === "v1" || r.params.v === "v1beta1") return { kind: "table", version: r.params.v };
        continue;
      }
      if (r.params.as === undefined) return { kind: "json" };
      continue;
    }
    if (r.type === "application/yaml") return { kind: "json" };
  }
  throw new KubeError("NotAcceptable", "only application/json (and meta.k8s.io Tables) can be served");
}

export function tableContentType(version: "v1" | "v1beta1"): string {
  return `application/json;as=Table;v=${version};g=meta.k8s.io`;
}

export type IncludeObject = "None" | "Metadata" | "Object";

export function includeObject(raw: string | null): IncludeObject {
  if (raw === null || raw === "" || raw === "Metadata") return "Metadata";
  if (raw === "None" || raw === "Object") return raw;
  throw new KubeError(
    "BadRequest",
    `includeObject: Unsupported value: "${raw}": supported values: "None", "Metadata", "Object"`,
  );
}

/**
 * A boolean query parameter as the API server reads it (Go's strconv.ParseBool): `1`, `t`,
 * `T`, `TRUE`, `true`, `True` are true. The Python client sends `watch=True`.
 */
export function queryFlag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v !== null && ["1", "t", "T", "TRUE", "true", "True"].includes(v);
}
