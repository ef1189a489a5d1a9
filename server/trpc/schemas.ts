/**
 * Input pieces shared by routers: every string, number and array is bounded, and every string
 * is one the database can store (the base procedure also checks each raw input as a whole).
 */
import { z } from "zod";
import { tenantRoleSchema } from "../auth/roles";
import { unstorableReason } from "./storable-text";

/** The one string schema inputs build on: refuses U+0000 and unpaired surrogates, which no column can hold. */
export const textSchema = () =>
  z.string().refine((value) => unstorableReason(value) === null, {
    message: "Contains a NUL character (U+0000) or an unpaired UTF-16 surrogate, which cannot be stored; remove it.",
  });

export const idSchema = textSchema().trim().min(1, "An id is required.").max(64, "Ids are at most 64 characters.");
export const emailSchema = z
  .email({ message: "Enter a valid email address." })
  .max(254)
  .transform((e) => e.toLowerCase());
export const displayNameSchema = textSchema()
  .trim()
  .min(1, "A name is required.")
  .max(80, "Names are at most 80 characters.");
/** DNS-1123 label, as Kubernetes names objects. */
export const dns1123Schema = textSchema()
  .min(1, "A name is required.")
  .max(63, "Names are at most 63 characters.")
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    "Use lowercase letters, digits and '-', starting and ending with a letter or digit.",
  );
export const limitSchema = z.number().int().min(1).max(200).default(50);
export const searchSchema = textSchema().trim().max(100).optional();
export { tenantRoleSchema };

/**
 * The input of a page of a list (limit and cursor, plus the list's own filters). TanStack
 * Query's infinite queries add the page param as `cursor` and a `direction` to the input;
 * pages here are keyset cursors that only go forward, so `direction` is accepted and ignored.
 * Every procedure read with `infiniteQueryOptions` takes its input from this builder.
 */
export function infiniteInput<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object({ limit: limitSchema, ...shape, direction: z.enum(["forward", "backward"]).optional() }).strict();
}

export const pageInput = infiniteInput({ cursor: textSchema().max(200).optional(), search: searchSchema });

/** An object named by id or name (engine objects accept both). */
export const refSchema = textSchema()
  .trim()
  .min(1, "A name is required.")
  .max(253, "Names are at most 253 characters.");
export const engineCursorSchema = textSchema().max(300).optional();
export const engineListInput = infiniteInput({
  limit: z.number().int().min(1).max(500).default(50),
  cursor: engineCursorSchema,
});

/** A new API token (tenant or operator): its name and an optional expiry. */
export const createTokenInput = z
  .object({
    name: displayNameSchema,
    expiresInDays: z
      .number()
      .int()
      .min(1, "Expiry is at least 1 day.")
      .max(366, "Expiry is at most 366 days.")
      .optional(),
  })
  .strict();
