/**
 * Isolation cases of the security groups, network policies and the operators' blocklist
 * procedures. Tenant B has a group and a policy of its own (the world's): a NOT_FOUND for their
 * names means "not yours", not "nobody's".
 */
import { expect } from "vitest";
import type { World } from "@/server/testing/world";
import type { Case } from "../isolation-case";

const names = (result: unknown) => (result as { items: { name: string }[] }).items.map((i) => i.name);

export const securityCases: Record<string, Case> = {
  "security.list": {
    own: () => ({}),
    foreign: {
      input: () => ({ limit: 500 }),
      expect: "scoped",
      shows: async (_result, w) => {
        const shown = names(await (await w.a.users.viewer.caller()).security.list({ limit: 500 }));
        expect(shown).not.toContain(w.b.securityGroup);
      },
    },
  },
  "security.listPolicies": {
    own: () => ({}),
    foreign: {
      input: () => ({ limit: 500 }),
      expect: "scoped",
      shows: async (_result, w) => {
        const shown = names(await (await w.a.users.viewer.caller()).security.listPolicies({ limit: 500 }));
        expect(shown).not.toContain(w.b.networkPolicy);
      },
    },
  },
  "security.get": {
    own: () => ({ name: "no-such-group" }),
    foreign: { input: (w) => ({ name: w.b.securityGroup }), expect: "NOT_FOUND" },
  },
  "security.ruleHits": {
    own: () => ({ name: "no-such-group" }),
    foreign: { input: (w) => ({ name: w.b.securityGroup }), expect: "NOT_FOUND" },
  },
  "security.ofPod": {
    own: (w) => ({ pod: w.a.pod.name }),
    foreign: { input: (w) => ({ namespace: w.b.slug, pod: w.b.pod.name }), expect: "NOT_FOUND" },
  },
  "security.create": {
    own: () => ({ name: `probe-${Math.random().toString(36).slice(2, 8)}` }),
    // B's name is free in A: a new group of A's, and B's stays as it was.
    foreign: { input: (w) => ({ name: w.b.securityGroup, dryRun: true }), expect: "scoped" },
  },
  "security.update": {
    own: () => ({ name: "no-such-group" }),
    foreign: { input: (w) => ({ name: w.b.securityGroup, egressRules: [] }), expect: "NOT_FOUND" },
  },
  "security.delete": {
    own: () => ({ name: "no-such-group" }),
    foreign: { input: (w) => ({ name: w.b.securityGroup }), expect: "NOT_FOUND" },
  },
  "security.getPolicy": {
    own: (w) => ({ name: "no-such-policy", namespace: w.a.slug }),
    foreign: { input: (w) => ({ name: w.b.networkPolicy, namespace: w.b.slug }), expect: "NOT_FOUND" },
  },
  "security.deletePolicy": {
    own: (w) => ({ name: "no-such-policy", namespace: w.a.slug }),
    foreign: { input: (w) => ({ name: w.b.networkPolicy, namespace: w.b.slug }), expect: "NOT_FOUND" },
  },
  // Cluster-wide: the same list for every tenant, naming no tenant.
  "security.portBans": { own: () => ({}), foreign: { input: () => ({}), expect: "scoped" } },
  "security.adminPortBans": { own: () => ({}), foreign: null },
  "security.addPortBan": {
    own: () => ({ name: "probe-ban", protocol: "tcp", portRangeMin: 2525, reason: "isolation probe" }),
    foreign: null,
  },
  "security.removePortBan": { own: () => ({ name: "no-such-ban" }), foreign: null },
};
