"use client";
/**
 * The tenant's security group names (the first 500: far above what a tenant keeps), offered as
 * a rule's remote group and used to refuse a remote that does not exist, as the server does.
 */
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc";

export function useGroupNames(): readonly string[] {
  const trpc = useTRPC();
  const list = useQuery(trpc.security.list.queryOptions({ limit: 500 }));
  return list.data?.items.map((g) => g.name) ?? [];
}
