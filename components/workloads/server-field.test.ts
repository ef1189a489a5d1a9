/**
 * A refusal lands at the form field the server names, in every language: the errors go through
 * the same formatter the server actions use (server/trpc/errors.ts), with the reader's cookie.
 */
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EngineError } from "@/server/engine";
import { quotaDetail, quotaText } from "@/server/engine/admission/quota";
import { actionErrorData, toTRPCError } from "@/server/trpc/errors";
import { formFieldOfPath, placeServerError } from "./server-field";

const zh = new Headers({ cookie: "tc-locale=zh-CN" });

/** What runAction hands the wizard for an error a procedure threw. */
function refusal(cause: Error, code: TRPCError["code"] = "BAD_REQUEST") {
  const error = toTRPCError(new TRPCError({ code, cause }), "req-1", zh);
  return { error: error.message, code: error.code, ...actionErrorData(error, zh) };
}

describe("placeServerError", () => {
  it("puts a quota refusal at replicas, in Chinese (the server names spec.replicas)", () => {
    const items = [{ resource: "cpu" as const, requested: "4", used: "32", limit: "32" }];
    const r = refusal(
      new EngineError("QUOTA_EXCEEDED", quotaText(items), quotaDetail(items, "spec.replicas")),
      "FORBIDDEN",
    );
    expect(r.reason).toBe("QUOTA_EXCEEDED");
    const placed = placeServerError(r);
    expect(placed.field).toBe("replicas");
    expect(placed.message).toContain("超出租户配额");
    expect(placed.message).not.toContain("exceeded quota");
  });

  it("puts a taken name at the name field, in Chinese", () => {
    const placed = placeServerError(
      refusal(new EngineError("CONFLICT", 'deployment "web" already exists'), "CONFLICT"),
    );
    expect(placed).toEqual({ field: "name", message: "名为“web”的部署已存在。" });
  });

  it("puts an input validation issue at its field with the translated per-field message", () => {
    const parsed = z
      .object({ name: z.string().max(3), replicas: z.number() })
      .safeParse({ name: "toolong", replicas: 1 });
    if (parsed.success) throw new Error("expected a validation error");
    const placed = placeServerError(refusal(parsed.error));
    expect(placed.field).toBe("name");
    expect(placed.message).not.toMatch(/[A-Za-z]{4,}/); // Chinese, not zod's English
  });

  it("keeps what names no form field in the general banner", () => {
    expect(placeServerError({ error: "boom" })).toEqual({ field: null, message: "boom" });
    expect(placeServerError({ error: "x", field: "nodePool.maxSize" })).toEqual({ field: null, message: "x" });
  });
});

describe("formFieldOfPath", () => {
  it("reads the engine's and the procedure input's paths alike", () => {
    expect(formFieldOfPath("spec.replicas")).toBe("replicas");
    expect(formFieldOfPath("replicas")).toBe("replicas");
    expect(formFieldOfPath("spec.template.spec.containers[0].image")).toBe("image");
    expect(formFieldOfPath("template.spec.containers[0].resources.requests.cpu")).toBe("cpu");
    expect(formFieldOfPath("spec.template.spec.containers[0].resources.limits.memory")).toBe("memoryLimit");
    expect(formFieldOfPath("spec.template.spec.containers[0].env[2].name")).toBe("env.2.name");
    expect(formFieldOfPath("spec.template.spec.containers[0].ports[0].containerPort")).toBe("ports.0.containerPort");
    expect(formFieldOfPath("spec.template.spec.restartPolicy")).toBe("restartPolicy");
    expect(formFieldOfPath("spec.strategy.maxSurge")).toBe("maxSurge");
    expect(formFieldOfPath("spec.strategy")).toBe("maxUnavailable");
    // Only the first container is in the form.
    expect(formFieldOfPath("spec.template.spec.containers[1].image")).toBeNull();
  });
});
