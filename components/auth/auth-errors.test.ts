import { describe, expect, it } from "vitest";
import { translatorFor } from "@/server/i18n/translate";
import { type AuthAnswer, authProblem, knownAuthCodes } from "./auth-errors";

const answer = (status: number, code?: string, retryAfter: number | null = null): AuthAnswer => ({
  status,
  retryAfter,
  payload: code ? { code, message: `English text for ${code}` } : {},
});
const say = (a: AuthAnswer, locale: "en" | "zh-CN") => {
  const p = authProblem(a);
  return translatorFor(locale)(p.key, p.values);
};

/**
 * What better-auth's email sign-in and sign-up can answer (better-auth/dist/api/routes/sign-in.mjs,
 * sign-up.mjs, its origin check and body validation), and ours (server/auth/auth.ts).
 */
const emailRouteCodes = [
  "INVALID_EMAIL",
  "INVALID_EMAIL_OR_PASSWORD",
  "EMAIL_NOT_VERIFIED",
  "FAILED_TO_CREATE_SESSION",
  "EMAIL_PASSWORD_DISABLED",
  "EMAIL_PASSWORD_SIGN_UP_DISABLED",
  "INVALID_PASSWORD",
  "PASSWORD_TOO_SHORT",
  "PASSWORD_TOO_LONG",
  "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
  "FAILED_TO_CREATE_USER",
  "INVALID_ORIGIN",
  "MISSING_OR_NULL_ORIGIN",
  "CROSS_SITE_NAVIGATION_LOGIN_BLOCKED",
  "VALIDATION_ERROR",
  "PASSWORD_TOO_WEAK",
  "SIGN_IN_THROTTLED",
];

describe("sign-in and sign-up answers", () => {
  it("have a text in both languages for every code the email routes answer, never better-auth's English", () => {
    for (const code of emailRouteCodes) {
      const status = code === "SIGN_IN_THROTTLED" ? 429 : 400;
      expect(code === "SIGN_IN_THROTTLED" || knownAuthCodes.includes(code), code).toBe(true);
      const p = authProblem(answer(status, code));
      for (const locale of ["en", "zh-CN"] as const)
        expect(translatorFor(locale).has(p.key), `${locale}: ${p.key}`).toBe(true);
      expect(say(answer(status, code), "en")).not.toContain("English text");
      expect(say(answer(status, code), "zh-CN")).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("puts each at the field it concerns", () => {
    expect(authProblem(answer(400, "PASSWORD_TOO_WEAK"))).toEqual({ field: "password", key: "auth.passwordWeak" });
    expect(authProblem(answer(400, "PASSWORD_TOO_SHORT")).field).toBe("password");
    expect(authProblem(answer(400, "INVALID_EMAIL")).field).toBe("email");
    expect(authProblem(answer(401, "INVALID_EMAIL_OR_PASSWORD"))).toEqual({
      field: "form",
      key: "auth.invalidCredentials",
    });
    expect(say(answer(401, "INVALID_EMAIL_OR_PASSWORD"), "zh-CN")).not.toMatch(/[A-Za-z]{4}/);
  });

  it("says how long to wait from Retry-After, in seconds or (past two minutes) minutes", () => {
    expect(say(answer(429, "SIGN_IN_THROTTLED", 1), "en")).toBe("Too many failed attempts. Try again in 1 second.");
    expect(say(answer(429, "SIGN_IN_THROTTLED", 30), "en")).toBe("Too many failed attempts. Try again in 30 seconds.");
    expect(say(answer(429, "SIGN_IN_THROTTLED", 900), "en")).toBe("Too many failed attempts. Try again in 15 minutes.");
    expect(say(answer(429, "SIGN_IN_THROTTLED", 900), "zh-CN")).toBe("失败次数过多，请在 15 分钟后重试。");
    // A limit that is not ours (a proxy, the call limiter) is still a wait, with or without the header.
    expect(authProblem(answer(429, undefined, 61))).toEqual({
      field: "form",
      key: "auth.throttledFor",
      values: { seconds: 61 },
    });
    expect(authProblem(answer(429))).toEqual({ field: "form", key: "auth.throttled" });
  });

  it("says a sign-up limit of the address as such, in minutes, in both languages", () => {
    expect(say(answer(429, "SIGN_UP_THROTTLED", 3600), "en")).toBe(
      "Too many accounts were created from your network recently. Try again in 60 minutes.",
    );
    expect(say(answer(429, "SIGN_UP_THROTTLED", 30), "en")).toMatch(/Try again in 1 minute\.$/);
    expect(say(answer(429, "SIGN_UP_THROTTLED", 3600), "zh-CN")).toBe(
      "您所在网络近期创建的账号过多，请在 60 分钟后重试。",
    );
    expect(authProblem(answer(429, "SIGN_UP_THROTTLED"))).toEqual({ field: "form", key: "signUpLimits.tooMany" });
    for (const locale of ["en", "zh-CN"] as const)
      expect(translatorFor(locale).has("signUpLimits.tooMany"), locale).toBe(true);
  });

  it("answers an unknown code with a generic text, and a server failure as one", () => {
    expect(authProblem(answer(400, "SOMETHING_NEW"))).toEqual({ field: "form", key: "auth.failed" });
    expect(authProblem(answer(502))).toEqual({ field: "form", key: "authErrors.serverError" });
  });
});
