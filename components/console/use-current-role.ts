"use client";
import { useQuery } from "@tanstack/react-query";
import type { TenantRole } from "@/server/auth/roles";
import { useTRPC } from "@/components/trpc";

/** The caller's role in the current tenant, or null while unknown. Controls are hidden, not just disabled, for roles that cannot use them; the server enforces the same rules. */
export function useCurrentRole(): TenantRole | null {
  const trpc = useTRPC();
  const me = useQuery(trpc.session.me.queryOptions());
  return (me.data?.current?.role as TenantRole | undefined) ?? null;
}

export function useCanWrite(): boolean {
  const role = useCurrentRole();
  return role === "owner" || role === "admin" || role === "member";
}
