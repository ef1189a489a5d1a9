/**
 * How many leading lines of `next` are the trailing lines of `prev`: what of a pod's log was
 * already sent or printed when it is read again (the log is a ring buffer that drops its
 * oldest lines, so the overlap is found, not counted). Shared by the server's log stream and
 * cloudctl's `logs -f`.
 */
export function logOverlap(prev: readonly string[], next: readonly string[]): number {
  for (let k = Math.min(prev.length, next.length); k > 0; k--) {
    let same = true;
    for (let i = 0; i < k && same; i++) same = prev[prev.length - k + i] === next[i];
    if (same) return k;
  }
  return 0;
}
