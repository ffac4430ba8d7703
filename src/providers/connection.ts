import type { AdaptiveLimit } from '../core/adaptive-limit.js';
import { FatalProviderError, RussoError } from '../core/errors.js';
import type { ProviderContext, ProviderStats } from '../core/provider.js';
import { withRetry, type RetryDecision, type RetryPolicy } from '../core/retry.js';
import type { AgentResponse } from '../core/types.js';
import { estimateCost, pricesFromConfig, type PriceTable, type Usage } from './cost.js';
import { retryFromConfig } from './retry-config.js';

/**
 * What every keyed network provider does around its SDK's calls, whatever the SDK:
 * it refuses to start without a key, runs each call through russo's one retry layer with a deadline
 * per attempt, keeps the key out of every message it throws, and adds the estimated cost of each
 * call to the suite's counters. Each provider's client module
 * extends ProviderConnection with its SDK client and its error classification.
 */

/** The resilience options every connection takes. */
export interface ConnectionOptions {
  /** Time one attempt may take, in ms: a request with its response body, or a whole live session (default 60 000). */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Counters shared by the providers of a suite. */
  stats?: ProviderStats;
  /** The suite's adaptive concurrency, told of throttles and successes. */
  limiter?: AdaptiveLimit;
  /** Price table for the cost estimate (default: the vendor's list prices, ConnectionProfile.prices). */
  prices?: PriceTable;
}

/**
 * Reads the RETRY_CONFIG_SCHEMA and PRICES_CONFIG_SCHEMA keys of a provider's config (prices of
 * `model`), and the suite's counters and limit from its context.
 */
export function connectionOptionsFromConfig(
  options: Record<string, unknown>,
  context: ProviderContext,
  model: string,
  listPrices: PriceTable,
): ConnectionOptions {
  const { policy, attemptTimeoutMs } = retryFromConfig(options);
  const prices = pricesFromConfig(options, model, listPrices);
  return {
    requestTimeoutMs: attemptTimeoutMs,
    retry: policy,
    stats: context.stats,
    limiter: context.limiter,
    ...(prices ? { prices } : {}),
  };
}

/** How one provider's connection names itself, checks and hides its key, and reads its SDK's errors. */
export interface ConnectionProfile {
  /** Names the provider in messages, e.g. `OpenAI speech`. */
  what: string;
  /** The key; empty when none was found. */
  apiKey: string;
  /** The environment variables the key is read from, named when it is missing. */
  keyEnv: readonly string[];
  /** What to do when the key is missing. */
  keyHint: string;
  /** Matches anything shaped like a key of this provider, with the `g` flag; the first group (the prefix) is kept. */
  keyPattern: RegExp;
  /** Maps an SDK error to a retry decision. */
  classify: (error: unknown) => RetryDecision;
  /** The vendor's list prices, used when the options give no table. */
  prices: PriceTable;
}

/** The provider-neutral half of a connection: the key check, the retried calls and the clean errors. */
export class ProviderConnection {
  readonly requestTimeoutMs: number;
  // ES-private: the profile holds the key, and must not show in logs or JSON of a provider.
  readonly #options: ConnectionOptions;
  readonly #profile: ConnectionProfile;

  constructor(options: ConnectionOptions, profile: ConnectionProfile) {
    if (profile.apiKey === '') {
      const unset =
        profile.keyEnv.length === 1
          ? `${profile.keyEnv[0]} is not set`
          : `neither ${profile.keyEnv.join(' nor ')} is set`;
      throw new FatalProviderError(`${profile.what} needs an API key and ${unset}`, profile.keyHint);
    }
    this.#options = options;
    this.#profile = profile;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  }

  /**
   * Runs `attempt` under russo's retry policy, each attempt with its own deadline (response body or
   * whole live session included) and the run's signal.
   */
  call<T>(
    what: string,
    signal: AbortSignal | undefined,
    attempt: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return withRetry(attempt, {
      what: `${this.#profile.what} ${what}`,
      signal,
      attemptTimeoutMs: this.requestTimeoutMs,
      policy: this.#options.retry,
      stats: this.#options.stats,
      limiter: this.#options.limiter,
      classify: this.#profile.classify,
      redact: (message) => this.redact(message),
    });
  }

  /** Estimated USD of `usage` for `model`, added to the suite's counters; undefined for a model without a price. */
  recordCost(model: string, usage: Usage): number | undefined {
    const cost = estimateCost(model, usage, this.#options.prices ?? this.#profile.prices);
    if (cost !== undefined && this.#options.stats) this.#options.stats.estimatedCostUsd += cost;
    return cost;
  }

  /** `response` with the estimated cost of its usage for `model` (when it has a price), recorded as recordCost does. */
  withCost(response: AgentResponse, model: string): AgentResponse {
    if (!response.usage) return response;
    const cost = this.recordCost(model, response.usage as Usage);
    return cost === undefined
      ? response
      : { ...response, usage: { ...response.usage, estimated_cost_usd: cost } };
  }

  /**
   * Counts a request made outside `call` that failed before any run used it (a session opened
   * ahead of its run), as `call` counts an attempt: one request, and a throttle slows the suite down.
   */
  recordUnusedFailure(error: unknown): void {
    const { stats, limiter } = this.#options;
    if (stats) stats.requests++;
    const decision = this.#profile.classify(error);
    if (decision.action === 'retry' && decision.throttled) {
      if (stats) stats.throttles++;
      limiter?.recordThrottle();
    }
  }

  /**
   * The error a provider throws: russo's own errors as they are (their messages are already clean),
   * and the reason of `signal` when given and aborted; anything else as `Kind` with the key removed.
   */
  failure(
    error: unknown,
    Kind: new (message: string, hint?: string) => RussoError,
    signal?: AbortSignal,
  ): Error {
    if (error instanceof RussoError || (signal?.aborted && error === signal.reason)) return error as Error;
    const message = error instanceof Error ? error.message || error.name : String(error);
    return new Kind(this.redact(message));
  }

  /**
   * Removes the key, and anything shaped like a key of this provider, from a message. The suite
   * redacts every result again (core/redact.ts); this stays because it also catches key-shaped
   * text russo was never given (another key a vendor echoes) and guards providers used without a suite.
   */
  redact(message: string): string {
    return message
      .split(this.#profile.apiKey)
      .join('[redacted]')
      .replace(this.#profile.keyPattern, '$1[redacted]');
  }
}
