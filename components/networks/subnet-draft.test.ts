import { describe, expect, it } from "vitest";
import { parseNamespaces, refusalField, refusalText } from "./subnet-draft";

describe("subnet drafts", () => {
  it("reads namespaces separated by commas or spaces", () => {
    expect(parseNamespaces(" shop, web  api,,")).toEqual(["shop", "web", "api"]);
    expect(parseNamespaces("")).toEqual([]);
  });

  it("puts the engine's refusal at the field it names, else nowhere", () => {
    expect(refusalField({ field: "spec.cidrBlock" })).toBe("cidrBlock");
    expect(refusalField({ field: "spec.namespaces[2]" })).toBe("namespaces");
    expect(refusalField({ field: "metadata.name" })).toBe("name");
    expect(refusalField({ fieldErrors: { cidrBlock: ["A CIDR block is required."] } })).toBe("cidrBlock");
    expect(refusalField({})).toBeNull();
    expect(refusalText({ message: "x", data: { fieldErrors: { name: ["A name is required."] } } }, "name")).toBe(
      "A name is required.",
    );
    expect(refusalText({ message: "overlaps", data: { field: "spec.cidrBlock" } }, "cidrBlock")).toBe("overlaps");
  });
});
