"use server";
/**
 * Form actions for deployments: thin wrappers over the deployments procedures, which validate
 * the argument whatever it is (an action can be called with anything); it is read back only
 * after the procedure accepted it.
 */
import { revalidatePath } from "next/cache";
import { type ActionResult, runAction } from "./run";

type Caller = Parameters<Parameters<typeof runAction>[0]>[0];
export type CreateDeploymentForm = Parameters<Caller["deployments"]["create"]>[0];

export async function createDeploymentAction(input: CreateDeploymentForm): Promise<ActionResult<{ name: string }>> {
  const result = await runAction((caller) => caller.deployments.create(input));
  if (result.ok) revalidatePath("/workloads");
  return result.ok ? { ok: true, data: { name: result.data.name } } : result;
}

export async function scaleDeploymentAction(input: {
  name: string;
  replicas: number;
}): Promise<ActionResult<{ name: string; replicas: number }>> {
  const result = await runAction((caller) => caller.deployments.scale(input));
  return result.ok ? { ok: true, data: { name: input.name, replicas: input.replicas } } : result;
}
