/** Isolation cases of the services, networks (subnets included) and the connectivity check procedures. */
import { expect } from "vitest";
import type { World } from "@/server/testing/world";
import type { Case } from "../isolation-case";

/** Each tenant has a service (the world's), so a list that leaked across tenants would show B's. */
async function listsOnlyOwnServices(w: World): Promise<void> {
  const { items } = await (await w.a.users.viewer.caller()).services.list({ limit: 500 });
  expect(items.map((s) => s.name)).toContain(w.a.service);
  expect(items.every((s) => s.namespace !== w.b.slug)).toBe(true);
  expect(JSON.stringify(items)).not.toContain(w.b.service);
}

export const networkCases: Record<string, Case> = {
  "services.list": {
    own: () => ({}),
    foreign: { input: () => ({ limit: 500 }), expect: "scoped", shows: (_result, w) => listsOnlyOwnServices(w) },
  },
  "services.get": {
    own: (w) => ({ name: "no-such-service", namespace: w.a.slug }),
    foreign: { input: (w) => ({ name: w.b.service, namespace: w.b.slug }), expect: "NOT_FOUND" },
  },
  "services.delete": {
    own: (w) => ({ name: "no-such-service", namespace: w.a.slug }),
    foreign: { input: (w) => ({ name: w.b.service, namespace: w.b.slug }), expect: "NOT_FOUND" },
  },
  "networks.get": {
    own: () => ({}),
    // Both tenants have the same default ranges (they may overlap): only A's namespaces may show.
    foreign: {
      input: () => ({}),
      expect: "scoped",
      shows: (result, w) => {
        const { subnets } = result as { subnets: { namespaces: string[] }[] };
        const namespaces = subnets.flatMap((s) => s.namespaces);
        expect(namespaces).toContain(w.a.slug);
        expect(namespaces).not.toContain(w.b.slug);
      },
    },
  },
  // Subnets: both tenants hold 10.0.200.0/24 (ranges may overlap); a name is found in the caller's tenant only.
  "networks.createSubnet": {
    own: () => ({ name: `probe-${Math.random().toString(36).slice(2, 8)}`, cidrBlock: "10.0.250.0/24", dryRun: true }),
    // B's name is free in A: a (dry-run) subnet of A's, and B's stays as it was.
    foreign: { input: (w) => ({ name: w.b.subnet, cidrBlock: "10.0.251.0/24", dryRun: true }), expect: "scoped" },
  },
  "networks.updateSubnetNamespaces": {
    own: () => ({ name: "no-such-subnet", namespaces: [] }),
    foreign: { input: (w) => ({ name: w.b.subnet, namespaces: [w.b.slug] }), expect: "NOT_FOUND" },
  },
  "networks.deleteSubnet": {
    own: () => ({ name: "no-such-subnet" }),
    foreign: { input: (w) => ({ name: w.b.subnet }), expect: "NOT_FOUND" },
  },
  "networks.check": {
    own: (w) => ({ from: { pod: w.a.pod.name }, to: { address: "10.0.0.250" }, protocol: "tcp", port: 80 }),
    // B's pod by name, from A's pod and as A's source: no such pod in A's tenant.
    foreign: {
      input: (w) => ({
        from: { pod: w.a.pod.name },
        to: { pod: w.b.pod.name, namespace: w.b.slug },
        protocol: "tcp",
        port: 80,
      }),
      expect: "NOT_FOUND",
    },
  },
};
