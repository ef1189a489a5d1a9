import { AddressError, type Cidr, parseCidr } from "../ipv4";

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

/** Parses a CIDR written at `path`; pushes the problem when it is not one. */
export function cidrField(path: string, text: string, problems: FieldProblem[]): Cidr | undefined {
  try {
    return parseCidr(text);
  } catch (e) {
    if (!(e instanceof AddressError)) throw e;
    problems.push({ path, message: e.message });
    return undefined;
  }
}

/** Whether `cidr`'s prefix lies in `prefix`; pushes the problem when it does not. */
export function prefixAllowed(
  path: string,
  text: string,
  cidr: Cidr,
  prefix: { readonly min: number; readonly max: number },
  problems: FieldProblem[],
): boolean {
  if (cidr.prefix >= prefix.min && cidr.prefix <= prefix.max) return true;
  problems.push({ path, message: `${text} has prefix /${cidr.prefix}; allowed are /${prefix.min} to /${prefix.max}` });
  return false;
}
