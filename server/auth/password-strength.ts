/**
 * Refuses guessable passwords with zxcvbn-ts (a maintained estimator that ships common-password,
 * name and word lists and catches repeats, sequences and keyboard patterns), offline: nothing
 * leaves the server. A score of 3 ("safely unguessable") is required; `aaaaaaaa` and
 * `password1` score 0. The person's own email and name count as guessable.
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

export const minimumPasswordScore = 3;

let estimator: ZxcvbnFactory | null = null;

/** Built on first use: its dictionaries take a moment to rank. */
function getEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  return estimator;
}

/** Null when the password is strong enough, else why not (English, for logs and scripts). */
export function weakPasswordReason(password: string, personal: string[] = []): string | null {
  const inputs = personal.flatMap((p) => [p, ...p.split(/[@.\s_-]+/)]).filter((p) => p.length >= 3);
  const result = getEstimator().check(password, inputs);
  if (result.score >= minimumPasswordScore) return null;
  return "This password is too easy to guess (a common password, a pattern, or your own name or email). Choose a longer or less common one.";
}
