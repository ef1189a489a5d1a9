import { describe, expect, it } from "vitest";
import { configMapToKubernetes } from "../kinds/config-map";
import { findKindByResource } from "../kinds/registry";
import { secretToKubernetes } from "../kinds/secret";
import { startHarness } from "../test-kit";

const A = "tenant-a";
const B = "tenant-b";

async function world() {
  const h = await startHarness();
  await h.engine.ensureTenantNamespace(A, "acme");
  await h.engine.ensureTenantNamespace(B, "bravo");
  return h;
}

describe("config maps and secrets", () => {
  it("are created, replaced with a precondition and deleted, as Kubernetes answers", async () => {
    const h = await world();
    const cm = await h.engine.createConfigMap(A, { name: "app.config", data: { "app.properties": "a=1" } });
    expect(cm).toMatchObject({ namespace: "acme", name: "app.config", data: { "app.properties": "a=1" } });
    await expect(h.engine.createConfigMap(A, { name: "app.config" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'configmaps "app.config" already exists',
    });
    const next = await h.engine.replaceConfigMap(A, {
      name: "app.config",
      data: { "app.properties": "a=2" },
      resourceVersion: cm.resourceVersion,
    });
    expect(next.data).toEqual({ "app.properties": "a=2" });
    expect(next.resourceVersion).toBeGreaterThan(cm.resourceVersion);
    // The first version's resourceVersion is stale now: refused, nothing changed.
    await expect(
      h.engine.replaceConfigMap(A, { name: "app.config", data: {}, resourceVersion: cm.resourceVersion }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(h.engine.getConfigMap(A, "app.config").data).toEqual({ "app.properties": "a=2" });
    await h.engine.deleteConfigMap(A, "app.config");
    await expect(h.engine.replaceConfigMap(A, { name: "app.config" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuse bad keys, a key in both maps, bad base64 and a resourceVersion on create, with the field", async () => {
    const h = await world();
    await expect(h.engine.createConfigMap(A, { name: "x", data: { "a/b": "1" } })).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining("data"),
    });
    await expect(
      h.engine.createConfigMap(A, { name: "x", data: { k: "1" }, binaryData: { k: "AA==" } }),
    ).rejects.toMatchObject({ code: "INVALID", message: expect.stringContaining('key "k" is in both') });
    await expect(h.engine.createSecret(A, { name: "s", data: { k: "not base64!" } })).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining("base64"),
    });
    await expect(h.engine.createSecret(A, { name: "tls", type: "kubernetes.io/tls", data: {} })).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining("data[tls.crt]"),
    });
    await expect(h.engine.createConfigMap(A, { name: "x", resourceVersion: 3 })).rejects.toMatchObject({
      code: "INVALID",
    });
    expect(h.engine.listConfigMaps(A).items).toEqual([]);
    expect(h.engine.listSecrets(A).items).toEqual([]);
  });

  it("a secret's stringData is merged over data as base64 and not kept as given", async () => {
    const h = await world();
    const s = await h.engine.createSecret(A, {
      name: "db",
      data: { user: Buffer.from("old").toString("base64") },
      stringData: { user: "admin", password: "s3cret" },
    });
    expect(s.type).toBe("Opaque");
    expect(s.data).toEqual({ user: "YWRtaW4=", password: "czNjcmV0" });
    expect(s).not.toHaveProperty("stringData");
    expect(secretToKubernetes(s)).toMatchObject({
      apiVersion: "v1",
      kind: "Secret",
      type: "Opaque",
      data: { user: "YWRtaW4=", password: "czNjcmV0" },
    });
  });

  it("an immutable object keeps its data and stays immutable, but its labels may change", async () => {
    const h = await world();
    await h.engine.createConfigMap(A, { name: "frozen", data: { k: "1" }, immutable: true });
    await expect(
      h.engine.replaceConfigMap(A, { name: "frozen", data: { k: "2" }, immutable: true }),
    ).rejects.toMatchObject({ code: "INVALID", message: expect.stringContaining("immutable") });
    await expect(h.engine.replaceConfigMap(A, { name: "frozen", data: { k: "1" } })).rejects.toMatchObject({
      code: "INVALID",
    });
    const labelled = await h.engine.replaceConfigMap(A, {
      name: "frozen",
      data: { k: "1" },
      immutable: true,
      labels: { team: "a" },
    });
    expect(labelled.labels).toEqual({ team: "a" });
    expect(configMapToKubernetes(labelled)).toMatchObject({ immutable: true, data: { k: "1" } });
  });

  it("stay in their tenant and go with their namespace", async () => {
    const h = await world();
    await h.engine.createNamespace(A, { name: "acme-dev" });
    await h.engine.createConfigMap(A, { namespace: "acme-dev", name: "settings" });
    await h.engine.createSecret(A, { namespace: "acme-dev", name: "token", stringData: { t: "x" } });
    // Another tenant cannot read, write or even find them, nor create in that namespace.
    expect(() => h.engine.getConfigMap(B, "settings", { namespace: "acme-dev" })).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
    await expect(h.engine.createSecret(B, { namespace: "acme-dev", name: "token" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(h.engine.deleteSecret(B, "token", { namespace: "acme-dev" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(h.engine.listSecrets(B).items).toEqual([]);
    expect(h.engine.listSecrets(A, { namespace: "acme-dev" }).items.map((s) => s.name)).toEqual(["token"]);

    await h.engine.deleteNamespace(A, "acme-dev");
    await h.engine.settle();
    expect(h.engine.listConfigMaps(A).items).toEqual([]);
    expect(h.engine.listSecrets(A).items).toEqual([]);
  });

  it("are in the kind registry with kubectl's names and columns", () => {
    expect(findKindByResource("cm")?.kind).toBe("ConfigMap");
    expect(findKindByResource("secrets")?.kind).toBe("Secret");
    expect(findKindByResource("secret")?.printerColumns.map((c) => c.name)).toEqual(["Name", "Type", "Data", "Age"]);
    expect(findKindByResource("configmap")?.printerColumns.map((c) => c.name)).toEqual(["Name", "Data", "Age"]);
  });
});
