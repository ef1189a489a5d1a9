/**
 * What representation a read answers in: a meta.k8s.io Table when the Accept header asks for
 * one (kubectl get), else JSON. Protobuf is not spoken: a client that accepts only protobuf
 * gets 406 NotAcceptable. A large whole answer is gzipped for a client that accepts it.
 */
import { gzipSync } from "node:zlib";
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

/**
 * Response compression as kube-apiserver's: gzip at level 1 (its measured best trade of CPU for
 * size) for a client whose Accept-Encoding names gzip (Go's transport, so kubectl and client-go,
 * sends it by default), only for a whole body larger than 128 KiB; never for a watch or a log
 * stream (their bodies are streams, answered elsewhere).
 */
export const GZIP_MIN_BYTES = 128 * 1024;

/** Whether Accept-Encoding offers gzip (`gzip`, `x-gzip`, or `*`, with a q other than 0). */
export function acceptsGzip(header: string | null): boolean {
  if (!header) return false;
  for (const part of header.split(",")) {
    const [coding = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (coding !== "gzip" && coding !== "x-gzip" && coding !== "*") continue;
    const q = params.find((p) => p.startsWith("q="));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

export const gzipBody = (body: Uint8Array): Buffer<ArrayBuffer> => gzipSync(body, { level: 1 }) as Buffer<ArrayBuffer>;

/**
 * A 200 answer of a whole body, gzipped when the request accepts it and the body is large enough;
 * `gzipped` gives the compressed bytes when they are kept already (a cached Table). A large body
 * says `Vary: Accept-Encoding` either way, since its encoding depended on that header.
 */
export function wholeBody(
  request: Request,
  body: string | Buffer<ArrayBuffer>,
  contentType: string,
  gzipped?: () => Buffer<ArrayBuffer>,
): Response {
  // A string of n UTF-16 units is at most 3n bytes: most answers are known small without encoding them.
  if (typeof body === "string" && body.length * 3 <= GZIP_MIN_BYTES)
    return new Response(body, { status: 200, headers: { "content-type": contentType } });
  const bytes = typeof body === "string" ? (Buffer.from(body) as Buffer<ArrayBuffer>) : body;
  if (bytes.length <= GZIP_MIN_BYTES) return bytesResponse(bytes, { "content-type": contentType });
  const headers: Record<string, string> = { "content-type": contentType, vary: "Accept-Encoding" };
  if (!acceptsGzip(request.headers.get("accept-encoding"))) return bytesResponse(bytes, headers);
  return bytesResponse(gzipped ? gzipped() : gzipBody(bytes), { ...headers, "content-encoding": "gzip" });
}

/**
 * The bytes as the body's one chunk, with their length: a Response made of a buffer copies it
 * first, and a cached 2 MB Table copied per request is garbage the size of the answer.
 */
function bytesResponse(bytes: Buffer<ArrayBuffer>, headers: Record<string, string>): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { ...headers, "content-length": String(bytes.length) } });
}
