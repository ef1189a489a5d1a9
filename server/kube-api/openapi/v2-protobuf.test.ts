import protobuf from "protobufjs/minimal.js";
import { describe, expect, it } from "vitest";
import { OPENAPI_V2_PROTOBUF, openApiV2HeaderProtobuf, wantsOpenApiV2Protobuf } from "./v2-protobuf";

/** The length-delimited fields of a message, by number (what a gnostic reader sees). */
function fields(bytes: Uint8Array): Map<number, Uint8Array> {
  const r = protobuf.Reader.create(bytes);
  const out = new Map<number, Uint8Array>();
  while (r.pos < r.len) {
    const tag = r.uint32();
    expect(tag & 7).toBe(2);
    out.set(tag >>> 3, r.bytes());
  }
  return out;
}

describe("the protobuf /openapi/v2 header document", () => {
  it("is a gnostic Document with swagger 2.0 and its info, and nothing else", () => {
    const doc = fields(openApiV2HeaderProtobuf({ title: "Kubernetes", version: "v1.32.0" }));
    expect([...doc.keys()]).toEqual([1, 2]);
    expect(Buffer.from(doc.get(1) as Uint8Array).toString()).toBe("2.0");
    const info = fields(doc.get(2) as Uint8Array);
    expect(Buffer.from(info.get(1) as Uint8Array).toString()).toBe("Kubernetes");
    expect(Buffer.from(info.get(2) as Uint8Array).toString()).toBe("v1.32.0");
  });

  it("answers client-go's Accept only", () => {
    expect(wantsOpenApiV2Protobuf(OPENAPI_V2_PROTOBUF)).toBe(true);
    expect(wantsOpenApiV2Protobuf(`${OPENAPI_V2_PROTOBUF}, application/json;q=0.9`)).toBe(true);
    expect(wantsOpenApiV2Protobuf("application/json")).toBe(false);
    expect(wantsOpenApiV2Protobuf(undefined)).toBe(false);
  });
});
