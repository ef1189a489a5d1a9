/**
 * Isolation cases of the public IP procedures (tenants') and the operators' public network.
 * Each tenant holds a PublicIP of its own (the world's, from one shared pool): a NOT_FOUND for
 * B's means "not yours", not "nobody's", and a list or a dry-run allocation never shows B's
 * object or its address.
 */
import { expect } from "vitest";
import type { World } from "@/server/testing/world";
import type { Case } from "../isolation-case";

/** A's list holds A's public IP and nothing of B's: not its name, its namespace, nor its address. */
async function listsOnlyOwnPublicIps(w: World): Promise<void> {
  const { items } = await (await w.a.users.viewer.caller()).publicIps.list({ limit: 500 });
  expect(items.map((p) => p.name)).toContain(w.a.publicIp.name);
  expect(items.every((p) => p.namespace !== w.b.slug)).toBe(true);
  const shown = JSON.stringify(items);
  for (const secret of [w.b.publicIp.name, w.b.publicIp.address, w.b.id]) expect(shown).not.toContain(secret);
}

const foreignIp = (w: World) => ({ name: w.b.publicIp.name, namespace: w.b.slug });

export const publicIpCases: Record<string, Case> = {
  "publicIps.list": {
    own: () => ({}),
    foreign: { input: () => ({ limit: 500 }), expect: "scoped", shows: (_result, w) => listsOnlyOwnPublicIps(w) },
  },
  "publicIps.ofPod": {
    own: (w) => ({ pod: w.a.pod.name }),
    foreign: { input: (w) => ({ namespace: w.b.slug, pod: w.b.pod.name }), expect: "NOT_FOUND" },
  },
  "publicIps.get": {
    own: (w) => ({ name: w.a.publicIp.name, namespace: w.a.slug }),
    foreign: { input: foreignIp, expect: "NOT_FOUND" },
  },
  "publicIps.allocate": {
    own: () => ({ name: "probe-pip", dryRun: true }),
    // B's name is free in A: a dry run of A's own allocation, which neither names nor takes B's address.
    foreign: {
      input: (w) => ({ name: w.b.publicIp.name, dryRun: true }),
      expect: "scoped",
      shows: (result, w) => {
        expect(result).toMatchObject({ name: w.b.publicIp.name, namespace: w.a.slug });
        expect((result as { address: string }).address).not.toBe(w.b.publicIp.address);
        expect(JSON.stringify(result)).not.toContain(w.b.id);
      },
    },
  },
  "publicIps.bind": {
    own: (w) => ({ name: w.a.publicIp.name, target: { kind: "Pod", name: w.a.pod.name } }),
    foreign: { input: (w) => ({ ...foreignIp(w), target: { kind: "Pod", name: w.b.pod.name } }), expect: "NOT_FOUND" },
  },
  "publicIps.unbind": {
    own: (w) => ({ name: w.a.publicIp.name }),
    foreign: { input: foreignIp, expect: "NOT_FOUND" },
  },
  "publicIps.setBandwidth": {
    own: (w) => ({ name: w.a.publicIp.name, bandwidthMbps: 10 }),
    foreign: { input: (w) => ({ ...foreignIp(w), bandwidthMbps: 1 }), expect: "NOT_FOUND" },
  },
  "publicIps.release": {
    own: (w) => ({ name: w.a.publicIp.name }),
    foreign: { input: foreignIp, expect: "NOT_FOUND" },
  },
  // Operators only: across tenants by design (tenants are refused; see the operator tests).
  "publicIpsAdmin.pools": { own: () => ({}), foreign: null },
  "publicIpsAdmin.createPool": { own: () => ({ name: "probe-pool", cidrs: ["198.51.100.0/24"] }), foreign: null },
  "publicIpsAdmin.replacePool": { own: () => ({ name: "world-pool", cidrs: ["203.0.113.0/24"] }), foreign: null },
  "publicIpsAdmin.deletePool": { own: () => ({ name: "no-such-pool" }), foreign: null },
  "publicIpsAdmin.publicIps": { own: () => ({}), foreign: null },
  "publicIpsAdmin.ddosEvents": { own: () => ({}), foreign: null },
  "publicIpsAdmin.clearBlackhole": { own: (w) => ({ address: w.a.publicIp.address }), foreign: null },
  "publicIpsAdmin.setProtection": { own: (w) => ({ address: w.a.publicIp.address, enabled: false }), foreign: null },
  "publicIpsAdmin.usage": { own: () => ({}), foreign: null },
};
