import { redirect } from "next/navigation";
import { getPageSession } from "./_lib/session";

export const dynamic = "force-dynamic";

export default async function Home() {
  redirect((await getPageSession()) ? "/overview" : "/sign-in");
}
