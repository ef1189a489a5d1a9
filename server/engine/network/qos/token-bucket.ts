/**
 * A token bucket (tc's tbf / a policer), for decisions per flow or per packet over time.
 * Guarantees: tokens refill at `ratePerSecond` up to `burst` and never go negative; over any
 * span of T ms, at most burst + rate × T / 1000 is admitted; time is a number of ms passed
 * in (the engine's clock), and a clock that goes backwards refills nothing. State is the
 * point, so it is a class; no allocation per call.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /** Starts full (a flow that was idle may send its burst at once, as tbf allows). */
  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    nowMs: number,
  ) {
    if (!(ratePerSecond >= 0) || !(burst > 0)) {
      throw new RangeError(`a token bucket needs rate ≥ 0 and burst > 0 (got rate ${ratePerSecond}, burst ${burst})`);
    }
    this.tokens = burst;
    this.last = nowMs;
  }

  private refill(nowMs: number): void {
    if (nowMs > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) * this.ratePerSecond) / 1000);
      this.last = nowMs;
    }
  }

  /** Tokens available at `nowMs`. */
  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }

  /** Takes `amount` if it conforms (all or nothing, as a policer decides one packet). */
  tryTake(amount: number, nowMs: number): boolean {
    this.refill(nowMs);
    if (amount > this.tokens) return false;
    this.tokens -= amount;
    return true;
  }

  /** Takes as much of `amount` as conforms and returns it (a fluid flow over an interval). */
  takeUpTo(amount: number, nowMs: number): number {
    this.refill(nowMs);
    const taken = Math.min(Math.max(0, amount), this.tokens);
    this.tokens -= taken;
    return taken;
  }
}
