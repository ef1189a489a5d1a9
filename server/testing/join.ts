/** Test helper: membership the only way there is, an invitation link accepted by the invitee. */
import type { TenantRole } from "../auth/roles";
import type { createCaller } from "../trpc/root";

type Caller = ReturnType<typeof createCaller>;

/** `inviter` (an admin or owner, in their current tenant) invites `joiner`, who accepts; returns the member id. */
export async function joinByInvitation(
  inviter: Caller,
  joiner: { email: string; caller(): Promise<Caller> },
  role: TenantRole,
): Promise<string> {
  const { secret } = await inviter.members.invite({ email: joiner.email, role });
  await (await joiner.caller()).invitations.accept({ secret });
  const { members } = await inviter.members.list();
  const joined = members.find((m) => m.email === joiner.email);
  if (!joined) throw new Error(`${joiner.email} did not join`);
  return joined.id;
}
