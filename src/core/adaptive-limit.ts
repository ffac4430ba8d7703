/** Options of an AdaptiveLimit. */
export interface AdaptiveLimitOptions {
  /** The ceiling: never more runs in flight than this (the suite's max concurrency). */
  max: number;
  /** The floor (default 1). */
  min?: number;
  /**
   * Share of throttled requests above which a window counts as throttled (default 0.5); two such
   * windows in a row cut the limit. Below it, throttles are left to the retries: scattered 429s
   * do not say that the load is too high.
   */
  throttleShare?: number;
  /** Factor a cut multiplies the limit by (default 0.5). */
  decreaseFactor?: number;
  /** Fewest outcomes a window holds before it is judged (default 10). */
  minWindow?: number;
}

/**
 * AIMD concurrency: the limit of runs in flight, lowered multiplicatively when most requests were
 * throttled (429) in two windows in a row, and raised by one per window that was not, between
 * `min` and `max`. A window is the next max(minWindow, limit) outcomes, about one round of every
 * run in flight. Two windows, because 429s come back faster than successes: the first window after
 * a burst of starts holds mostly throttles even when the server refuses only a few requests.
 */
export class AdaptiveLimit {
  readonly max: number;
  readonly min: number;
  /** Lowest limit reached so far, for the report. */
  lowest: number;
  private current: number;
  private windowTotal = 0;
  private windowThrottles = 0;
  private previousWindowOver = false;
  private readonly throttleShare: number;
  private readonly decreaseFactor: number;
  private readonly minWindow: number;
  private readonly listeners = new Set<(concurrency: number) => void>();

  constructor(options: AdaptiveLimitOptions) {
    const { max, min = 1, throttleShare = 0.5, decreaseFactor = 0.5, minWindow = 10 } = options;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
    if (!Number.isInteger(min) || min < 1 || min > max) {
      throw new RangeError(`min must be an integer from 1 to max (${max}), got ${min}`);
    }
    if (!(throttleShare >= 0 && throttleShare < 1)) throw new RangeError(`throttleShare must be in [0, 1)`);
    if (!(decreaseFactor > 0 && decreaseFactor < 1)) throw new RangeError(`decreaseFactor must be in (0, 1)`);
    this.max = max;
    this.min = min;
    this.current = max;
    this.lowest = max;
    this.throttleShare = throttleShare;
    this.decreaseFactor = decreaseFactor;
    this.minWindow = minWindow;
  }

  /** The number of runs that may be in flight now. */
  get concurrency(): number {
    return this.current;
  }

  /** A request went through. */
  recordSuccess(): void {
    this.record(false);
  }

  /** A request was throttled (429). */
  recordThrottle(): void {
    this.record(true);
  }

  /** Calls `listener` with the new limit whenever it changes; returns the unsubscribe function. */
  onChange(listener: (concurrency: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(throttled: boolean): void {
    this.windowTotal++;
    if (throttled) this.windowThrottles++;
    if (this.windowTotal < Math.max(this.minWindow, this.current)) return;
    const over = this.windowThrottles / this.windowTotal > this.throttleShare;
    const sustained = over && this.previousWindowOver;
    this.windowTotal = 0;
    this.windowThrottles = 0;
    // After a cut the evidence starts afresh: the next cut needs two more windows.
    this.previousWindowOver = over && !sustained;
    if (over && !sustained) return;
    const next = sustained
      ? Math.max(this.min, Math.floor(this.current * this.decreaseFactor))
      : Math.min(this.max, this.current + 1);
    if (next === this.current) return;
    this.current = next;
    this.lowest = Math.min(this.lowest, next);
    for (const listener of this.listeners) listener(next);
  }
}
