import type { AdaptiveLimit } from './adaptive-limit.js';
import { FatalProviderError, RussoError } from './errors.js';
import type { ProviderStats } from './provider.js';

/**
 * Retries of provider calls, in one place for every provider: exponential backoff with full
 * jitter, the server's `retry-after(-ms)` honoured, bounded attempts and a bounded total wait.
 * Errors that retrying cannot fix (bad request, bad key, no access, no quota) stop at once as a
 * FatalProviderError, which stops the suite.
 */

/** How often and how long a call is retried. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Ceiling of the first backoff in ms; it doubles on each retry (the wait is drawn from 0..ceiling). */
  baseDelayMs: number;
  /** Largest ceiling of one backoff, in ms. */
  maxDelayMs: number;
  /** Total time one call may spend waiting between attempts, in ms; past it the call gives up. */
  maxTotalWaitMs: number;
}

/** The defaults: up to 8 attempts and one minute of waiting in all. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxTotalWaitMs: 60_000,
};

/** What to do after a failed attempt. */
export type RetryDecision =
  | { action: 'retry'; throttled: boolean; retryAfterMs?: number }
  | { action: 'fatal'; hint: string }
  | { action: 'fail' };

/**
 * A failure that may pass on another attempt (a dropped socket, a refused handshake). Providers
 * throw it for transport failures that carry no HTTP error of their own.
 */
export class RetryableError extends RussoError {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A call failed on every attempt, or its next wait would pass the total wait budget. */
export class RetriesExhaustedError extends RussoError {}

/** Options of `withRetry`. */
export interface RetryOptions {
  /** Names the call in messages, e.g. `OpenAI speech`. */
  what: string;
  policy?: Partial<RetryPolicy>;
  /** Stops waiting and attempting at once; the signal's reason is thrown. */
  signal?: AbortSignal;
  /**
   * Time one attempt may take, in ms: past it the attempt's signal aborts and the attempt counts as
   * a retryable failure (a server that hangs, a body that stops half-way).
   */
  attemptTimeoutMs?: number;
  stats?: ProviderStats;
  /** Told of every throttle and success, to steer the runs in flight. */
  limiter?: AdaptiveLimit;
  /** Maps an error to a decision: the provider's classification (see src/providers/classify.ts). */
  classify: (error: unknown) => RetryDecision;
  /** Cleans messages of secrets before they are thrown. */
  redact?: (message: string) => string;
  /** Random numbers in [0, 1) for the jitter (tests pass a fixed one). */
  random?: () => number;
}

/**
 * Calls `attempt` until it succeeds, retrying the failures that `classify` calls retryable. Each
 * attempt gets a signal that aborts on a cancel or at its deadline. The last error is rethrown as
 * a RetriesExhaustedError that says how many attempts and how long it waited; a fatal one becomes
 * a FatalProviderError with a hint; any other error is rethrown as is.
 */
export async function withRetry<T>(
  attempt: (signal: AbortSignal, attemptNumber: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const { classify } = options;
  const redact = options.redact ?? ((message: string) => message);
  const random = options.random ?? Math.random;
  let waitedMs = 0;
  for (let attemptNumber = 1; ; attemptNumber++) {
    options.signal?.throwIfAborted();
    if (options.stats) options.stats.requests++;
    const deadline =
      options.attemptTimeoutMs === undefined ? undefined : AbortSignal.timeout(options.attemptTimeoutMs);
    const signals = [options.signal, deadline].filter((signal) => signal !== undefined);
    try {
      const value = await attempt(AbortSignal.any(signals), attemptNumber);
      options.limiter?.recordSuccess();
      return value;
    } catch (caught) {
      // A cancel or the run's timeout is not the provider's failure: never retry it.
      if (options.signal?.aborted) throw options.signal.reason;
      const error = deadline?.aborted
        ? new RetryableError(`no complete answer within ${(options.attemptTimeoutMs ?? 0) / 1000} s`)
        : caught;
      const decision = classify(error);
      const message = redact(describeError(error));
      if (decision.action === 'fatal') {
        throw new FatalProviderError(`${options.what} was refused: ${message}`, decision.hint);
      }
      if (decision.action === 'fail') throw error;
      if (decision.throttled) {
        if (options.stats) options.stats.throttles++;
        options.limiter?.recordThrottle();
      }
      const delayMs = nextDelay(decision.retryAfterMs, attemptNumber, policy, random);
      if (attemptNumber >= policy.maxAttempts || waitedMs + delayMs > policy.maxTotalWaitMs) {
        throw new RetriesExhaustedError(
          `${options.what} failed after ${attemptNumber} attempt${attemptNumber === 1 ? '' : 's'} ` +
            `(${(waitedMs / 1000).toFixed(1)} s of waiting): ${message}`,
          decision.throttled
            ? 'the provider kept rate limiting: lower the concurrency, or raise the rate limits of your account'
            : 'the provider kept failing: check its status page, or try again later',
        );
      }
      if (options.stats) options.stats.retries++;
      waitedMs += delayMs;
      await sleep(delayMs, options.signal);
    }
  }
}

/**
 * The wait before the next attempt: the server's `retry-after` plus up to 20% jitter (so runs told
 * the same time do not return together), else full jitter over an exponential ceiling.
 */
export function nextDelay(
  retryAfterMs: number | undefined,
  attemptNumber: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs + random() * retryAfterMs * 0.2;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1));
  return random() * ceiling;
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The message of an error and of its first cause, which often holds the real reason (`terminated` ← `other side closed`). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const own = error.message || error.name;
  return cause instanceof Error && cause.message && !own.includes(cause.message)
    ? `${own} (${cause.message})`
    : own;
}
