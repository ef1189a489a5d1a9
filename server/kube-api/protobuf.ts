/**
 * Decoding the protobuf bodies kubectl sends for some built-in types
 * (`application/vnd.kubernetes.protobuf`: the `k8s\0` magic, then a runtime.Unknown whose
 * `raw` is the object), into the same JSON a client would have sent. The wire format is read
 * with protobufjs; the field numbers are Kubernetes' generated.proto ones, for the types and
 * fields kubectl's typed commands send: Namespace (`create namespace`), Deployment (`create
 * deployment`), ConfigMap and Secret (`create configmap|secret`), SelfSubjectAccessReview (`auth can-i`), SelfSubjectReview (`auth whoami`),
 * Eviction (`drain`) and DeleteOptions. A field this table does not name is refused
 * (UnsupportedMediaType naming it), never dropped.
 */
import protobuf from "protobufjs/minimal.js";
import { KubeError } from "./status";

type Scalar = "string" | "int" | "bool" | "bytes";
/** Map values: text, a resource quantity, or bytes (base64 in JSON, as a Secret's data). */
type FieldType = Scalar | { msg: () => Schema } | { map: "string" | "quantity" | "bytes" } | "intOrString";
interface Field {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** A pointer field in Go: written only when set, so its zero (replicas: 0) means something. */
  keepZero?: boolean;
}
type Schema = { name: string; fields: Record<number, Field> };

const f = (name: string, type: FieldType, repeated = false): Field => ({ name, type, repeated });
const ptr = (name: string, type: FieldType): Field => ({ name, type, keepZero: true });
const msg = (s: () => Schema) => ({ msg: s });

const typeMeta: Schema = { name: "TypeMeta", fields: { 1: f("apiVersion", "string"), 2: f("kind", "string") } };
const objectMeta: Schema = {
  name: "ObjectMeta",
  fields: {
    1: f("name", "string"),
    2: f("generateName", "string"),
    3: f("namespace", "string"),
    5: f("uid", "string"),
    6: f("resourceVersion", "string"),
    7: f("generation", "int"),
    8: f(
      "creationTimestamp",
      msg(() => time),
    ),
    11: f("labels", { map: "string" }),
    12: f("annotations", { map: "string" }),
    14: f("finalizers", "string", true),
  },
};
const time: Schema = { name: "Time", fields: { 1: f("seconds", "int"), 2: f("nanos", "int") } };
const labelSelector: Schema = {
  name: "LabelSelector",
  fields: {
    1: f("matchLabels", { map: "string" }),
    2: f(
      "matchExpressions",
      msg(() => ({
        name: "LabelSelectorRequirement",
        fields: { 1: f("key", "string"), 2: f("operator", "string"), 3: f("values", "string", true) },
      })),
      true,
    ),
  },
};
const containerPort: Schema = {
  name: "ContainerPort",
  fields: {
    1: f("name", "string"),
    2: f("hostPort", "int"),
    3: f("containerPort", "int"),
    4: f("protocol", "string"),
    5: f("hostIP", "string"),
  },
};
const envVar: Schema = { name: "EnvVar", fields: { 1: f("name", "string"), 2: f("value", "string") } };
const resources: Schema = {
  name: "ResourceRequirements",
  fields: { 1: f("limits", { map: "quantity" }), 2: f("requests", { map: "quantity" }) },
};
const container: Schema = {
  name: "Container",
  fields: {
    1: f("name", "string"),
    2: f("image", "string"),
    3: f("command", "string", true),
    4: f("args", "string", true),
    5: f("workingDir", "string"),
    6: f(
      "ports",
      msg(() => containerPort),
      true,
    ),
    7: f(
      "env",
      msg(() => envVar),
      true,
    ),
    8: f(
      "resources",
      msg(() => resources),
    ),
    13: f("terminationMessagePath", "string"),
    14: f("imagePullPolicy", "string"),
    20: f("terminationMessagePolicy", "string"),
  },
};
const podSpec: Schema = {
  name: "PodSpec",
  fields: {
    2: f(
      "containers",
      msg(() => container),
      true,
    ),
    3: f("restartPolicy", "string"),
    4: ptr("terminationGracePeriodSeconds", "int"),
    6: f("dnsPolicy", "string"),
    7: f("nodeSelector", { map: "string" }),
    19: f("schedulerName", "string"),
  },
};
const podTemplateSpec: Schema = {
  name: "PodTemplateSpec",
  fields: {
    1: f(
      "metadata",
      msg(() => objectMeta),
    ),
    2: f(
      "spec",
      msg(() => podSpec),
    ),
  },
};
const deploymentSpec: Schema = {
  name: "DeploymentSpec",
  fields: {
    1: ptr("replicas", "int"),
    2: f(
      "selector",
      msg(() => labelSelector),
    ),
    3: f(
      "template",
      msg(() => podTemplateSpec),
    ),
    4: f(
      "strategy",
      msg(() => ({
        name: "DeploymentStrategy",
        fields: {
          1: f("type", "string"),
          2: f(
            "rollingUpdate",
            msg(() => ({
              name: "RollingUpdateDeployment",
              fields: { 1: f("maxUnavailable", "intOrString"), 2: f("maxSurge", "intOrString") },
            })),
          ),
        },
      })),
    ),
    5: f("minReadySeconds", "int"),
    6: ptr("revisionHistoryLimit", "int"),
    7: f("paused", "bool"),
    9: ptr("progressDeadlineSeconds", "int"),
  },
};
const deleteOptions: Schema = {
  name: "DeleteOptions",
  fields: {
    1: ptr("gracePeriodSeconds", "int"),
    2: f(
      "preconditions",
      msg(() => ({ name: "Preconditions", fields: { 1: f("uid", "string"), 2: f("resourceVersion", "string") } })),
    ),
    3: f("orphanDependents", "bool"),
    4: f("propagationPolicy", "string"),
    5: f("dryRun", "string", true),
  },
};
const empty = (name: string): Schema => ({ name, fields: {} });

/** Top-level kinds: metadata is field 1 in each; the rest as each type numbers them. */
const KINDS: Record<string, Schema> = {
  Namespace: {
    name: "Namespace",
    fields: {
      1: f(
        "metadata",
        msg(() => objectMeta),
      ),
      2: f(
        "spec",
        msg(() => ({ name: "NamespaceSpec", fields: { 1: f("finalizers", "string", true) } })),
      ),
      3: f(
        "status",
        msg(() => empty("NamespaceStatus")),
      ),
    },
  },
  ConfigMap: {
    name: "ConfigMap",
    fields: {
      1: f(
        "metadata",
        msg(() => objectMeta),
      ),
      2: f("data", { map: "string" }),
      3: f("binaryData", { map: "bytes" }),
      4: ptr("immutable", "bool"),
    },
  },
  Secret: {
    name: "Secret",
    fields: {
      1: f(
        "metadata",
        msg(() => objectMeta),
      ),
      2: f("data", { map: "bytes" }),
      3: f("type", "string"),
      4: f("stringData", { map: "string" }),
      5: ptr("immutable", "bool"),
    },
  },
  Deployment: {
    name: "Deployment",
    fields: {
      1: f(
        "metadata",
        msg(() => objectMeta),
      ),
      2: f(
        "spec",
        msg(() => deploymentSpec),
      ),
      3: f(
        "status",
        msg(() => empty("DeploymentStatus")),
      ),
    },
  },
  SelfSubjectAccessReview: {
    name: "SelfSubjectAccessReview",
    fields: {
      1: f(
        "metadata",
        msg(() => objectMeta),
      ),
      2: f(
        "spec",
        msg(() => ({
          name: "SelfSubjectAccessReviewSpec",
          fields: {
            1: f(
              "resourceAttributes",
              msg(() => ({
                name: "ResourceAttributes",
                fields: {
                  1: f("namespace", "string"),
                  2: f("verb", "string"),
                  3: f("group", "string"),
                  4: f("version", "string"),
                  5: f("resource", "string"),
                  6: f("subresource", "string"),
                  7: f("name", "string"),
                },
              })),
            ),
            2: f(
              "nonResourceAttributes",
              msg(() => ({
                name: "NonResourceAttributes",
                fields: { 1: f("path", "string"), 2: f("verb", "string") },
              })),
            ),
          },
        })),
      ),
      3: f(
        "status",
        msg(() => empty("SubjectAccessReviewStatus")),
      ),
    },
  },
  SelfSubjectReview: {
    name: "SelfSubjectReview",
    fields: {
      1: f(
        "metadata",
        msg(() => objectMeta),
      ),
      2: f(
        "status",
        msg(() => empty("SelfSubjectReviewStatus")),
      ),
    },
  },
  Eviction: {
    name: "Eviction",
    fields: {
      1: f(
        "metadata",
        msg(() => objectMeta),
      ),
      2: f(
        "deleteOptions",
        msg(() => deleteOptions),
      ),
    },
  },
  DeleteOptions: deleteOptions,
};

const MAGIC = [0x6b, 0x38, 0x73, 0x00];
const unsupported = (what: string) =>
  new KubeError(
    "UnsupportedMediaType",
    `the protobuf body carries ${what}, which this server does not decode; send JSON (kubectl create -f <file>)`,
  );

function readMessage(bytes: Uint8Array, schema: Schema, path: string): Record<string, unknown> {
  const r = protobuf.Reader.create(bytes);
  const out: Record<string, unknown> = {};
  while (r.pos < r.len) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wire = tag & 7;
    const field = schema.fields[no];
    if (!field) {
      // Go's generated marshalers write every non-pointer field, zero or not: a zero is no value.
      if (!skipZero(r, wire)) throw unsupported(`field ${no} of ${schema.name} (at ${path || "the top"})`);
      continue;
    }
    const value = readValue(r, wire, field, `${path}${path ? "." : ""}${field.name}`);
    if (!field.keepZero && !field.repeated && (value === "" || value === 0 || value === false)) continue;
    if (field.repeated) {
      const list = (out[field.name] as unknown[] | undefined) ?? [];
      list.push(value);
      out[field.name] = list;
    } else if (typeof field.type === "object" && "map" in field.type)
      out[field.name] = { ...((out[field.name] as object | undefined) ?? {}), ...(value as object) };
    else out[field.name] = value;
  }
  return out;
}

/** Reads an unknown field; true when it holds only zeros (empty, 0, or a message of zeros). */
function skipZero(r: protobuf.Reader, wire: number): boolean {
  switch (wire) {
    case 0:
      return r.uint64().toString() === "0";
    case 1:
      return r.fixed64().toString() === "0";
    case 5:
      return r.fixed32() === 0;
    case 2:
      return isZeroMessage(r.bytes());
    default:
      return false;
  }
}

function isZeroMessage(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return true;
  const r = protobuf.Reader.create(bytes);
  try {
    while (r.pos < r.len) if (!skipZero(r, r.uint32() & 7)) return false;
    return true;
  } catch {
    return false;
  }
}

function readValue(r: protobuf.Reader, wire: number, field: Field, path: string): unknown {
  const t = field.type;
  if (t === "string") return r.string();
  if (t === "bytes") return r.bytes();
  if (t === "bool") return r.bool();
  if (t === "int") {
    if (wire !== 0) throw unsupported(`a non-varint ${path}`);
    return Number(r.int64().toString());
  }
  const sub = r.bytes();
  if (t === "intOrString") {
    const v = readMessage(
      sub,
      { name: "IntOrString", fields: { 1: f("type", "int"), 2: f("intVal", "int"), 3: f("strVal", "string") } },
      path,
    );
    return v.type === 1 ? v.strVal : (v.intVal ?? 0);
  }
  if ("map" in t) {
    const entry = readMessage(
      sub,
      {
        name: "MapEntry",
        fields: {
          1: f("key", "string"),
          2:
            t.map === "quantity"
              ? f(
                  "value",
                  msg(() => ({ name: "Quantity", fields: { 1: f("string", "string") } })),
                )
              : f("value", t.map === "bytes" ? "bytes" : "string"),
        },
      },
      path,
    );
    const value =
      t.map === "quantity"
        ? (entry.value as { string?: string } | undefined)?.string
        : t.map === "bytes"
          ? Buffer.from((entry.value as Uint8Array | undefined) ?? []).toString("base64")
          : entry.value;
    return { [String(entry.key ?? "")]: value ?? "" };
  }
  return readMessage(sub, t.msg(), path);
}

/** Whether the body is Kubernetes protobuf (by content type). */
export const isProtobuf = (contentType: string | null) =>
  (contentType ?? "").toLowerCase().includes("application/vnd.kubernetes.protobuf");

/** The JSON object a protobuf body stands for (apiVersion and kind from its envelope). */
export function decodeProtobuf(body: Uint8Array): Record<string, unknown> {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) throw unsupported("no Kubernetes protobuf envelope");
  let envelope: Record<string, unknown>;
  try {
    envelope = readMessage(
      body.subarray(4),
      {
        name: "Unknown",
        fields: {
          1: f(
            "typeMeta",
            msg(() => typeMeta),
          ),
          2: f("raw", "bytes"),
          3: f("contentEncoding", "string"),
          4: f("contentType", "string"),
        },
      },
      "",
    );
  } catch (error) {
    if (error instanceof KubeError) throw error;
    throw new KubeError("BadRequest", "the protobuf body is not well formed");
  }
  const tm = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = tm.kind ? KINDS[tm.kind] : undefined;
  if (!schema) throw unsupported(`a ${tm.kind ?? "untyped"} object`);
  let object: Record<string, unknown>;
  try {
    object = readMessage((envelope.raw as Uint8Array | undefined) ?? new Uint8Array(), schema, "");
  } catch (error) {
    if (error instanceof KubeError) throw error;
    throw new KubeError("BadRequest", `the protobuf ${tm.kind} is not well formed`);
  }
  const meta = object.metadata as Record<string, unknown> | undefined;
  if (meta && "creationTimestamp" in meta) delete meta.creationTimestamp;
  return { apiVersion: tm.apiVersion, kind: tm.kind, ...object };
}
