/**
 * A validation problem tied to the field a user wrote, printed as Kubernetes prints field
 * errors: `spec.cidrBlock: 10.1.0.0/24 is outside the VPC 10.0.0.0/16`.
 */
export interface FieldProblem {
  /** The field's path as the user wrote it, e.g. `spec.excludeIps[2]`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

export type Validated<T> =
  | { readonly ok: true; readonly plan: T }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

export function formatProblem(p: FieldProblem): string {
  return `${p.path}: ${p.message}`;
}

/** All problems on one line each, for an error message or an event. */
export function formatProblems(problems: readonly FieldProblem[]): string {
  return problems.map(formatProblem).join("\n");
}
