import { describe, expect, it } from "vitest";
import { hasMergeSchema, MERGE_KEYS, mergeStrategyAt, schemaLookupFor } from "./merge-keys";

const at = (gvk: [string, string], path: string) => mergeStrategyAt(gvk[0], gvk[1], path.split("."));
const DEPLOY: [string, string] = ["apps/v1", "Deployment"];
const POD: [string, string] = ["v1", "Pod"];

describe("merge key table", () => {
  it("merges the pod template's lists by their upstream keys", () => {
    expect(at(DEPLOY, "spec.template.spec.containers")).toMatchObject({ strategy: "merge", mergeKey: "name" });
    expect(at(DEPLOY, "spec.template.spec.initContainers")).toMatchObject({ strategy: "merge", mergeKey: "name" });
    expect(at(DEPLOY, "spec.template.spec.containers.env")).toMatchObject({ mergeKey: "name", listType: "map" });
    expect(at(DEPLOY, "spec.template.spec.containers.volumeMounts")).toMatchObject({ mergeKey: "mountPath" });
    expect(at(DEPLOY, "spec.template.spec.containers.volumeDevices")).toMatchObject({ mergeKey: "devicePath" });
    expect(at(DEPLOY, "spec.template.spec.imagePullSecrets")).toMatchObject({ mergeKey: "name" });
    expect(at(DEPLOY, "spec.template.spec.hostAliases")).toMatchObject({ mergeKey: "ip" });
    expect(at(POD, "status.conditions")).toMatchObject({ mergeKey: "type", listMapKeys: ["type"] });
  });

  it("keeps apply's list-map keys apart from the patch merge key where upstream does", () => {
    expect(at(POD, "spec.containers.ports")).toMatchObject({
      strategy: "merge",
      mergeKey: "containerPort",
      listType: "map",
      listMapKeys: ["containerPort", "protocol"],
    });
    expect(at(POD, "spec.topologySpreadConstraints")).toMatchObject({
      mergeKey: "topologyKey",
      listMapKeys: ["topologyKey", "whenUnsatisfiable"],
    });
    expect(at(POD, "status.hostIPs")).toMatchObject({ strategy: "merge", mergeKey: "ip", listType: "atomic" });
    expect(at(POD, "spec.containers.resources.claims")).toMatchObject({ strategy: "replace", listType: "map" });
  });

  it("marks volumes and the deployment strategy as retainKeys unions", () => {
    expect(at(POD, "spec.volumes")).toMatchObject({ strategy: "merge", mergeKey: "name", retainKeys: true });
    expect(at(DEPLOY, "spec.strategy")).toMatchObject({ strategy: "replace", retainKeys: true });
  });

  it("treats finalizers as a set of primitives and ownerReferences as keyed by uid, on every kind", () => {
    for (const gvk of Object.keys(MERGE_KEYS)) {
      const [kind, ...rest] = gvk.split("/").reverse();
      const apiVersion = rest.reverse().join("/");
      expect(mergeStrategyAt(apiVersion, kind as string, ["metadata", "finalizers"])).toMatchObject({
        strategy: "merge-primitive",
        listType: "set",
      });
      expect(mergeStrategyAt(apiVersion, kind as string, ["metadata", "ownerReferences"])?.mergeKey).toBe("uid");
    }
  });

  it("leaves atomic lists (tolerations, envFrom, readinessGates, taints, limits) to the defaults", () => {
    expect(at(POD, "spec.tolerations")).toBeUndefined();
    expect(at(POD, "spec.containers.envFrom")).toBeUndefined();
    expect(at(POD, "spec.readinessGates")).toBeUndefined();
    expect(at(["v1", "Node"], "spec.taints")).toBeUndefined();
    expect(at(["v1", "LimitRange"], "spec.limits")).toBeUndefined();
    expect(at(["v1", "Node"], "spec.podCIDRs")).toMatchObject({ strategy: "merge-primitive", listType: "set" });
  });

  it("marks atomic structs and maps for apply", () => {
    expect(at(DEPLOY, "spec.selector")).toMatchObject({ atomic: true, strategy: "replace" });
    expect(at(POD, "spec.nodeSelector")?.atomic).toBe(true);
    expect(at(["v1", "Event"], "involvedObject")?.atomic).toBe(true);
  });

  it("knows the served kinds only; other kinds still get the metadata lists", () => {
    expect(hasMergeSchema("autoscaling/v1", "Scale")).toBe(true);
    expect(hasMergeSchema("v1", "Service")).toBe(true);
    expect(hasMergeSchema("v1", "PersistentVolumeClaim")).toBe(false);
    expect(mergeStrategyAt("v1", "PersistentVolumeClaim", ["metadata", "finalizers"])).toBeUndefined();
    expect(schemaLookupFor("v1", "PersistentVolumeClaim")(["metadata", "finalizers"])?.strategy).toBe(
      "merge-primitive",
    );
  });

  it("keeps NetworkPolicy's lists atomic as upstream, its selector atomic; SecurityGroup's namespaces are sets", () => {
    const NP: [string, string] = ["networking.k8s.io/v1", "NetworkPolicy"];
    for (const list of ["spec.ingress", "spec.egress", "spec.policyTypes", "spec.ingress.from", "spec.egress.ports"])
      expect(at(NP, list)).toBeUndefined();
    expect(at(NP, "spec.podSelector")).toMatchObject({ atomic: true, strategy: "replace" });
    const SG: [string, string] = ["cloud.tenant.io/v1", "SecurityGroup"];
    expect(at(SG, "spec.ingressRules")).toBeUndefined();
    expect(at(SG, "spec.namespaces")).toMatchObject({ strategy: "merge-primitive", listType: "set" });
    expect(at(SG, "spec.podSelector")?.atomic).toBe(true);
  });

  it("never matches a map key holding dots against a dotted field path", () => {
    expect(mergeStrategyAt("v1", "Pod", ["spec", "containers.env"])).toBeUndefined();
    expect(at(POD, "spec.containers")).toBeDefined();
  });
});
