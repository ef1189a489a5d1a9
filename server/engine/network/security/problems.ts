/**
 * Validation failures as data (FieldProblem) and as the engine's error: Kubernetes' wording
 * (`SecurityGroup.cloud.tenant.io "web" is invalid: spec.ingressRules[0].priority: Invalid
 * value: 0: must be between 1 and 200, inclusive`), with the first problem's field in the
 * detail so a console can mark it.
 */
import { EngineError } from "../../core/errors";
import type { FieldProblem } from "./types";

export const invalidValue = (field: string, value: unknown, why: string): FieldProblem => ({
  field,
  message: `${field}: Invalid value: ${JSON.stringify(value)}: ${why}`,
});
export const requiredValue = (field: string, why?: string): FieldProblem => ({
  field,
  message: `${field}: Required value${why ? `: ${why}` : ""}`,
});
export const forbiddenValue = (field: string, why: string): FieldProblem => ({
  field,
  message: `${field}: Forbidden: ${why}`,
});
export const tooMany = (field: string, count: number, max: number): FieldProblem => ({
  field,
  message: `${field}: Too many: ${count}: must have at most ${max} items`,
});

/** The error a command throws for `problems` (non-empty) of the object `qualifiedKind` "name". */
export function invalidObjectError(
  qualifiedKind: string,
  name: string,
  problems: readonly FieldProblem[],
): EngineError {
  const list = problems.map((p) => p.message);
  const text = `${qualifiedKind} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(", ")}]`}`;
  const first = problems[0];
  return new EngineError("INVALID", text, {
    key: "errors.invalidObject",
    params: { kind: qualifiedKind, name, problems: list.join("; ") },
    text,
    ...(first ? { field: first.field } : {}),
  });
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` is not a DNS-1123 label (group and namespace names), or undefined. */
export function dnsLabelProblem(name: string): string | undefined {
  if (name.length > 63) return "must be no more than 63 characters";
  if (!DNS1123_LABEL.test(name))
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name')";
  return undefined;
}
