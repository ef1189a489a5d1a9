"use server";
import { cookies } from "next/headers";
import { z } from "zod";
import { localeCookie, locales } from "./locales";

const inputSchema = z.enum(locales);

/** Saves the language choice for a year. */
export async function setLocale(locale: string): Promise<void> {
  const parsed = inputSchema.safeParse(locale);
  if (!parsed.success) return;
  (await cookies()).set(localeCookie, parsed.data, { path: "/", maxAge: 60 * 60 * 24 * 365, sameSite: "lax" });
}
