import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getPageSession } from "@/app/_lib/session";
import { AcceptInvitation } from "@/components/invitations/accept-invitation";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("invitation"))("accept") };
}

/** The invitation link: signed in, the person sees what it offers and accepts; else signs in first and comes back. */
export default async function Page({ params }: { params: Promise<{ secret: string }> }) {
  const { secret } = await params;
  const session = await getPageSession();
  if (!session) {
    const t = await getTranslations("invitation");
    const back = encodeURIComponent(`/invitations/${secret}`);
    return (
      <div className="space-y-4">
        <p className="text-sm">{t("signInFirst")}</p>
        <div className="flex gap-3">
          <Link className="underline" href={`/sign-in?next=${back}`}>
            {t("signIn")}
          </Link>
          <Link className="underline" href={`/sign-up?next=${back}`}>
            {t("signUp")}
          </Link>
        </div>
      </div>
    );
  }
  return <AcceptInvitation secret={secret} userEmail={session.user.email} />;
}
