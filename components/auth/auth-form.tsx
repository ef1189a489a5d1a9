"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { ErrorNote } from "@/components/ui/panel";

type Mode = "sign-in" | "sign-up";

/** Sign-in and sign-up against better-auth's email endpoints; errors in the person's language. */
export function AuthForm({ mode }: { mode: Mode }) {
  const t = useTranslations("auth");
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password.length < 8 || password.length > 128) {
      setPasswordError(t("passwordLength"));
      return;
    }
    setPasswordError(null);
    setBusy(true);
    setError(null);
    const body =
      mode === "sign-up"
        ? { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? ""), password }
        : { email: String(form.get("email") ?? ""), password };
    try {
      const res = await fetch(`/api/auth/${mode === "sign-up" ? "sign-up" : "sign-in"}/email`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) {
        const payload = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
        setError(messageFor(res.status, payload));
        return;
      }
      router.replace("/overview");
      router.refresh();
    } catch {
      setError(t("network"));
    } finally {
      setBusy(false);
    }
  }

  function messageFor(status: number, payload: { code?: string; message?: string }): string {
    if (status === 429) return payload.message ?? t("throttled");
    switch (payload.code) {
      case "INVALID_EMAIL_OR_PASSWORD":
        return t("invalidCredentials");
      case "USER_ALREADY_EXISTS":
      case "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL":
        return t("emailTaken");
      case "INVALID_EMAIL":
        return t("invalidEmail");
      case "PASSWORD_TOO_SHORT":
      case "PASSWORD_TOO_LONG":
        return t("passwordLength");
      default:
        return payload.message ?? t("failed");
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <h1 className="text-xl font-semibold">{mode === "sign-in" ? t("signInTitle") : t("signUpTitle")}</h1>
      {mode === "sign-up" ? <TextField label={t("name")} name="name" autoComplete="name" required maxLength={80} /> : null}
      <TextField label={t("email")} name="email" type="email" autoComplete="email" required maxLength={254} />
      <TextField
        label={t("password")}
        name="password"
        type="password"
        autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
        required
        minLength={8}
        maxLength={128}
        hint={mode === "sign-up" ? t("passwordLength") : undefined}
        error={passwordError}
      />
      <ErrorNote message={error} />
      <Button type="submit" disabled={busy} className="w-full">
        {mode === "sign-in" ? t("signIn") : t("signUp")}
      </Button>
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        {mode === "sign-in" ? (
          <Link className="underline" href="/sign-up">
            {t("needAccount")}
          </Link>
        ) : (
          <Link className="underline" href="/sign-in">
            {t("haveAccount")}
          </Link>
        )}
      </p>
    </form>
  );
}
