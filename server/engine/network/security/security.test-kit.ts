/** Builders for the security tests: rules, groups and a small two-tenant network. */
import { MemorySecurityState } from "./memory-security-state";
import {
  type SecurityGroup,
  type SecurityGroupRule,
  withSecurityGroupDefaults,
  type SecurityGroupInput,
} from "./security-group";

export const rule = (r: Partial<SecurityGroupRule> = {}): SecurityGroupRule => ({
  protocol: "tcp",
  remoteAddress: "0.0.0.0/0",
  action: "allow",
  priority: 100,
  ...r,
});

export const group = (name: string, g: Partial<SecurityGroupInput> = {}): SecurityGroup =>
  withSecurityGroupDefaults({ name, ...g });

/** Tenants "acme" and "globex", both on 10.0.0.0/16 (overlapping, as tenants' networks may). */
export function twoTenants(): MemorySecurityState {
  const s = new MemorySecurityState();
  s.addTenant("acme", "10.0.0.0/16", "198.51.100.1");
  s.addTenant("globex", "10.0.0.0/16");
  s.setNamespace("acme", "prod", { env: "prod" });
  s.setNamespace("acme", "dev", { env: "dev" });
  s.setNamespace("globex", "default");
  return s;
}

let macSeq = 1;
export const mac = () => `0a:58:00:00:00:${(macSeq++ % 256).toString(16).padStart(2, "0")}`;
