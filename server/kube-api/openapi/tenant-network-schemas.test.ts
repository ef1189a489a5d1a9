/**
 * The served schemas of Vpc and Subnet against what the server sends: every field of their
 * Kubernetes form (optional ones and the read-time status included) is declared.
 */
import { describe, expect, it } from "vitest";
import { type SubnetObject, subnetToKubernetes } from "../../engine/kinds/subnet";
import { type VpcObject, vpcToKubernetes } from "../../engine/kinds/vpc";
import { unknownFields } from "./index";

const meta = {
  id: "u-1",
  tenantId: "t-1",
  name: "default",
  createdAt: 0,
  generation: 1,
  resourceVersion: 3,
  labels: {},
  annotations: {},
};

describe("tenant network schemas", () => {
  it("declare every field a Vpc and a Subnet are served with", () => {
    const vpc: VpcObject = {
      ...meta,
      kind: "Vpc",
      spec: { cidrBlock: "10.0.0.0/16" },
      status: { subnets: ["default"] },
    };
    expect(unknownFields("cloud.tenant.io/v1", "Vpc", vpcToKubernetes(vpc))).toEqual([]);
    const subnet: SubnetObject = {
      ...meta,
      kind: "Subnet",
      spec: {
        cidrBlock: "10.0.0.0/24",
        gateway: "10.0.0.1",
        namespaces: ["shop"],
        default: true,
        excludeIps: ["10.0.0.2..10.0.0.9"],
      },
      status: { usable: 245, used: 2, onHold: 0, free: 243, namespaces: ["shop"] },
    };
    expect(unknownFields("cloud.tenant.io/v1", "Subnet", subnetToKubernetes(subnet))).toEqual([]);
    expect(unknownFields("cloud.tenant.io/v1", "Subnet", { spec: { cidr: "x" } })).toEqual(["spec.cidr"]);
  });
});
