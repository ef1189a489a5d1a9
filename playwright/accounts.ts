/** Accounts seeded through the HTTP API before the browser tests run. */
export const password = "e2e-password-123";
export const operator = { email: "operator@e2e.test", name: "Operator" };
export const existingUser = { email: "existing@e2e.test", name: "Existing User" };

let counter = 0;
/** A fresh address per test, so that tests do not depend on each other's order. */
export function freshEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@e2e.test`;
}
