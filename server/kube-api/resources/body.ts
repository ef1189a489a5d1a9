/** Request bodies: JSON (or YAML, for apply-patch+yaml), never protobuf. */
import { parse as parseYaml } from "yaml";
import type { KubeRequest } from "../context";
import { decodeProtobuf, isProtobuf } from "../protobuf";
import { badRequest, KubeError } from "../status";

export function bodyText(req: KubeRequest): string {
  const type = (req.request.headers.get("content-type") ?? "").toLowerCase();
  if (type.includes("protobuf"))
    throw new KubeError("UnsupportedMediaType", "a protobuf body is not accepted here; send JSON");
  if (!req.body || req.body.byteLength === 0) throw badRequest("the request has no body");
  return Buffer.from(req.body).toString("utf8");
}

/** The body as JSON: JSON, YAML (apply), or the protobuf kubectl's typed commands send. */
export function parseJsonBody(req: KubeRequest): unknown {
  if (isProtobuf(req.request.headers.get("content-type"))) {
    if (!req.body || req.body.byteLength === 0) throw badRequest("the request has no body");
    return decodeProtobuf(req.body);
  }
  const text = bodyText(req);
  try {
    return JSON.parse(text);
  } catch {
    const type = (req.request.headers.get("content-type") ?? "").toLowerCase();
    if (type.includes("yaml")) {
      try {
        return parseYaml(text, { maxAliasCount: 100 });
      } catch {
        // fall through to the JSON error
      }
    }
    throw badRequest("the request body is not valid JSON");
  }
}

/** The body as text when it is JSON or YAML (for duplicate-field checks); undefined for protobuf or none. */
export function bodyTextIfAny(req: KubeRequest): string | undefined {
  if (isProtobuf(req.request.headers.get("content-type")) || !req.body || req.body.byteLength === 0) return undefined;
  return Buffer.from(req.body).toString("utf8");
}
