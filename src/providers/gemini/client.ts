import type { GoogleGenAI, GoogleGenAIOptions } from '@google/genai';
import type * as GenAISdk from '@google/genai';
import type { ProviderContext } from '../../core/provider.js';
import type { RetryDecision } from '../../core/retry.js';
import { classifyError } from '../classify.js';
import { connectionOptionsFromConfig, ProviderConnection, type ConnectionOptions } from '../connection.js';
import { PRICES_CONFIG_SCHEMA } from '../cost.js';
import { RETRY_CONFIG_SCHEMA } from '../retry-config.js';

// Gemini has no built-in price list: its costs are estimated only from the `prices` of a config.
const GEMINI_PRICES = {};

/**
 * What the three Gemini providers share: the `@google/genai` client (key from the environment,
 * base URL from the config), russo's retry layer around every call (the SDK retries nothing
 * unless asked, so there is one layer only), Gemini's error classification and the key kept out
 * of every message.
 *
 * The SDK is loaded on the first call of the first connection, not with this module: russo starts,
 * loads and validates a suite without it (and the bundles keep it in a chunk of its own).
 */

/** The environment variables that may hold the key, in the order they are read. */
export const GEMINI_KEY_ENV = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const;

/** Connection and resilience options every Gemini provider takes. */
export interface GeminiConnectionOptions extends ConnectionOptions {
  /** Default: GEMINI_API_KEY, else GOOGLE_API_KEY, from process.env. Never read from a file. */
  apiKey?: string;
  /** API root (default: the Gemini API); an http:// root also makes the Live socket ws://. */
  baseUrl?: string;
}

/** The config keys every Gemini provider accepts, as JSON Schema properties. */
export const GEMINI_CONNECTION_SCHEMA = {
  base_url: {
    type: 'string',
    description: 'API root (default: the Gemini API), for proxies and test servers.',
  },
  ...RETRY_CONFIG_SCHEMA,
  ...PRICES_CONFIG_SCHEMA,
} as const;

/** The first non-empty Gemini key in `env`, or undefined. */
export function geminiKey(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of GEMINI_KEY_ENV) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/**
 * Reads the shared options from a provider's config (the prices of `model`) and the suite's
 * context (the key from its env).
 */
export function geminiConnectionFromConfig(
  options: Record<string, unknown>,
  context: ProviderContext,
  model: string,
): GeminiConnectionOptions {
  return {
    ...connectionOptionsFromConfig(options, context, model, GEMINI_PRICES),
    apiKey: geminiKey(context.env) ?? '',
    ...(typeof options.base_url === 'string' ? { baseUrl: options.base_url } : {}),
  };
}

/** The SDK once a connection has loaded it; an SDK error can only exist after that. */
let sdk: typeof GenAISdk | undefined;

/** Loads the `@google/genai` SDK (once: the runtime keeps the module). */
async function loadGenAI(): Promise<typeof GenAISdk> {
  sdk ??= await import('@google/genai');
  return sdk;
}

/**
 * One Gemini connection of a provider: the SDK client, and its calls through russo's retry layer
 * (ProviderConnection). A missing key fails here, at construction; the SDK is loaded by the first `client()`.
 */
export class GeminiConnection extends ProviderConnection {
  // ES-private: the client options hold the key, and must not show in logs or JSON of a provider.
  readonly #clientOptions: GoogleGenAIOptions;
  #client: Promise<GoogleGenAI> | undefined;

  constructor(options: GeminiConnectionOptions, what: string) {
    const apiKey = options.apiKey ?? geminiKey(process.env) ?? '';
    super(options, {
      what,
      apiKey,
      keyEnv: GEMINI_KEY_ENV,
      keyHint: `set ${GEMINI_KEY_ENV[0]} in the environment (in the Action: the \`gemini-api-key\` input, from a repository secret)`,
      // The Live socket carries the key in its URL: its errors may quote it.
      keyPattern: /\b(AIza)[0-9A-Za-z_-]{10,}/g,
      classify: classifyGeminiError,
      prices: GEMINI_PRICES,
    });
    this.#clientOptions = {
      apiKey,
      ...(options.baseUrl === undefined ? {} : { httpOptions: { baseUrl: options.baseUrl } }),
    };
  }

  /** The SDK client, made on first use (the SDK is loaded then) and kept for every later call. */
  client(): Promise<GoogleGenAI> {
    this.#client ??= loadGenAI().then(({ GoogleGenAI }) => new GoogleGenAI(this.#clientOptions));
    return this.#client;
  }
}

/**
 * Gemini's errors on top of the generic rules. A 429 carries the wait it asks for in its
 * `RetryInfo` detail, and is fatal when a per-day quota is spent (waiting a minute will not help).
 * A 400 is fatal only for a rejected key: other 400s (a prompt the TTS model will not speak, say)
 * belong to one run.
 */
export function classifyGeminiError(error: unknown): RetryDecision {
  if (!sdk || !(error instanceof sdk.ApiError)) return classifyError(error);
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
