/** Isolation cases of the services, networks and the connectivity check procedures. */
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
