"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { ErrorNote } from "@/components/ui/panel";
import { type AuthAnswer, type AuthField, authProblem } from "./auth-errors";

type Mode = "sign-in" | "sign-up";
type FieldErrors = Partial<Record<AuthField, string>>;

async function post(path: string, body: unknown): Promise<AuthAnswer> {
  const res = await fetch(`/api/auth/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const payload = res.ok ? {} : ((await res.json().catch(() => ({}))) as AuthAnswer["payload"]);
  const retryAfter = Number(res.headers.get("retry-after"));
  return { status: res.status, retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null, payload };
}

/**
 * Sign-in and sign-up against better-auth's email endpoints; errors in the person's language,
 * at the field they concern. Sign-up never signs in by itself (its answer must not tell a taken
 * address from a new one), so the form signs in right after it. `next` is a path of this site.
 */
export function AuthForm({ mode, next = null }: { mode: Mode; next?: string | null }) {
  const t = useTranslations("auth");
  const tRoot = useTranslations();
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const withNext = (path: string) => (next ? `${path}?next=${encodeURIComponent(next)}` : path);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    if (password.length < 8 || password.length > 128) {
      setErrors({ password: t("passwordLength") });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      if (mode === "sign-up") {
        const created = await post("sign-up/email", { name: String(form.get("name") ?? ""), email, password });
        if (created.status !== 200) return show(created);
      }
      const signedIn = await post("sign-in/email", { email, password });
      if (signedIn.status !== 200) {
        return mode === "sign-up" && signedIn.payload.code === "INVALID_EMAIL_OR_PASSWORD"
          ? setErrors({ form: t("signUpNotSignedIn") })
          : show(signedIn);
      }
      router.replace(next ?? "/overview");
      router.refresh();
    } catch {
      setErrors({ form: t("network") });
    } finally {
      setBusy(false);
    }
  }

  function show(answer: AuthAnswer) {
    const problem = authProblem(answer);
    setErrors({ [problem.field]: tRoot(problem.key, problem.values) });
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <h1 className="text-xl font-semibold">{mode === "sign-in" ? t("signInTitle") : t("signUpTitle")}</h1>
      {mode === "sign-up" ? (
        <TextField label={t("name")} name="name" autoComplete="name" required maxLength={80} error={errors.name} />
      ) : null}
      <TextField
        label={t("email")}
        name="email"
        type="email"
        autoComplete="email"
        required
        maxLength={254}
        error={errors.email}
      />
      <TextField
        label={t("password")}
        name="password"
        type="password"
        autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
        required
        minLength={8}
        maxLength={128}
        hint={mode === "sign-up" ? t("passwordHint") : undefined}
        error={errors.password}
      />
      <ErrorNote message={errors.form} />
      <Button type="submit" disabled={busy} className="w-full">
        {mode === "sign-in" ? t("signIn") : t("signUp")}
      </Button>
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        {mode === "sign-in" ? (
          <Link className="underline" href={withNext("/sign-up")}>
            {t("needAccount")}
          </Link>
        ) : (
          <Link className="underline" href={withNext("/sign-in")}>
            {t("haveAccount")}
          </Link>
        )}
      </p>
    </form>
  );
}
