import { describe, expect, it } from "vitest";
import { emptyQuotaForm, hardOf, quotaFormOf, quotaUsage, validateQuotaForm } from "./quota-form";

describe("the quota dialog's checks", () => {
  it("asks for at least one limit", () => {
    expect(validateQuotaForm(emptyQuotaForm)).toEqual({ form: { key: "oneRequired" } });
    expect(validateQuotaForm({ cpu: " ", memory: "", pods: "" }).form).toEqual({ key: "oneRequired" });
  });

  it("accepts Kubernetes' quantities, zero included", () => {
    for (const f of [
      { cpu: "2", memory: "4Gi", pods: "10" },
      { cpu: "500m", memory: "", pods: "" },
      { cpu: "0.5", memory: "512Mi", pods: "0" },
      { cpu: "", memory: "0", pods: "" },
      { cpu: "", memory: "1G", pods: "" },
    ])
      expect(validateQuotaForm(f), JSON.stringify(f)).toEqual({});
  });

  it("names the field and the bad value", () => {
    expect(validateQuotaForm({ cpu: "lots", memory: "4GB", pods: "1.5" })).toEqual({
      cpu: { key: "cpuInvalid", values: { value: "lots" } },
      memory: { key: "memoryInvalid", values: { value: "4GB" } },
      pods: { key: "podsInvalid" },
    });
    expect(validateQuotaForm({ cpu: "1.5m", memory: "", pods: "-1" })).toMatchObject({
      cpu: { key: "cpuInvalid" },
      pods: { key: "podsInvalid" },
    });
    expect(validateQuotaForm({ cpu: "", memory: "", pods: "2000000" }).pods).toEqual({ key: "podsInvalid" });
  });

  it("asks for a unit where a memory amount would be a few bytes", () => {
    expect(validateQuotaForm({ cpu: "", memory: "512", pods: "" }).memory).toEqual({
      key: "memoryNoUnit",
      values: { value: "512" },
    });
  });
});

describe("between the form and the API", () => {
  it("sends only what is filled in, pods as a number", () => {
    expect(hardOf({ cpu: " 2 ", memory: "", pods: "10" })).toEqual({ cpu: "2", pods: 10 });
  });

  it("shows a quota's limits as a person writes them", () => {
    expect(quotaFormOf({ cpuMillis: 1500, memoryBytes: 4 * 2 ** 30 })).toEqual({
      cpu: "1500m",
      memory: "4Gi",
      pods: "",
    });
  });

  it("lists used against hard for the limited resources only, and which are full", () => {
    expect(quotaUsage({ cpuMillis: 1000, pods: 2 }, { cpuMillis: 200, memoryBytes: 2 ** 28, pods: 2 })).toEqual([
      { resource: "cpu", used: "200m", hard: "1", full: false },
      { resource: "pods", used: "2", hard: "2", full: true },
    ]);
  });
});
