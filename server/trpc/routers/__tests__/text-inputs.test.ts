/**
 * Every free-text field of a procedure's input is built on `textSchema()`, so the input schema
 * itself refuses text no column can store (not only the base procedure's raw-input walk).
 */
import type { AnyProcedure } from "@trpc/server";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { appRouter } from "../../root";

const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
const inputOf = (path: string) => {
  const def = procedures[path]?._def as { inputs: z.ZodType[] } | undefined;
  return def?.inputs[0];
};

const fields: [path: string, input: Record<string, unknown>, field: string][] = [
  ["billingAdmin.grant", { tenantId: "t1", amountMinor: 100 }, "note"],
  ["billing.invoice", {}, "id"],
  ["events.list", {}, "objectName"],
  ["pods.logs", { name: "web-1" }, "container"],
];

describe("free-text inputs", () => {
  it.each(fields)("%s refuses unstorable text in its schema, and takes plain text", (path, input, field) => {
    const schema = inputOf(path);
    expect(schema?.safeParse({ ...input, [field]: "ok" }).success).toBe(true);
    for (const bad of ["a\u0000b", "x\uD800"]) {
      const result = schema?.safeParse({ ...input, [field]: bad });
      expect(result?.success).toBe(false);
      expect(result?.error?.issues[0]).toMatchObject({
        path: [field],
        message: expect.stringContaining("cannot be stored"),
      });
    }
  });
});
