/**
 * Test fixture for the Kubernetes API: real services on a throw-away database (the router
 * harness: virtual clock), two tenants (A: owner + viewer; B: owner), an operator, their API
 * tokens, a deployment in A settled onto a node, and the HTTPS listener on a free port.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHarness, type Harness } from "../../testing/harness";
import { joinByInvitation } from "../../testing/join";
import { createCallLimiter, defaultCallLimits, type CallLimits } from "../../http/rate-limit";
import { createKubeHandler, type KubeHandler } from "../handler";
import { type KubeListener, peerOf, startKubeListener } from "../http/listener";
import { loadTlsMaterial, type TlsMaterial } from "../http/tls";
import { buildKubeconfig } from "../kubeconfig";

export interface KubeFixture {
  h: Harness;
  handler: KubeHandler;
  listener: KubeListener;
  tls: TlsMaterial;
  url: string;
  tokens: { a: string; aViewer: string; b: string; operator: string };
  /** Tenant A's owner, as a tRPC caller (to make and revoke tokens, change things beside kubectl). */
  ownerA: Awaited<ReturnType<Harness["signUp"]>>;
  tenants: { a: { id: string; slug: string; namespace: string }; b: { id: string; slug: string; namespace: string } };
  dir: string;
  /** Writes a kubeconfig for `token` and returns its path. */
  kubeconfig(token: string, namespace?: string): string;
  close(): Promise<void>;
}

export async function startKubeFixture(limits: Partial<CallLimits> = {}): Promise<KubeFixture> {
  const h = await createHarness();
  const operator = await h.signUp("operator@ops.test");
  const ownerA = await h.signUp("owner@kube-a.test");
  const viewerA = await h.signUp("viewer@kube-a.test");
  const ownerB = await h.signUp("owner@kube-b.test");
  const tenantA = await (await ownerA.caller()).tenants.create({ name: "Kube A", slug: "kube-a" });
  const tenantB = await (await ownerB.caller()).tenants.create({ name: "Kube B", slug: "kube-b" });
  const a = await ownerA.caller();
  // A viewer cannot make tokens: made as a member, then the member is made a viewer.
  const viewerId = await joinByInvitation(a, viewerA, "member");
  await (await viewerA.caller()).tenants.switch({ id: tenantA.id });
  const viewerToken = (await (await viewerA.caller()).tokens.create({ name: "kube-a-viewer" })).secret;
  await a.members.updateRole({ memberId: viewerId, role: "viewer" });
  await a.deployments.create({
    name: "web",
    replicas: 2,
    template: { labels: { app: "web" }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
  });
  await h.services.engine.settle();
  const tokens = {
    a: (await a.tokens.create({ name: "kube-a-ci" })).secret,
    aViewer: viewerToken,
    b: (await (await ownerB.caller()).tokens.create({ name: "kube-b-ci" })).secret,
    operator: (await (await operator.caller()).operatorTokens.create({ name: "ops" })).secret,
  };
  const nsOf = (tenantId: string) => {
    for (const ns of h.services.engine.eachObject("Namespace"))
      if (ns.tenantId === tenantId && ns.tenantDefault) return ns.name;
    throw new Error(`tenant ${tenantId} has no default namespace`);
  };
  const limiter = createCallLimiter({ ...defaultCallLimits, ...limits });
  const handler = createKubeHandler({ getServices: async () => h.services, limiter, clientAddress: peerOf });
  const tls = await loadTlsMaterial(h.services.db, {});
  const listener = await startKubeListener(handler, tls, { port: 0, host: "127.0.0.1" });
  const url = `https://127.0.0.1:${listener.port}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "kapi-"));
  let n = 0;
  return {
    h,
    handler,
    listener,
    tls,
    url,
    tokens,
    ownerA,
    tenants: {
      a: { id: tenantA.id, slug: "kube-a", namespace: nsOf(tenantA.id) },
      b: { id: tenantB.id, slug: "kube-b", namespace: nsOf(tenantB.id) },
    },
    dir,
    kubeconfig(token, namespace) {
      const file = path.join(dir, `kubeconfig-${++n}.yaml`);
      writeFileSync(file, buildKubeconfig({ server: url, caPem: tls.ca, token, name: `t${n}`, namespace }));
      return file;
    },
    async close() {
      await listener.close();
      await h.close();
    },
  };
}
