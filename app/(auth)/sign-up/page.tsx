import { redirect } from "next/navigation";
import { getPageSession } from "@/app/_lib/session";
import { AuthForm } from "@/components/auth/auth-form";
import { safeReturnPath } from "@/components/auth/return-path";

export const dynamic = "force-dynamic";

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const next = safeReturnPath((await searchParams).next);
  if (await getPageSession()) redirect(next ?? "/overview");
  return <AuthForm mode="sign-up" next={next} />;
}
