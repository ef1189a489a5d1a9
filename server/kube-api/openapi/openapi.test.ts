import { describe, expect, it } from "vitest";
import { DEFINITIONS_FILE, generateDefinitions } from "./generate-definitions";
import { readFileSync } from "node:fs";
import { mergeStrategyAt } from "../patch";
import { mergeKeyReport } from "./definitions";
import {
  createOpenApi,
  defaultServedResources,
  groupVersionPath,
  openApiV2,
  openApiV2Acceptable,
  openApiV3GroupVersion,
  openApiV3Index,
  OPTIONAL_RESOURCES,
  type Schema,
} from "./index";

type Doc = {
  paths: Record<
    string,
    Record<string, { parameters?: { name: string }[]; "x-kubernetes-group-version-kind"?: unknown }>
  >;
  components: { schemas: Record<string, Schema> };
};
const v3 = (gv: string) => openApiV3GroupVersion(gv)?.document as unknown as Doc;
const schemaIn = (doc: Doc, name: string) => doc.components.schemas[name] as Schema;
/** Follows a property path through allOf/$ref wrappers, as kubectl explain does. */
function fieldAt(doc: Doc, root: string, path: string[]): Schema {
  let s = schemaIn(doc, root);
  for (const p of path) {
    let next = s.properties?.[p] ?? s.items;
    if (!next) throw new Error(`no ${p}`);
    if (next.type === "array" && p !== path[path.length - 1] && next.items) next = next.items;
    const ref = next.$ref ?? next.allOf?.[0]?.$ref;
    s = ref && p !== path[path.length - 1] ? schemaIn(doc, ref.replace("#/components/schemas/", "")) : next;
  }
  return s;
}

describe("openapi documents", () => {
  it("indexes every served group-version with a hash that is the document's", () => {
    const index = openApiV3Index();
    expect(Object.keys(index.paths)).toEqual(
      expect.arrayContaining(["api/v1", "apis/apps/v1", "apis/cloud.tenant.io/v1", "apis/authorization.k8s.io/v1"]),
    );
    for (const [gv, { serverRelativeURL }] of Object.entries(index.paths)) {
      const doc = openApiV3GroupVersion(gv);
      expect(serverRelativeURL).toBe(`/openapi/v3/${gv}?hash=${doc?.hash}`);
      expect(JSON.parse(doc?.body ?? "")).toEqual(doc?.document);
    }
    expect(openApiV3GroupVersion("/apis/apps/v1/")).toBe(openApiV3GroupVersion("apis/apps/v1"));
    expect(openApiV3GroupVersion("apis/batch/v1")).toBeUndefined();
    expect(openApiV3Index("/k8s").paths["api/v1"]?.serverRelativeURL.startsWith("/k8s/openapi/v3/api/v1?hash=")).toBe(
      true,
    );
  });

  it("is deterministic: a second build answers the same bytes", () => {
    const again = createOpenApi(defaultServedResources());
    expect(again.v3GroupVersion("apis/apps/v1")?.hash).toBe(openApiV3GroupVersion("apis/apps/v1")?.hash);
    expect(again.v2().body).toBe(openApiV2().body);
  });

  it("gives Deployment's containers, env and ports their upstream merge keys", () => {
    const doc = v3("apis/apps/v1");
    const containers = fieldAt(doc, "io.k8s.api.core.v1.PodSpec", ["containers"]);
    expect(containers["x-kubernetes-patch-merge-key"]).toBe("name");
    expect(containers["x-kubernetes-patch-strategy"]).toBe("merge");
    expect(containers["x-kubernetes-list-type"]).toBe("map");
    expect(containers["x-kubernetes-list-map-keys"]).toEqual(["name"]);
    const spec = fieldAt(doc, "io.k8s.api.apps.v1.Deployment", ["spec", "template", "spec", "containers"]);
    expect(spec["x-kubernetes-patch-merge-key"]).toBe("name");
    const container = schemaIn(doc, "io.k8s.api.core.v1.Container");
    expect(container.properties?.env?.["x-kubernetes-patch-merge-key"]).toBe("name");
    expect(container.properties?.ports?.["x-kubernetes-list-map-keys"]).toEqual(["containerPort", "protocol"]);
    expect(
      schemaIn(doc, "io.k8s.api.apps.v1.DeploymentSpec").properties?.strategy?.["x-kubernetes-patch-strategy"],
    ).toBe("retainKeys");
    // The v2 document carries the same extensions under definitions.
    const v2 = openApiV2().document as { definitions: Record<string, Schema> };
    expect(v2.definitions["io.k8s.api.core.v1.PodSpec"]?.properties?.containers?.["x-kubernetes-patch-merge-key"]).toBe(
      "name",
    );
  });

  it("describes upstream fields with their upstream text", () => {
    const spec = schemaIn(v3("apis/apps/v1"), "io.k8s.api.apps.v1.DeploymentSpec");
    expect(spec.properties?.replicas?.description).toMatch(/^Number of desired pods/);
    expect(spec.properties?.replicas?.type).toBe("integer");
    expect(spec.required).toEqual(["selector", "template"]);
    // A reference with a description is wrapped in allOf (OpenAPI 3.0 ignores siblings of $ref).
    expect(spec.properties?.selector?.allOf?.[0]?.$ref).toBe(
      "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
    );
    expect(spec.properties?.selector?.description).toMatch(/^Label selector for pods/);
  });

  it("gives every served kind a schema with x-kubernetes-group-version-kind, and GET/PATCH operations naming it", () => {
    for (const r of defaultServedResources()) {
      const gv = groupVersionPath(r.group, r.version);
      const doc = v3(gv);
      const gvk = { group: r.group, version: r.version, kind: r.kind };
      const schemas = Object.values(doc.components.schemas).filter((s) =>
        s["x-kubernetes-group-version-kind"]?.some(
          (g) => g.group === r.group && g.version === r.version && g.kind === r.kind,
        ),
      );
      expect(schemas, `${gv} ${r.kind}`).toHaveLength(1);
      const ops = Object.values(doc.paths).flatMap((p) => Object.entries(p));
      const mine = ops.filter(
        ([, op]) => JSON.stringify(op["x-kubernetes-group-version-kind"]) === JSON.stringify(gvk),
      );
      expect(mine.length, `${gv} ${r.kind} operations`).toBeGreaterThan(0);
      // kubectl's strict validation needs fieldValidation among the PATCH operation's own parameters.
      for (const [method, op] of mine)
        if (method === "patch") expect(op.parameters?.map((p) => p.name)).toContain("fieldValidation");
    }
  });

  it("lays out paths and actions as kube-apiserver does", () => {
    const paths = v3("apis/apps/v1").paths as unknown as Record<string, Record<string, Record<string, unknown>>>;
    const item = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"];
    expect(Object.keys(item ?? {}).sort()).toEqual(["delete", "get", "parameters", "patch", "put"]);
    expect(item?.patch?.["x-kubernetes-action"]).toBe("patch");
    expect(Object.keys((item?.patch?.requestBody as { content: object } | undefined)?.content ?? {})).toContain(
      "application/strategic-merge-patch+json",
    );
    expect(paths["/apis/apps/v1/deployments"]?.get?.["x-kubernetes-action"]).toBe("list");
    const scale = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"];
    expect(scale?.put?.["x-kubernetes-group-version-kind"]).toEqual({
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
    });
    const core = v3("api/v1").paths as unknown as Record<string, Record<string, Record<string, unknown>>>;
    expect(
      core["/api/v1/namespaces/{namespace}/pods/{name}/eviction"]?.post?.["x-kubernetes-group-version-kind"],
    ).toEqual({
      group: "policy",
      version: "v1",
      kind: "Eviction",
    });
    expect(core["/api/v1/nodes/{name}"]?.patch).toBeDefined();
    // A kind the documents describe but the default list does not serve has no paths.
    const servedPlurals = new Set(defaultServedResources().map((r) => `${r.group}/${r.plural}`));
    const unserved = Object.values(OPTIONAL_RESOURCES).find(
      (r) => r.group === "" && !servedPlurals.has(`/${r.plural}`),
    );
    if (unserved) expect(core[`/api/v1/${unserved.plural}`]).toBeUndefined();
  });

  it("serves exactly the resources it is given", () => {
    const docs = createOpenApi([
      ...defaultServedResources(),
      OPTIONAL_RESOURCES.limitRanges,
      OPTIONAL_RESOURCES.eventsV1,
    ]);
    const core = docs.v3GroupVersion("api/v1")?.document as unknown as Doc;
    expect(core.paths["/api/v1/namespaces/{namespace}/limitranges/{name}"]?.patch).toBeDefined();
    expect(Object.keys(docs.v3Index().paths)).toContain("apis/events.k8s.io/v1");
    const only = createOpenApi([OPTIONAL_RESOURCES.secrets]);
    expect(Object.keys(only.v3Index().paths)).toEqual(["api/v1"]);
    const paths = Object.keys((only.v2().document as { paths: object }).paths);
    expect(paths.every((p) => p.includes("/secrets"))).toBe(true);
  });

  it("answers JSON for /openapi/v2 only to clients that accept it", () => {
    expect(openApiV2Acceptable("application/com.github.proto-openapi.spec.v2@v1.0+protobuf")).toBe(false);
    expect(openApiV2Acceptable("application/json")).toBe(true);
    expect(
      openApiV2Acceptable("application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json;q=0.9"),
    ).toBe(true);
    expect(openApiV2Acceptable(undefined)).toBe(true);
    expect(openApiV2Acceptable("*/*")).toBe(true);
  });

  it("prints document sizes and build time", () => {
    const t0 = performance.now();
    const docs = createOpenApi();
    const index = docs.v3Index();
    const v2 = docs.v2();
    const ms = performance.now() - t0;
    const sizes = Object.keys(index.paths).map((gv) => `${gv} ${docs.v3GroupVersion(gv)?.body.length} B`);
    console.log(`openapi: built in ${ms.toFixed(0)} ms; v2 ${v2.body.length} B; ${sizes.join("; ")}`);
    expect(v2.body.length).toBeGreaterThan(100_000);
  });
});

describe("generated definitions", () => {
  it("match a fresh generation from the installed kubernetes-models (regenerate: see generate-definitions.ts)", () => {
    expect(JSON.parse(readFileSync(DEFINITIONS_FILE, "utf8"))).toEqual(generateDefinitions());
  });
});

describe("extensions from the patch machinery's table", () => {
  it("land on a schema field for every MERGE_KEYS path but upstream's newest, with no two kinds disagreeing", () => {
    const report = mergeKeyReport();
    if (report.unresolved.length > 0)
      console.log(`MERGE_KEYS paths without a schema field: ${report.unresolved.join("; ")}`);
    expect(report.conflicts).toEqual([]);
    // Fields the table transcribes from a newer kubernetes/api than kubernetes-models 5.1.0 carries.
    const newer = /\.(bindMountOptions|evictionResponders|volumeHealth|mapping|overhead|podPreemptionPolicy)(\.|$)/;
    expect(report.unresolved.filter((p) => !newer.test(p.replace(" ", ".")))).toEqual([]);
  });

  it("agree with mergeStrategyAt for the lists kubectl apply merges", () => {
    const pod = mergeStrategyAt("apps/v1", "Deployment", ["spec", "template", "spec", "containers"]);
    const container = schemaIn(v3("apis/apps/v1"), "io.k8s.api.core.v1.PodSpec").properties?.containers;
    expect(container?.["x-kubernetes-patch-merge-key"]).toBe(pod?.mergeKey);
    const hostIPs = schemaIn(v3("api/v1"), "io.k8s.api.core.v1.PodStatus").properties?.hostIPs;
    expect(hostIPs?.["x-kubernetes-patch-merge-key"]).toBe("ip");
    expect(hostIPs?.["x-kubernetes-list-type"]).toBe("atomic");
  });
});
