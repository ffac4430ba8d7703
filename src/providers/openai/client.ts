import type { ClientOptions, OpenAI } from 'openai';
import type * as OpenAISdk from 'openai';
import type { ProviderContext } from '../../core/provider.js';
import type { RetryDecision } from '../../core/retry.js';
import { classifyError } from '../classify.js';
import { connectionOptionsFromConfig, ProviderConnection, type ConnectionOptions } from '../connection.js';
import { PRICES_CONFIG_SCHEMA } from '../cost.js';
import { RETRY_CONFIG_SCHEMA } from '../retry-config.js';
import { OPENAI_PRICES } from './prices.js';

/**
 * What the three OpenAI providers share: the client (key and base URL from the environment, the
 * SDK's own retries off), the retry classification and the key pattern; the retried calls, the
 * redaction and the cost bookkeeping come from ProviderConnection.
 *
 * One retry layer: russo's (`withRetry`), with `maxRetries: 0` on the SDK. The SDK's retries are
 * invisible from outside, so they could not be counted, could not steer the adaptive concurrency,
 * and would not cover the Realtime WebSocket or a body that breaks after the headers.
 *
 * The SDK is loaded on the first call of the first connection, not with this module: russo starts,
 * loads and validates a suite without it (and the bundles keep it in a chunk of its own).
 */

/** Connection and resilience options every OpenAI provider takes. */
export interface OpenAIConnectionOptions extends ConnectionOptions {
  /** Default: OPENAI_API_KEY from process.env. Never read from a file. */
  apiKey?: string;
  /** Default: OPENAI_BASE_URL from process.env; null or unset there: the SDK's default (the OpenAI API). */
  baseURL?: string | null;
}

/** The keys of the config that every OpenAI provider accepts, as JSON Schema properties. */
export const OPENAI_CONNECTION_SCHEMA = {
  base_url: {
    type: 'string',
    description:
      'API base URL (default: OPENAI_BASE_URL, else the OpenAI API), for proxies and compatible servers.',
  },
  ...RETRY_CONFIG_SCHEMA,
  ...PRICES_CONFIG_SCHEMA,
} as const;

/** The environment variable that holds the key. */
export const OPENAI_KEY_ENV = 'OPENAI_API_KEY';

/** Reads the shared options from a provider's config and the suite's context (key and base URL from its env). */
export function connectionFromConfig(
  options: Record<string, unknown>,
  context: ProviderContext,
  model: string,
): OpenAIConnectionOptions {
  const baseURL = typeof options.base_url === 'string' ? options.base_url : context.env.OPENAI_BASE_URL;
  return {
    ...connectionOptionsFromConfig(options, context, model, OPENAI_PRICES),
    apiKey: context.env[OPENAI_KEY_ENV] ?? '',
    baseURL: baseURL || null,
  };
}

/** The SDK once a connection has loaded it; an SDK error can only exist after that. */
let sdk: typeof OpenAISdk | undefined;

/** Loads the `openai` SDK (once: the runtime keeps the module). */
async function loadOpenAI(): Promise<typeof OpenAISdk> {
  sdk ??= await import('openai');
  return sdk;
}

/**
 * One OpenAI connection of a provider: the SDK client with its retries off, its calls through
 * russo's retry layer and its cost bookkeeping (ProviderConnection). `what` names the provider in messages.
 * A missing key fails here, at construction; the SDK is loaded by the first `client()`.
 */
export class OpenAIConnection extends ProviderConnection {
  // ES-private: the client options hold the key, and must not show in logs or JSON of a provider.
  readonly #clientOptions: ClientOptions;
  #client: Promise<OpenAI> | undefined;

  constructor(options: OpenAIConnectionOptions, what: string) {
    const apiKey = options.apiKey ?? process.env[OPENAI_KEY_ENV] ?? '';
    super(options, {
      what,
      apiKey,
      keyEnv: [OPENAI_KEY_ENV],
      keyHint: `set ${OPENAI_KEY_ENV} in the environment (in CI: from a repository secret, through the Action's input)`,
      keyPattern: /\b(sk-)[A-Za-z0-9_*-]{4,}/g,
      classify: classifyOpenAIError,
      prices: OPENAI_PRICES,
    });
    this.#clientOptions = {
      apiKey,
      // Explicit, so that the SDK never falls back on process.env behind the context's env.
      baseURL: options.baseURL === undefined ? (process.env.OPENAI_BASE_URL ?? null) : options.baseURL,
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: this.requestTimeoutMs,
    };
  }

  /** The SDK client, made on first use (the SDK is loaded then) and kept for every later call. */
  client(): Promise<OpenAI> {
    this.#client ??= loadOpenAI().then(({ default: OpenAI }) => new OpenAI(this.#clientOptions));
    return this.#client;
  }
}

/** The generic rules, and the SDK's connection errors (timeouts included) retried unless the generic rules say more. */
export function classifyOpenAIError(error: unknown): RetryDecision {
  if (sdk && error instanceof sdk.APIUserAbortError) return { action: 'fail' };
  const decision = classifyError(error);
  return decision.action === 'fail' && sdk && error instanceof sdk.APIConnectionError
    ? { action: 'retry', throttled: false }
    : decision;
}
