"use server";
/** Form actions for deployments: thin wrappers over the deployments procedures. */
import { revalidatePath } from "next/cache";
import { runAction } from "./run";

type Caller = Parameters<Parameters<typeof runAction>[0]>[0];
export type CreateDeploymentForm = Parameters<Caller["deployments"]["create"]>[0];

export async function createDeploymentAction(input: CreateDeploymentForm) {
  const result = await runAction((caller) => caller.deployments.create(input));
  if (result.ok) revalidatePath("/workloads");
  return result.ok ? { ok: true as const, data: { name: result.data.name } } : result;
}

export async function scaleDeploymentAction(input: { name: string; replicas: number }) {
  const result = await runAction((caller) => caller.deployments.scale(input));
  return result.ok ? { ok: true as const, data: { name: input.name, replicas: input.replicas } } : result;
}
