/**
 * better-auth's answers to sign-in and sign-up, said in the reader's language and at the field
 * they concern. better-auth answers in English with a stable `code` (its BASE_ERROR_CODES, plus
 * ours: PASSWORD_TOO_WEAK, SIGN_IN_THROTTLED, SIGN_UP_THROTTLED); the form translates by code, never shows the
 * English text, and says something generic for a code it does not know.
 */
export interface AuthAnswer {
  status: number;
  /** Seconds from the Retry-After header, when the answer has one. */
  retryAfter: number | null;
  payload: { code?: string; message?: string };
}

export type AuthField = "name" | "email" | "password" | "form";

/** What to say and where: a catalog key from the root (`auth.*`, `authErrors.*`, `signUpLimits.*`) and its values. */
export interface AuthProblem {
  field: AuthField;
  key: string;
  values?: Record<string, number>;
}

const byCode: Record<string, Omit<AuthProblem, "values">> = {
  PASSWORD_TOO_WEAK: { field: "password", key: "auth.passwordWeak" },
  PASSWORD_TOO_SHORT: { field: "password", key: "auth.passwordLength" },
  PASSWORD_TOO_LONG: { field: "password", key: "auth.passwordLength" },
  INVALID_PASSWORD: { field: "password", key: "authErrors.passwordMissing" },
  INVALID_EMAIL: { field: "email", key: "auth.invalidEmail" },
  INVALID_EMAIL_OR_PASSWORD: { field: "form", key: "auth.invalidCredentials" },
  // Sign-up answers a taken address like a new one; should better-auth ever say so, stay as neutral.
  USER_ALREADY_EXISTS: { field: "form", key: "auth.signUpNotSignedIn" },
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: { field: "form", key: "auth.signUpNotSignedIn" },
  EMAIL_NOT_VERIFIED: { field: "form", key: "authErrors.emailNotVerified" },
  FAILED_TO_CREATE_USER: { field: "form", key: "authErrors.signUpFailed" },
  FAILED_TO_CREATE_SESSION: { field: "form", key: "authErrors.sessionFailed" },
  FAILED_TO_GET_SESSION: { field: "form", key: "authErrors.sessionFailed" },
  EMAIL_PASSWORD_DISABLED: { field: "form", key: "authErrors.disabled" },
  EMAIL_PASSWORD_SIGN_UP_DISABLED: { field: "form", key: "authErrors.signUpDisabled" },
  INVALID_ORIGIN: { field: "form", key: "authErrors.originRefused" },
  MISSING_OR_NULL_ORIGIN: { field: "form", key: "authErrors.originRefused" },
  CROSS_SITE_NAVIGATION_LOGIN_BLOCKED: { field: "form", key: "authErrors.originRefused" },
  INVALID_CALLBACK_URL: { field: "form", key: "authErrors.originRefused" },
  VALIDATION_ERROR: { field: "form", key: "authErrors.invalidForm" },
  MISSING_FIELD: { field: "form", key: "authErrors.invalidForm" },
  BODY_MUST_BE_AN_OBJECT: { field: "form", key: "authErrors.invalidForm" },
};

/** The codes this module says by name (the test checks each has its text in both languages). */
export const knownAuthCodes = Object.keys(byCode);

/** Past two minutes a wait reads better in minutes ("Try again in 15 minutes"). */
const MINUTES_FROM = 120;

export function authProblem({ status, retryAfter, payload }: AuthAnswer): AuthProblem {
  // Not a failed attempt but an address that made many accounts: the wait is up to an hour, said in minutes.
  if (payload.code === "SIGN_UP_THROTTLED") {
    if (!retryAfter) return { field: "form", key: "signUpLimits.tooMany" };
    return { field: "form", key: "signUpLimits.tooManyFor", values: { minutes: Math.ceil(retryAfter / 60) } };
  }
  // Whoever throttles (our sign-in throttle, a rate limit, a proxy), the wait is in Retry-After.
  if (status === 429 || payload.code === "SIGN_IN_THROTTLED") {
    if (!retryAfter) return { field: "form", key: "auth.throttled" };
    if (retryAfter >= MINUTES_FROM)
      return { field: "form", key: "authErrors.throttledMinutes", values: { minutes: Math.ceil(retryAfter / 60) } };
    return { field: "form", key: "auth.throttledFor", values: { seconds: retryAfter } };
  }
  const known = payload.code ? byCode[payload.code] : undefined;
  if (known) return known;
  if (status >= 500) return { field: "form", key: "authErrors.serverError" };
  return { field: "form", key: "auth.failed" };
}
