import "server-only";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { getServices } from "../runtime";
import { createContext } from "../trpc/context";
import { createCaller } from "../trpc/root";

/**
 * Server actions reuse the tRPC procedures through a server-side caller, so a form gets the
 * same validation, roles, tenant scoping and audit as the API. Next checks the Origin of
 * every action call against the host, so actions are not reachable cross-site.
 */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; code: string; fieldErrors?: Record<string, string[] | undefined> };

export async function runAction<T>(fn: (caller: ReturnType<typeof createCaller>) => Promise<T>): Promise<ActionResult<T>> {
  const services = await getServices();
  const caller = createCaller(await createContext(services, await headers()));
  try {
    return { ok: true, data: await fn(caller) };
  } catch (error) {
    if (error instanceof TRPCError) {
      const fieldErrors = (error.cause as { flatten?: () => { fieldErrors: Record<string, string[] | undefined> } } | undefined)?.flatten?.().fieldErrors;
      return { ok: false, error: error.message, code: error.code, ...(fieldErrors ? { fieldErrors } : {}) };
    }
    throw error;
  }
}
