import { agentProviders } from '../agents/registry.js';
import type { AdaptiveLimit } from '../core/adaptive-limit.js';
import type {
  AgentProvider,
  JudgeProvider,
  ProviderContext,
  ProviderStats,
  SynthesizerProvider,
} from '../core/provider.js';
import type { Agent, ReplyJudge, Synthesizer } from '../core/types.js';
import { openAIJudgeProvider } from '../providers/openai/judge.js';
import { ScenarioError } from '../scenarios/errors.js';
import type { Suite } from '../scenarios/types.js';
import { CachedSynthesizer, warnOnStderr } from '../synthesize/cached.js';
import { synthesizerProviders } from '../synthesize/registry.js';
import { errorMessage, RussoError } from '../core/errors.js';
import type { Redact } from '../core/redact.js';

/** Every judge provider by its config id (the config's `judge`). A new one is one file and one line here. */
export const judgeProviders: Readonly<Record<string, JudgeProvider>> = {
  openai: openAIJudgeProvider,
};

/** A synthesizer and the voice it speaks, as the suite reports it. */
export interface Voice {
  voice: string;
  synthesizer: Synthesizer;
}

/** What providers are built with. */
export interface ProviderOptions {
  env: NodeJS.ProcessEnv;
  concurrency: number;
  /** Cache folder for synthesized audio; false turns the disk cache off. */
  cacheDir: string | false;
  /** Counters shared by every provider of the suite. */
  stats?: ProviderStats;
  /** The suite's adaptive concurrency, lowered by providers on sustained throttling. */
  limiter?: AdaptiveLimit;
  /** Removes the suite's secrets from the errors of providers that cannot be built. */
  redact?: Redact;
  /** Where warnings go (default: stderr); the voices' audio caches warn once between them. */
  onWarning?: (message: string) => void;
}

/** What providers are built with: where secrets come from, the pool size, the suite's counters and limit. */
function contextOf(suite: Suite, options: ProviderOptions): ProviderContext {
  return {
    baseDir: suite.config.baseDir,
    env: options.env,
    tools: suite.tools,
    concurrency: options.concurrency,
    ...(options.stats ? { stats: options.stats } : {}),
    ...(options.limiter ? { limiter: options.limiter } : {}),
  };
}

/** Builds the configured agent; a provider that cannot be built is a problem at its place in the config. */
export async function createAgent(suite: Suite, options: ProviderOptions): Promise<Agent> {
  const { config } = suite;
  if (!config.agent) {
    throw new ScenarioError([
      {
        ...(config.locations.agent ?? { file: config.file ?? 'russo.config.yaml', line: 0, column: 0 }),
        message: 'no agent is configured: russo does not know what to test',
        hint: 'add `agent: {provider: command, command: [node, my-agent.js]}` to russo.config.yaml (see "Configuration" in the README)',
      },
    ]);
  }
  const { provider, tools: _tools, ...agentOptions } = config.agent;
  const factory = agentProviders[provider] as AgentProvider;
  return atConfig(suite, 'agent', options, () => factory.create(agentOptions, contextOf(suite, options)));
}

/** Builds one synthesizer per configured voice, each behind the audio cache (in memory only when the disk cache is off). */
export async function createVoices(suite: Suite, options: ProviderOptions): Promise<Voice[]> {
  const { provider, voices, ...synthesizerOptions } = suite.config.synthesizer;
  const factory = synthesizerProviders[provider] as SynthesizerProvider;
  const context = contextOf(suite, options);
  // Every voice caches in the same folder: one warning if it cannot be written, not one per voice.
  let warned = false;
  const onWarning = (message: string): void => {
    if (!warned) (options.onWarning ?? warnOnStderr)(message);
    warned = true;
  };
  return atConfig(suite, 'synthesizer', options, () =>
    voices.map((voice) => {
      const synthesizer = factory.create(synthesizerOptions, voice, context);
      // Memory-only when the disk cache is off: within one suite each (text, voice) is spoken once.
      return { voice, synthesizer: new CachedSynthesizer(synthesizer, { dir: options.cacheDir, onWarning }) };
    }),
  );
}

/**
 * Builds the configured judge when a scenario has a `reply: {judge}` check (undefined otherwise: a
 * judge that is never asked needs no key); a judge that cannot be built is a problem at its place in
 * the config.
 */
export async function createJudge(suite: Suite, options: ProviderOptions): Promise<ReplyJudge | undefined> {
  const { judge } = suite.config;
  if (judge === undefined || !usesJudge(suite)) return undefined;
  const { provider, ...judgeOptions } = judge;
  const factory = judgeProviders[provider] as JudgeProvider;
  return atConfig(suite, 'judge', options, () => factory.create(judgeOptions, contextOf(suite, options)));
}

/** Whether any turn of any scenario has a judge check. */
export function usesJudge(suite: Suite): boolean {
  return suite.scenarios.some((scenario) => scenario.turns?.some((turn) => turn.reply?.judge !== undefined));
}

/** Names the environment variables that the configured providers need and that `env` lacks. */
export function missingSecrets(suite: Suite, env: NodeJS.ProcessEnv): string[] {
  const needed = [
    suite.config.agent ? agentProviders[suite.config.agent.provider]?.secretEnv : undefined,
    synthesizerProviders[suite.config.synthesizer.provider]?.secretEnv,
    suite.config.judge && usesJudge(suite)
      ? judgeProviders[suite.config.judge.provider]?.secretEnv
      : undefined,
  ];
  const missing = needed
    .filter((names): names is readonly string[] => names !== undefined && names.length > 0)
    .filter((names) => !names.some((name) => (env[name] ?? '') !== ''))
    .map((names) => names.join(' or '));
  // Providers of one vendor share a key: name it once.
  return [...new Set(missing)];
}

/**
 * Runs a provider factory; its error becomes a problem at the provider's entry in the config, with
 * the secrets redacted (a URL or an SDK's message may quote an expanded `${NAME}`).
 */
async function atConfig<T>(
  suite: Suite,
  key: 'agent' | 'synthesizer' | 'judge',
  { redact = (text: string) => text }: ProviderOptions,
  build: () => T | Promise<T>,
): Promise<T> {
  try {
    return await build();
  } catch (error) {
    const where = suite.config.locations[key] ?? {
      file: suite.config.file ?? 'russo.config.yaml',
      line: 0,
      column: 0,
    };
    throw new ScenarioError([
      {
        ...where,
        message: redact(`cannot set up the ${key}: ${errorMessage(error)}`),
        ...(error instanceof RussoError && error.hint ? { hint: redact(error.hint) } : {}),
      },
    ]);
  }
}
