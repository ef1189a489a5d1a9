import { describe, expect, it } from "vitest";
import { schemaFor, unknownFields } from "./index";

const deployment = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: "web" }) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata,
  spec,
});
const template = (container: Record<string, unknown>) => ({
  metadata: { labels: { app: "web" } },
  spec: { containers: [{ name: "web", image: "nginx", ...container }] },
});

describe("unknownFields", () => {
  it("names a misspelt top-level spec field", () => {
    expect(
      unknownFields("apps/v1", "Deployment", deployment({ replica: 3, selector: {}, template: template({}) })),
    ).toEqual(["spec.replica"]);
  });

  it("names a misspelt container field with its list index", () => {
    const obj = deployment({
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            { name: "a", image: "x" },
            { name: "b", image: "y", imagePullPolice: "Always" },
          ],
        },
      },
    });
    expect(unknownFields("apps/v1", "Deployment", obj)).toEqual(["spec.template.spec.containers[1].imagePullPolice"]);
  });

  it("accepts a complete valid manifest, map keys of any name and managedFields' free-form sets", () => {
    const obj = deployment(
      {
        replicas: 2,
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
        selector: { matchLabels: { "app.kubernetes.io/name": "web" } },
        template: template({
          env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "c", key: "k" } } }],
          ports: [{ containerPort: 80, protocol: "TCP" }],
          resources: { limits: { cpu: "1", "example.com/gpu": "1" } },
          volumeMounts: [{ name: "v", mountPath: "/data" }],
        }),
      },
      {
        name: "web",
        labels: { "any/key": "v" },
        annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" },
        managedFields: [{ manager: "kubectl", operation: "Apply", fieldsV1: { "f:spec": { "f:replicas": {} } } }],
      },
    );
    expect(unknownFields("apps/v1", "Deployment", obj)).toEqual([]);
  });

  it("checks metadata, status and the engine's own kinds too", () => {
    expect(unknownFields("v1", "Namespace", { metadata: { name: "a", lables: {} } })).toEqual(["metadata.lables"]);
    expect(unknownFields("v1", "Pod", { status: { phase: "Running", phaze: "x" } })).toEqual(["status.phaze"]);
    expect(
      unknownFields("cloud.tenant.io/v1", "NodePool", {
        spec: { machineType: "2c4g", maxSize: 3, minsize: 1 },
      }),
    ).toEqual(["spec.minsize"]);
    expect(unknownFields("cloud.tenant.io/v1", "TenantQuota", { spec: { hard: { cpu: "4", gpu: "1" } } })).toEqual([
      "spec.hard.gpu",
    ]);
  });

  it("answers nothing for a kind it does not describe, and schemaFor answers undefined", () => {
    expect(unknownFields("batch/v1", "Job", { spec: { anything: 1 } })).toEqual([]);
    expect(schemaFor("batch/v1", "Job")).toBeUndefined();
    expect(schemaFor("apps/v1", "Deployment")?.["x-kubernetes-group-version-kind"]).toEqual([
      { group: "apps", version: "v1", kind: "Deployment" },
    ]);
  });
});
