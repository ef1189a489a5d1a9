/** Input pieces shared by routers: every string, number and array is bounded. */
import { z } from "zod";
import { tenantRoleSchema } from "../auth/roles";

export const idSchema = z.string().trim().min(1, "An id is required.").max(64, "Ids are at most 64 characters.");
export const emailSchema = z.email({ message: "Enter a valid email address." }).max(254).transform((e) => e.toLowerCase());
export const displayNameSchema = z.string().trim().min(1, "A name is required.").max(80, "Names are at most 80 characters.");
/** DNS-1123 label, as Kubernetes names objects. */
export const dns1123Schema = z
  .string()
  .min(1, "A name is required.")
  .max(63, "Names are at most 63 characters.")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "Use lowercase letters, digits and '-', starting and ending with a letter or digit.");
export const limitSchema = z.number().int().min(1).max(200).default(50);
export const searchSchema = z.string().trim().max(100).optional();
export { tenantRoleSchema };

export const pageInput = z.object({ limit: limitSchema, cursor: z.string().max(200).optional(), search: searchSchema }).strict();

/** An object named by id or name (engine objects accept both). */
export const refSchema = z.string().trim().min(1, "A name is required.").max(253, "Names are at most 253 characters.");
export const engineCursorSchema = z.string().max(300).optional();
export const engineListInput = z.object({ limit: z.number().int().min(1).max(500).default(50), cursor: engineCursorSchema }).strict();
