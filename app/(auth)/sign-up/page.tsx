import { redirect } from "next/navigation";
import { getPageSession } from "@/app/_lib/session";
import { AuthForm } from "@/components/auth/auth-form";

export const dynamic = "force-dynamic";

export default async function SignUpPage() {
  if (await getPageSession()) redirect("/overview");
  return <AuthForm mode="sign-up" />;
}
