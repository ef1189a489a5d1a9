/** Unit tests of the Kubernetes API's pure pieces: paths, paging, negotiation, discovery, Status mapping, conversion. */
import { describe, expect, it } from "vitest";
import { EngineError } from "../engine";
import { AppError } from "../errors";
import { deploymentFromKubernetes } from "./convert/deployment";
import { aggregatedDiscovery, apiResourceList, apiGroupList, wantsAggregated } from "./discovery";
import { includeObject, representation } from "./negotiate";
import { decodeContinue, encodeContinue, pageOf, parseLimit, TOKEN_TTL_MS } from "./paging";
import { parsePath } from "./router";
import { KubeError, toStatus } from "./status";
import { kubeApiPort } from "./start";
import { serverNames } from "./http/tls";

describe("paths", () => {
  it("parses core, group, namespaced, cluster and subresource paths", () => {
    expect(parsePath("/api/v1/namespaces/ns1/pods/p1/log")).toEqual({
      type: "resource",
      group: "",
      version: "v1",
      namespace: "ns1",
      resource: "pods",
      name: "p1",
      subresource: "log",
    });
    expect(parsePath("/apis/apps/v1/namespaces/ns1/deployments")).toMatchObject({
      group: "apps",
      namespace: "ns1",
      resource: "deployments",
    });
    expect(parsePath("/api/v1/namespaces/ns1")).toEqual({
      type: "resource",
      group: "",
      version: "v1",
      resource: "namespaces",
      name: "ns1",
    });
    expect(parsePath("/api/v1/namespaces/ns1/finalize")).toMatchObject({
      resource: "namespaces",
      name: "ns1",
      subresource: "finalize",
    });
    expect(parsePath("/api/v1/nodes")).toMatchObject({ resource: "nodes", name: undefined });
    expect(parsePath("/apis/apps")).toEqual({ type: "group", group: "apps" });
    expect(parsePath("/apis/apps/v1")).toEqual({ type: "groupVersion", group: "apps", version: "v1" });
    expect(parsePath("/version")).toEqual({ type: "version" });
  });
  it("refuses what is not a Kubernetes path", () => {
    expect(parsePath("/api/v1/pods/a/b/c/d").type).toBe("unknown");
    expect(parsePath("/foo").type).toBe("unknown");
    expect(parsePath("/api/v1/%E0%A4%A").type).toBe("unknown");
  });
});

describe("paging", () => {
  const items = ["a", "b", "c", "d", "e"];
  it("pages in key order, keeping the first page's resourceVersion", () => {
    const p1 = pageOf(items, (x) => x, { limit: 2, currentRv: "10", now: 0 });
    expect(p1.items).toEqual(["a", "b"]);
    expect(p1.continue).toBeDefined();
    const p2 = pageOf(["a", "b", "bb", "c", "d", "e"], (x) => x, {
      limit: 2,
      continueToken: p1.continue,
      currentRv: "99",
      now: 1,
    });
    expect(p2.items).toEqual(["bb", "c"]);
    expect(p2.resourceVersion).toBe("10");
    const p3 = pageOf(items, (x) => x, { limit: 2, continueToken: p2.continue, currentRv: "99", now: 2 });
    expect(p3.items).toEqual(["d", "e"]);
    expect(p3.continue).toBeUndefined();
  });
  it("answers 410 for an old token and 400 for garbage", () => {
    const token = encodeContinue("5", "a", 0);
    expect(() => decodeContinue(token, TOKEN_TTL_MS + 1)).toThrow(
      expect.objectContaining({ reason: "Expired", code: 410 }),
    );
    expect(() => decodeContinue("!!!", 0)).toThrow(expect.objectContaining({ reason: "BadRequest" }));
    expect(() => parseLimit("-1")).toThrow(KubeError);
    expect(parseLimit("500")).toBe(500);
    expect(parseLimit(null)).toBeUndefined();
  });
});

describe("negotiation", () => {
  it("answers a Table when kubectl get asks for one, JSON otherwise", () => {
    expect(
      representation(
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
      ),
    ).toEqual({ kind: "table", version: "v1" });
    expect(representation("application/json")).toEqual({ kind: "json" });
    expect(representation(null)).toEqual({ kind: "json" });
    expect(() => representation("application/vnd.kubernetes.protobuf")).toThrow(expect.objectContaining({ code: 406 }));
    expect(() => includeObject("Everything")).toThrow(KubeError);
  });
  it("recognises the aggregated discovery media type", () => {
    expect(
      wantsAggregated(
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json",
      ),
    ).toBe(true);
    expect(wantsAggregated("application/json")).toBe(false);
  });
});

describe("discovery", () => {
  it("lists subresources as entries, deployments/scale as autoscaling/v1 Scale", () => {
    const apps = apiResourceList({ group: "apps", version: "v1" });
    const scale = apps.resources.find((r) => r.name === "deployments/scale");
    expect(scale).toMatchObject({
      kind: "Scale",
      group: "autoscaling",
      version: "v1",
      verbs: ["get", "update", "patch"],
    });
    expect(apps.resources.find((r) => r.name === "deployments")).toMatchObject({
      shortNames: ["deploy"],
      categories: ["all"],
      namespaced: true,
    });
    const core = apiResourceList({ group: "", version: "v1" });
    expect(core.groupVersion).toBe("v1");
    expect(core.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(["pods", "pods/log", "pods/eviction", "nodes", "namespaces", "events"]),
    );
    expect(apiGroupList().groups.map((g) => g.name)).toEqual(
      expect.arrayContaining(["apps", "cloud.tenant.io", "metrics.k8s.io", "authorization.k8s.io"]),
    );
  });
  it("aggregated v2 carries the same resources", () => {
    const apis = aggregatedDiscovery(false) as {
      items: {
        metadata: { name?: string };
        versions: { resources: { resource: string; subresources?: { subresource: string }[] }[] }[];
      }[];
    };
    const apps = apis.items.find((i) => i.metadata.name === "apps");
    const deploy = apps?.versions[0]?.resources.find((r) => r.resource === "deployments");
    expect(deploy?.subresources?.map((s) => s.subresource)).toEqual(["scale", "status"]);
    const core = aggregatedDiscovery(true) as { items: unknown[] };
    expect(core.items).toHaveLength(1);
  });
});

describe("Status mapping", () => {
  it("maps engine and app errors to Kubernetes reasons", () => {
    const s = (e: unknown) => toStatus(e, { name: "web", resource: "deployments", group: "apps" }, "rid").status;
    expect(s(new EngineError("NOT_FOUND", 'deployment "web" not found'))).toMatchObject({
      reason: "NotFound",
      code: 404,
      details: { name: "web", kind: "deployments", group: "apps" },
    });
    expect(s(new EngineError("CONFLICT", 'namespaces "x" already exists'))).toMatchObject({
      reason: "AlreadyExists",
      code: 409,
    });
    expect(s(new EngineError("CONFLICT", "the object has been modified"))).toMatchObject({
      reason: "Conflict",
      code: 409,
    });
    expect(s(new EngineError("INVALID", "spec.replicas: bad", { key: "k", field: "spec.replicas" }))).toMatchObject({
      reason: "Invalid",
      code: 422,
      details: { causes: [{ field: "spec.replicas" }] },
    });
    expect(s(new EngineError("QUOTA_EXCEEDED", "exceeded quota"))).toMatchObject({ reason: "Forbidden", code: 403 });
    expect(s(new AppError("UNAUTHORIZED", "bad token"))).toMatchObject({
      reason: "Unauthorized",
      code: 401,
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
    });
    const internal = s(new Error("secret detail"));
    expect(internal).toMatchObject({ reason: "InternalError", code: 500 });
    expect(internal.message).not.toContain("secret");
  });
});

describe("deployment conversion", () => {
  const manifest = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "api", labels: { team: "x" } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "api" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: "api" } },
        spec: {
          containers: [
            {
              name: "api",
              image: "nginx:1.27",
              command: ["nginx"],
              args: ["-g", "daemon off;"],
              env: [{ name: "A", value: "1" }],
              ports: [{ containerPort: 80, name: "http" }],
              resources: { requests: { cpu: "250m", memory: "64Mi" }, limits: { memory: "128Mi" } },
              imagePullPolicy: "IfNotPresent",
            },
          ],
        },
      },
    },
  };
  it("passes the fields the engine models through as given", () => {
    const r = deploymentFromKubernetes(manifest, "ns1");
    expect(r.causes).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.value).toMatchObject({
      name: "api",
      namespace: "ns1",
      replicas: 3,
      labels: { team: "x" },
      strategy: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(r.value.template?.spec.containers[0]).toMatchObject({
      command: ["nginx"],
      args: ["-g", "daemon off;"],
      env: [{ name: "A", value: "1" }],
      ports: [{ containerPort: 80, name: "http" }],
      imagePullPolicy: "IfNotPresent",
    });
  });
  it("keeps fields the engine does not model as given, with a warning; refuses what Kubernetes would", () => {
    const odd = structuredClone(manifest) as typeof manifest & {
      spec: { template: { spec: Record<string, unknown> } };
    };
    odd.spec.template.spec.hostNetwork = true;
    odd.spec.template.spec.dnsPolicy = "ClusterFirst";
    odd.spec.template.spec.volumes = [{ name: "data", hostPath: { path: "/srv" } }];
    (odd.spec.template.spec.containers as Record<string, unknown>[])[0] = {
      ...manifest.spec.template.spec.containers[0],
      stdin: true,
    };
    const r = deploymentFromKubernetes(odd, "ns1");
    expect(r.causes).toEqual([]);
    expect(r.value.template?.spec).toMatchObject({
      unmodelled: { hostNetwork: true },
      volumes: [{ name: "data", unmodelled: { hostPath: { path: "/srv" } } }],
      containers: [{ name: "api", unmodelled: { stdin: true } }],
    });
    expect(r.warnings).toEqual([
      "spec.template.spec.hostNetwork: stored as given, but not modelled by this server",
      "spec.template.spec.containers[0].stdin: stored as given, but not modelled by this server",
      "spec.template.spec.volumes[0].hostPath: stored as given, but not modelled by this server",
    ]);
    const recreate = { ...manifest, spec: { ...manifest.spec, strategy: { type: "Recreate", rollingUpdate: {} } } };
    expect(deploymentFromKubernetes(recreate, "ns1").causes.map((c) => c.field)).toEqual([
      "spec.strategy.rollingUpdate",
    ]);
    expect(
      deploymentFromKubernetes({ ...manifest, spec: { ...manifest.spec, strategy: { type: "Canary" } } }, "ns1").causes,
    ).toMatchObject([{ field: "spec.strategy.type" }]);
    expect(
      deploymentFromKubernetes({ ...manifest, metadata: { name: "api", namespace: "other" } }, "ns1").causes[0]?.field,
    ).toBe("metadata.namespace");
  });
});

describe("configuration", () => {
  it("reads KUBE_API_PORT (default 6443, off) and KUBE_API_HOSTS", () => {
    expect(kubeApiPort({})).toBe(6443);
    expect(kubeApiPort({ KUBE_API_PORT: "off" })).toBeNull();
    expect(kubeApiPort({ KUBE_API_PORT: "7443" })).toBe(7443);
    expect(() => kubeApiPort({ KUBE_API_PORT: "http" })).toThrow(/KUBE_API_PORT/);
    expect(serverNames("api.example.com, 10.0.0.5,localhost")).toEqual([
      "localhost",
      "127.0.0.1",
      "::1",
      "api.example.com",
      "10.0.0.5",
    ]);
  });
});
