/**
 * The served schemas of PublicIP and PublicIPPool against what the server sends: every field of
 * the kinds' Kubernetes form (every optional one set) is declared, so `fieldValidation=Strict`
 * accepts `kubectl get -o yaml` output re-applied, and `explain` covers everything shown.
 */
import { describe, expect, it } from "vitest";
import { type PublicIp, publicIpToKubernetes } from "../../engine/kinds/public-ip";
import { type PublicIpPoolView, publicIpPoolToKubernetes } from "../../engine/kinds/public-ip-pool";
import { mergeStrategyAt } from "../patch";
import { schemaFor, unknownFields } from "./index";

const meta = {
  id: "u-1",
  tenantId: "t-1",
  createdAt: 0,
  generation: 1,
  resourceVersion: 3,
  labels: { app: "web" },
  annotations: {},
};

const publicIp: PublicIp = {
  ...meta,
  kind: "PublicIP",
  name: "web-ip",
  namespace: "shop",
  spec: { bandwidthMbps: 20, target: { kind: "Pod", name: "web-1" }, sticky: true },
  status: {
    address: "203.0.113.7",
    pool: "public",
    phase: "Bound",
    boundPod: "web-1",
    ddos: { protectionDisabled: false, blackholedUntil: 60_000, lastBlackholeAt: 1_000 },
  },
  holder: { podUid: "pod-uid", replicaSetUid: "rs-uid", waitingSince: 5 },
};

const pool: PublicIpPoolView = {
  ...meta,
  tenantId: "system:operator",
  kind: "PublicIPPool",
  name: "public",
  spec: { cidrs: ["203.0.113.0/24"] },
  usage: {
    usable: 254,
    used: 1,
    onHold: 0,
    free: 253,
    ranges: [{ cidr: "203.0.113.0/24", usable: 254, used: 1, onHold: 0, free: 253 }],
  },
};

describe("public IP schemas", () => {
  it("declare every field a PublicIP is served with, and not the engine's bookkeeping", () => {
    const kube = publicIpToKubernetes(publicIp);
    expect(kube.status).toMatchObject({ ddos: { blackholedUntil: "1970-01-01T00:01:00Z" } });
    expect(unknownFields("cloud.tenant.io/v1", "PublicIP", kube)).toEqual([]);
    const status = schemaFor("cloud.tenant.io/v1", "PublicIP")?.properties?.status;
    expect(status?.$ref).toBe("#/definitions/io.tenant.cloud.v1.PublicIPStatus");
    expect(kube).not.toHaveProperty("holder");
    expect(unknownFields("cloud.tenant.io/v1", "PublicIP", { status: { podUid: "x" } })).toEqual(["status.podUid"]);
  });

  it("declare every field a pool is served with, its usage included", () => {
    const kube = publicIpPoolToKubernetes(pool);
    expect(unknownFields("cloud.tenant.io/v1", "PublicIPPool", kube)).toEqual([]);
    const withUsage = { ...kube, status: { ...pool.usage } };
    expect(unknownFields("cloud.tenant.io/v1", "PublicIPPool", withUsage)).toEqual([]);
  });

  it("replace a target whole under server-side apply and merge a pool's ranges as a set", () => {
    expect(mergeStrategyAt("cloud.tenant.io/v1", "PublicIP", ["spec", "target"])?.atomic).toBe(true);
    expect(mergeStrategyAt("cloud.tenant.io/v1", "PublicIPPool", ["spec", "cidrs"])).toMatchObject({
      strategy: "merge-primitive",
      listType: "set",
    });
  });
});
