/**
 * Refuses guessable passwords with zxcvbn-ts (a maintained estimator that ships common-password,
 * name and word lists and catches repeats, sequences and keyboard patterns), offline: nothing
 * leaves the server. A score of 3 ("safely unguessable") is required; `aaaaaaaa` and
 * `password1` score 0. The person's own email and name count as guessable.
 *
 * Runs in a before-hook, ahead of better-auth's own 8–128 length check: a longer password is
 * left for that check to refuse, so no one can make the estimator chew on megabytes of input.
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

export const minimumPasswordScore = 3;
/** better-auth's `maxPasswordLength`; longer passwords are refused before they are stored. */
export const maxPasswordLength = 128;

let estimator: ZxcvbnFactory | null = null;

/** Built on first use: its dictionaries take a moment to rank. */
function getEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...dictionary },
    graphs: adjacencyGraphs,
    maxLength: maxPasswordLength,
  });
  return estimator;
}

/** Null when the password is strong enough, else why not (English, for logs and scripts). */
export function weakPasswordReason(password: string, personal: string[] = []): string | null {
  if (password.length > maxPasswordLength) return null; // better-auth refuses it as too long
  const inputs = personal.flatMap((p) => [p, ...p.split(/[@.\s_-]+/)]).filter((p) => p.length >= 3);
  const result = getEstimator().check(password, inputs);
  if (result.score >= minimumPasswordScore) return null;
  return "This password is too easy to guess (a common password, a pattern, or your own name or email). Choose a longer or less common one.";
}
