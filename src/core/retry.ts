import type { AdaptiveLimit } from './adaptive-limit.js';
import { FatalProviderError, RussoError } from './errors.js';

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

/** The config keys of the retry policy that every network provider takes, as JSON Schema properties. */
export const RETRY_CONFIG_SCHEMA = {
  request_timeout_s: {
    type: 'number',
    exclusiveMinimum: 0,
    description: 'Time one attempt may take (default 60).',
  },
  max_attempts: {
    type: 'integer',
    minimum: 1,
    description: `Attempts per call, the first included (default ${DEFAULT_RETRY_POLICY.maxAttempts}).`,
  },
  max_retry_wait_s: {
    type: 'number',
    minimum: 0,
    description: `Total waiting between attempts of one call before it gives up (default ${DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000}).`,
  },
} as const;

/** Reads the RETRY_CONFIG_SCHEMA keys of a provider's config: the policy, and the attempt timeout when set. */
export function retryFromConfig(options: Record<string, unknown>): {
  policy: Partial<RetryPolicy>;
  attemptTimeoutMs?: number;
} {
  const policy: Partial<RetryPolicy> = {};
  if (typeof options.max_attempts === 'number') policy.maxAttempts = options.max_attempts;
  if (typeof options.max_retry_wait_s === 'number') policy.maxTotalWaitMs = options.max_retry_wait_s * 1000;
  return typeof options.request_timeout_s === 'number'
    ? { policy, attemptTimeoutMs: options.request_timeout_s * 1000 }
    : { policy };
}

/** Counters that every provider of a suite adds to; the suite result reports them. */
export interface ProviderStats {
  /** Provider requests sent, retries included. */
  requests: number;
  /** Requests sent again after a failure that retrying can fix. */
  retries: number;
  /** Responses that asked russo to slow down (HTTP 429). */
  throttles: number;
  /** Estimated cost of every provider call in USD, from the price table (src/core/cost.ts). */
  estimatedCostUsd: number;
}

/** A fresh set of counters at zero. */
export function createProviderStats(): ProviderStats {
  return { requests: 0, retries: 0, throttles: 0, estimatedCostUsd: 0 };
}

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
  /** Maps an error to a decision (default: `classifyError`). */
  classify?: (error: unknown) => RetryDecision;
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
  const classify = options.classify ?? classifyError;
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

// Network failures that another attempt may get past (Node and undici codes).
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);
// Certificate failures: the same on every attempt, and on every run.
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const FATAL_HINTS: Readonly<Record<number, string>> = {
  400: 'the provider rejected the request itself: check the model, the tool definitions and the other provider options',
  401: 'the API key was rejected: check that the key in the environment (or the Action input) is current',
  403: 'the key may not use this model or endpoint: check the project and organisation of the key',
  404: 'the model or endpoint does not exist: check `model` and `base_url`',
};

/**
 * The default classification, for errors shaped like the provider SDKs' (`status`, `headers`,
 * `code`, `name`) and Node's network errors: 429/408/5xx and dropped connections are retried,
 * 400/401/403/404 and 429 `insufficient_quota` are fatal, anything else fails the run.
 */
export function classifyError(error: unknown): RetryDecision {
  const status = statusOf(error);
  if (status === 429 && isQuotaError(error)) {
    return {
      action: 'fatal',
      hint: 'the account has no quota left: add credit or raise the limit in the provider console, then run again',
    };
  }
  if (status !== undefined && FATAL_HINTS[status] !== undefined) {
    return { action: 'fatal', hint: FATAL_HINTS[status] };
  }
  if (status !== undefined && RETRY_STATUS.has(status)) {
    const retryAfterMs = retryAfterOf(error);
    return {
      action: 'retry',
      throttled: status === 429,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (
    status === undefined &&
    causeCodes(error).some((code) => CERTIFICATE_CODES.has(code) || code.startsWith('CERT_'))
  ) {
    return {
      action: 'fatal',
      hint: "the server's TLS certificate is not trusted: check `base_url`, or trust its CA with NODE_EXTRA_CA_CERTS",
    };
  }
  if (status === undefined && isTransient(error)) return { action: 'retry', throttled: false };
  return { action: 'fail' };
}

/**
 * The wait a server asked for, in ms, from `retry-after-ms` (ms) or `retry-after` (seconds or an
 * HTTP date). Headers may be a fetch `Headers` or a plain object (Node's IncomingMessage).
 */
export function parseRetryAfter(headers: unknown, now = Date.now()): number | undefined {
  const milliseconds = Number.parseFloat(headerOf(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headerOf(headers, 'retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
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

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterOf(error: unknown): number | undefined {
  const { retryAfterMs, headers } = (error ?? {}) as { retryAfterMs?: unknown; headers?: unknown };
  return typeof retryAfterMs === 'number' ? retryAfterMs : parseRetryAfter(headers);
}

/** True for a 429 that says the account is out of quota (OpenAI: code or type `insufficient_quota`). */
function isQuotaError(error: unknown): boolean {
  const { code, type } = (error ?? {}) as { code?: unknown; type?: unknown };
  return code === 'insufficient_quota' || type === 'insufficient_quota';
}

/** True for a RetryableError or a transient network code anywhere in the `cause` chain. */
function isTransient(error: unknown): boolean {
  return causeChain(error).some(
    (current) =>
      current instanceof RetryableError || TRANSIENT_CODES.has(String((current as { code?: unknown }).code)),
  );
}

/** The error and its causes, at most five deep. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < 5; current = (current as { cause?: unknown }).cause) {
    chain.push(current);
  }
  return chain;
}

/** The string `code`s along the cause chain. */
function causeCodes(error: unknown): string[] {
  return causeChain(error)
    .map((current) => (current as { code?: unknown }).code)
    .filter((code): code is string => typeof code === 'string');
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
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
