/**
 * `/openapi/v2` as protobuf (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, gnostic's
 * openapi_v2.Document), header only: swagger "2.0" and the info block, no paths and no definitions.
 *
 * Why it exists: kubectl validates a `create -f` / `apply -f` on the server (`fieldValidation`) when
 * the kind's v3 document has a PATCH operation declaring that parameter; for a kind with none (a
 * create-only ConnectivityCheck, the delete-and-recreate PortBan) it falls back to client-side
 * validation against v2, which client-go asks for in protobuf only: a 406 there fails the command
 * ("failed to download openapi"). Given a document that describes nothing, kubectl finds no schema for
 * the kind and skips its own check, and the server validates the write as it validates every write.
 * The full v2 document stays JSON (documents.ts); JSON clients keep getting all of it.
 */
import protobuf from "protobufjs/minimal.js";

export const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
/** What the answer is labelled, as kube-openapi labels it: Go's media type parser refuses the `@`. */
export const OPENAPI_V2_PROTOBUF_ANSWER = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

/** Whether the Accept header admits the protobuf v2 document. */
export function wantsOpenApiV2Protobuf(accept: string | undefined): boolean {
  return (accept ?? "")
    .split(",")
    .some((part) => part.split(";")[0]?.trim().toLowerCase() === OPENAPI_V2_PROTOBUF.toLowerCase());
}

/** openapi_v2.Document { swagger = 1; info = 2 { title = 1; version = 2 } }, encoded. */
export function openApiV2HeaderProtobuf(info: { title: string; version: string }): Uint8Array {
  const infoBytes = protobuf.Writer.create().uint32(10).string(info.title).uint32(18).string(info.version).finish();
  return protobuf.Writer.create().uint32(10).string("2.0").uint32(18).bytes(infoBytes).finish();
}
