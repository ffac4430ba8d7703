import type { AdaptiveLimit } from './adaptive-limit.js';
import type { Agent, ReplyJudge, Synthesizer, ToolDefinition } from './types.js';

/** What a provider gets besides its own options when russo builds it from a config file. */
export interface ProviderContext {
  /** Directory that relative paths in the config resolve against (the config file's folder). */
  baseDir: string;
  /** Environment to read secrets from (API keys); never a file. */
  env: NodeJS.ProcessEnv;
  /** Tool definitions from the config's `tools` file; empty when none. */
  tools: ToolDefinition[];
  /** The suite's concurrency, for providers that keep pools or connections. */
  concurrency: number;
  /** Counters of requests, retries, throttles and estimated cost, shared by every provider of the suite. */
  stats?: ProviderStats;
  /** The suite's adaptive concurrency: providers tell it of throttles and successes (see `withRetry`). */
  limiter?: AdaptiveLimit;
}

/** JSON Schema of a provider's options (the keys beside `provider` in the config). */
export type OptionsSchema = {
  type: 'object';
  properties: Record<string, unknown>;
  required?: string[];
  additionalProperties?: false;
};

/** An agent provider: its id in config files, its options schema and how to build it. */
export interface AgentProvider {
  readonly id: string;
  readonly description: string;
  readonly optionsSchema: OptionsSchema;
  /** Names of the environment variables that hold the secret it needs, if any (e.g. OPENAI_API_KEY). */
  readonly secretEnv?: readonly string[];
  create(options: Record<string, unknown>, context: ProviderContext): Agent | Promise<Agent>;
}

/** A synthesizer provider: one synthesizer is made per configured voice. */
export interface SynthesizerProvider {
  readonly id: string;
  readonly description: string;
  readonly optionsSchema: OptionsSchema;
  readonly secretEnv?: readonly string[];
  /** The voices used when the config lists none. */
  readonly defaultVoices: readonly string[];
  /**
   * Starts what its first request will wait for (an offline engine's worker thread), ahead of that
   * request: a suite calls it while its scenario files load, when no cached audio can serve the
   * first runs.
   */
  prepare?(): void;
  create(options: Record<string, unknown>, voice: string, context: ProviderContext): Synthesizer;
}

/** A judge provider (the config's `judge`): grades `reply: {judge: …}` checks. */
export interface JudgeProvider {
  readonly id: string;
  readonly description: string;
  readonly optionsSchema: OptionsSchema;
  readonly secretEnv?: readonly string[];
  create(options: Record<string, unknown>, context: ProviderContext): ReplyJudge;
}

/** Counters that every provider of a suite adds to; the suite result reports them. */
export interface ProviderStats {
  /** Provider requests sent, retries included. */
  requests: number;
  /** Requests sent again after a failure that retrying can fix. */
  retries: number;
  /** Responses that asked russo to slow down (HTTP 429). */
  throttles: number;
  /** Estimated cost of every provider call in USD, from the price table (src/providers/cost.ts). */
  estimatedCostUsd: number;
}

/** A fresh set of counters at zero. */
export function createProviderStats(): ProviderStats {
  return { requests: 0, retries: 0, throttles: 0, estimatedCostUsd: 0 };
}
