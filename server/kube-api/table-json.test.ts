import { describe, expect, it } from "vitest";
import { type AnyKindDefinition, type EngineObject, kindDefinition, toTable } from "../engine";
import { contextOf, pods, replicaSet, T0 } from "../engine/kinds/fixtures.test-kit";
import { partialMetadata } from "./objects";
import { tableJson } from "./table-json";

const podDef = kindDefinition("Pod") as AnyKindDefinition;
const rsDef = kindDefinition("ReplicaSet") as AnyKindDefinition;

function metadataRow(def: AnyKindDefinition, ctx: ReturnType<typeof contextOf>) {
  return (o: EngineObject) => partialMetadata(def.toKubernetes(o as never, ctx));
}

/** What serialising the Table object gives: the text tableJson must write. */
function expected(def: AnyKindDefinition, objs: EngineObject[], ctx: ReturnType<typeof contextOf>) {
  return JSON.stringify(toTable(def as never, objs as never[], ctx, metadataRow(def, ctx), { resourceVersion: "7" }));
}

const write = (def: AnyKindDefinition, objs: EngineObject[], ctx: ReturnType<typeof contextOf>): string =>
  tableJson(def, objs, ctx, {
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion: "7" },
    rowObject: metadataRow(def, ctx),
    defaultRowObject: true,
  }).toString("utf8");

describe("tableJson", () => {
  it("writes the text the Table object serialises to, for kept and unkept kinds", () => {
    const ctx = contextOf();
    expect(write(podDef, pods, ctx)).toBe(expected(podDef, pods, ctx));
    expect(write(rsDef, [replicaSet], ctx)).toBe(expected(rsDef, [replicaSet], ctx));
  });

  it("renders a kept pod row's age afresh as the clock moves, and the rest from the kept text", () => {
    const early = contextOf(T0 + 30_000);
    const later = contextOf(T0 + 3 * 3_600_000);
    expect(write(podDef, pods, early)).toBe(expected(podDef, pods, early));
    // Kept from the first call: the age alone differs.
    const text = write(podDef, pods, later);
    expect(text).toBe(expected(podDef, pods, later));
    expect(text).not.toBe(write(podDef, pods, early));
  });

  it("builds a pod's row once: a second list reads only the clock cells", () => {
    const [first] = pods;
    const ctx = contextOf();
    write(podDef, [first as EngineObject], ctx);
    let rowObjects = 0;
    tableJson(podDef, [first as EngineObject], ctx, {
      apiVersion: "meta.k8s.io/v1",
      metadata: {},
      rowObject: (o) => {
        rowObjects++;
        return metadataRow(podDef, ctx)(o);
      },
      defaultRowObject: true,
    });
    expect(rowObjects).toBe(0);
  });

  it("a changed pod is a new object, with a new row", () => {
    const ctx = contextOf();
    const [first] = pods;
    write(podDef, [first as EngineObject], ctx);
    const relabelled = { ...(first as EngineObject), labels: { app: "shop" } } as EngineObject;
    expect(write(podDef, [relabelled], ctx)).toBe(expected(podDef, [relabelled], ctx));
  });
});
