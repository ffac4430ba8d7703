import { ApiError, GoogleGenAI } from '@google/genai';
import type { AdaptiveLimit } from '../core/adaptive-limit.js';
import { FatalProviderError, RussoError } from '../core/errors.js';
import type { ProviderContext } from '../core/provider.js';
import {
  classifyError,
  RETRY_CONFIG_SCHEMA,
  retryFromConfig,
  withRetry,
  type ProviderStats,
  type RetryDecision,
  type RetryPolicy,
} from '../core/retry.js';

/**
 * What the three Gemini providers share: the `@google/genai` client (key from the environment,
 * base URL from the config), russo's retry layer around every call (the SDK retries nothing
 * unless asked, so there is one layer only), Gemini's error classification and the key kept out
 * of every message.
 */

/** The environment variables that may hold the key, in the order they are read. */
export const GEMINI_KEY_ENV = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const;

/** Connection and resilience options every Gemini provider takes. */
export interface GeminiConnectionOptions {
  /** Default: GEMINI_API_KEY, else GOOGLE_API_KEY, from process.env. Never read from a file. */
  apiKey?: string;
  /** API root (default: the Gemini API); an http:// root also makes the Live socket ws://. */
  baseUrl?: string;
  /** Time one attempt may take (a request, or a whole Live session), in ms (default 60 000). */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Counters shared by the providers of a suite. */
  stats?: ProviderStats;
  /** The suite's adaptive concurrency, told of throttles and successes. */
  limiter?: AdaptiveLimit;
}

/** The config keys every Gemini provider accepts, as JSON Schema properties. */
export const GEMINI_CONNECTION_SCHEMA = {
  base_url: {
    type: 'string',
    description: 'API root (default: the Gemini API), for proxies and test servers.',
  },
  ...RETRY_CONFIG_SCHEMA,
} as const;

/** The first non-empty Gemini key in `env`, or undefined. */
export function geminiKey(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of GEMINI_KEY_ENV) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** Reads the shared options from a provider's config and the suite's context (the key from its env). */
export function geminiConnectionFromConfig(
  options: Record<string, unknown>,
  context: ProviderContext,
): GeminiConnectionOptions {
  const { policy, attemptTimeoutMs } = retryFromConfig(options);
  return {
    apiKey: geminiKey(context.env) ?? '',
    ...(typeof options.base_url === 'string' ? { baseUrl: options.base_url } : {}),
    requestTimeoutMs: attemptTimeoutMs,
    retry: policy,
    stats: context.stats,
    limiter: context.limiter,
  };
}

/** One Gemini connection of a provider: the SDK client, and its calls through russo's retry layer. */
export class GeminiConnection {
  readonly client: GoogleGenAI;
  readonly requestTimeoutMs: number;
  private readonly apiKey: string;

  constructor(
    private readonly options: GeminiConnectionOptions,
    private readonly what: string,
  ) {
    const apiKey = options.apiKey ?? geminiKey(process.env) ?? '';
    if (apiKey === '') {
      throw new FatalProviderError(
        `${what} needs an API key and neither ${GEMINI_KEY_ENV.join(' nor ')} is set`,
        `set ${GEMINI_KEY_ENV[0]} in the environment (in the Action: the \`gemini-api-key\` input, from a repository secret)`,
      );
    }
    this.apiKey = apiKey;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.client = new GoogleGenAI({
      apiKey,
      ...(options.baseUrl === undefined ? {} : { httpOptions: { baseUrl: options.baseUrl } }),
    });
  }

  /**
   * Runs `attempt` under russo's retry policy, each attempt with its own deadline (a whole Live
   * session included) and the run's signal.
   */
  call<T>(
    what: string,
    signal: AbortSignal | undefined,
    attempt: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return withRetry(attempt, {
      what: `${this.what} ${what}`,
      signal,
      attemptTimeoutMs: this.requestTimeoutMs,
      policy: this.options.retry,
      stats: this.options.stats,
      limiter: this.options.limiter,
      classify: classifyGeminiError,
      redact: (message) => this.redact(message),
    });
  }

  /** The error a provider throws: russo's own as they are, anything else as `Kind` with the key removed. */
  failure(error: unknown, Kind: new (message: string, hint?: string) => RussoError): Error {
    if (error instanceof RussoError) return error;
    const message = error instanceof Error ? error.message || error.name : String(error);
    return new Kind(this.redact(message));
  }

  /** Removes the key (the Live socket carries it in its URL) and anything shaped like a Google key. */
  redact(message: string): string {
    return message
      .split(this.apiKey)
      .join('[redacted]')
      .replace(/\bAIza[0-9A-Za-z_-]{10,}/g, 'AIza[redacted]');
  }
}

/**
 * Gemini's errors on top of the generic rules. A 429 carries the wait it asks for in its
 * `RetryInfo` detail, and is fatal when a per-day quota is spent (waiting a minute will not help).
 * A 400 is fatal only for a rejected key: other 400s (a prompt the TTS model will not speak, say)
 * belong to one run.
 */
export function classifyGeminiError(error: unknown): RetryDecision {
  if (!(error instanceof ApiError)) return classifyError(error);
  const details = errorDetails(error.message);
  if (error.status === 429) {
    if (details.some((detail) => JSON.stringify(detail.violations ?? '').includes('PerDay'))) {
      return {
        action: 'fatal',
        hint: "the key's daily quota is spent: wait for the reset, or raise the quota of the project in Google AI Studio",
      };
    }
    const delay = details.map((detail) => detail.retryDelay).find((value) => typeof value === 'string');
    const seconds = delay === undefined ? Number.NaN : Number.parseFloat(delay);
    return {
      action: 'retry',
      throttled: true,
      ...(Number.isFinite(seconds) ? { retryAfterMs: seconds * 1000 } : {}),
    };
  }
  if (error.status === 400 && !/api[ _]?key/i.test(error.message)) return { action: 'fail' };
  return classifyError(error);
}

/** The `details` of a Google API error body (the SDK puts the body's JSON in the message). */
function errorDetails(message: string): Array<{ retryDelay?: string; violations?: unknown }> {
  try {
    const details = (JSON.parse(message) as { error?: { details?: unknown } }).error?.details;
    return Array.isArray(details) ? details : [];
  } catch {
    return [];
  }
}
