/**
 * `/openapi/v2`, `/openapi/v3` and `/openapi/v3/<gv>`: the documents of the openapi module for
 * exactly what the catalog serves (kubectl's validation, explain, apply and diff read them).
 */
import { SERVED_RESOURCES, VIRTUAL_RESOURCES } from "./catalog";
import { json } from "./context";
import { createOpenApi, type OpenApiDocuments, openApiV2Acceptable, type ServedResource, type Verb } from "./openapi";
import { OPENAPI_V2_PROTOBUF_ANSWER, openApiV2HeaderProtobuf, wantsOpenApiV2Protobuf } from "./openapi/v2-protobuf";
import { KubeError } from "./status";

const V2_INFO = { title: "Kubernetes", version: "v1.32.0" };

let documents: OpenApiDocuments | undefined;

function servedForOpenApi(): ServedResource[] {
  const out: ServedResource[] = [];
  for (const { def, served: s } of SERVED_RESOURCES) {
    out.push({
      group: def.group,
      version: def.version,
      kind: def.apiKind,
      plural: def.plural,
      namespaced: def.namespaced,
      verbs: s.verbs as Verb[],
      subresources: s.subresources.map((sub) => ({
        name: sub.name,
        ...(sub.kind !== def.apiKind || sub.group !== def.group
          ? { group: sub.group, version: sub.version, kind: sub.kind }
          : {}),
        ...(sub.name === "log" ? { text: true } : {}),
        verbs: sub.verbs as Verb[],
      })),
    });
  }
  for (const r of VIRTUAL_RESOURCES)
    out.push({
      group: r.group,
      version: r.version,
      kind: r.kind,
      plural: r.name,
      namespaced: r.namespaced,
      verbs: r.verbs as Verb[],
    });
  return out;
}

const docs = () => {
  documents ??= createOpenApi(servedForOpenApi());
  return documents;
};

/** The answer for an /openapi path, or undefined when the path is not one. */
export function openApiResponse(url: URL, accept: string | null): Response | undefined {
  const p = url.pathname.replace(/\/+$/, "");
  if (p === "/openapi/v2") {
    if (wantsOpenApiV2Protobuf(accept ?? undefined) && !openApiV2Acceptable(accept ?? undefined))
      return new Response(Buffer.from(openApiV2HeaderProtobuf(V2_INFO)), {
        headers: { "content-type": OPENAPI_V2_PROTOBUF_ANSWER },
      });
    if (!openApiV2Acceptable(accept ?? undefined))
      throw new KubeError("NotAcceptable", "/openapi/v2 is served as application/json only");
    const d = docs().v2();
    return new Response(d.body, { headers: { "content-type": "application/json", etag: `"${d.hash}"` } });
  }
  if (p === "/openapi/v3") return json(docs().v3Index());
  if (p.startsWith("/openapi/v3/")) {
    const d = docs().v3GroupVersion(p.slice("/openapi/v3/".length));
    if (!d) throw new KubeError("NotFound", `the server could not find the requested resource (${p})`);
    const immutable = url.searchParams.get("hash") === d.hash;
    return new Response(d.body, {
      headers: {
        "content-type": "application/json",
        etag: `"${d.hash}"`,
        "cache-control": immutable ? "public, immutable" : "no-cache, private",
      },
    });
  }
  return undefined;
}
