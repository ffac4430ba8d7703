import type { ValidateFunction } from 'ajv';
import type { Variant } from '../audio/variant-schema.js';
import type { AgentProvider, JudgeProvider, SynthesizerProvider } from '../core/provider.js';
import type { ExpectedCall, MatchOptions, ToolDefinition } from '../core/types.js';
import type { ReplyExpectation } from '../evaluate/index.js';
import type { ConfigVariant } from './variants.js';

/** A place in a scenario or config file; lines and columns start at 1. `file` is relative to the working directory. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** One prompt of a scenario and where it is written. */
export interface ScenarioPrompt {
  text: string;
  location: SourceLocation;
}

/** One expected call of a scenario and where it is written (annotations point there). */
export interface ScenarioExpectedCall extends ExpectedCall {
  location: SourceLocation;
}

/** What the agent's reply in a turn must say: every key given must hold (see ReplyExpectation). */
export interface ReplyCheck extends ReplyExpectation {
  /** Where `reply` is written. */
  location: SourceLocation;
}

/** One caller turn of a conversation and what the agent must do in it. */
export interface ScenarioTurn {
  say: string;
  /** Where `say` is written. */
  location: SourceLocation;
  /** The calls the agent must make in this turn; absent: its calls are not graded (forbid still applies). */
  expect?: ScenarioExpectedCall[];
  forbid: string[];
  reply?: ReplyCheck;
}

/** One audio condition a scenario runs under (the `variants` key), with its own gate. */
export interface ScenarioVariant {
  /** The condition as applyVariant takes it: its name and what it changes (nothing: the audio as synthesized). */
  variant: Variant;
  /** Pass rate this variant's runs must reach: its own `min_pass_rate`, else the scenario's. */
  minPassRate: number;
  /** Where the variant is written (in the scenario or the config); absent for the default variant. */
  location?: SourceLocation;
}

/** A scenario as loaded and validated: defaults from the config are already applied. */
export interface Scenario {
  name: string;
  /** Where the scenario starts (its `name` key). */
  location: SourceLocation;
  /**
   * Its conversations, each by its first words: the prompts of a `prompts` scenario (each a one-turn
   * conversation), or for a `turns` scenario its one conversation's first `say`.
   */
  prompts: ScenarioPrompt[];
  /** The expected calls of every prompt; empty for a `turns` scenario (its turns hold theirs). */
  expect: ScenarioExpectedCall[];
  forbid: string[];
  match: MatchOptions;
  runs: number;
  /**
   * Where `runs` is written: the scenario's own key, or the config's `defaults.runs`; absent when
   * it is the built-in default. Limit errors point there.
   */
  runsLocation?: SourceLocation;
  minPassRate: number;
  timeoutMs: number;
  /**
   * Mocked outcomes per tool name, for agents that continue after a call: a plain value, or a list of
   * `{when, result}` / `{when, error}` rules (see compileToolResults).
   */
  toolResults?: Record<string, unknown>;
  tags: string[];
  /**
   * A multi-turn scenario's turns (one conversation); absent for a `prompts` scenario, whose
   * prompts are each a one-turn conversation with the scenario's `expect` and `forbid`.
   */
  turns?: ScenarioTurn[];
  /**
   * The audio conditions every prompt runs under: the scenario's `variants`, else the config's;
   * absent when neither names any (one clean variant, `default`: see scenarioVariants).
   */
  variants?: ScenarioVariant[];
}

/** A provider entry of the config: `provider` plus that provider's own options. */
export interface ProviderConfig {
  provider: string;
  [option: string]: unknown;
}

/** The project config (`russo.config.yaml`) after validation, with defaults applied. */
export interface RussoConfig {
  /** Path of the config file relative to the working directory; absent when none was found. */
  file?: string;
  /** Folder that relative paths in the config resolve against. */
  baseDir: string;
  /** Globs of scenario files, relative to `baseDir`. */
  scenarios: readonly string[];
  agent?: ProviderConfig & { tools?: string };
  synthesizer: ProviderConfig & { voices: string[] };
  /** The judge of `reply: {judge: …}` checks; absent when none is configured. */
  judge?: ProviderConfig;
  /** Runs in flight at once, across the suite (`max_concurrency`). */
  maxConcurrency: number;
  defaults: {
    runs: number;
    timeoutMs: number;
    match: MatchOptions;
    minPassRate: number;
  };
  gate: {
    /** Pass rate the whole suite must reach; null: only each scenario's own threshold applies. */
    minPassRate: number | null;
    /** Errored runs tolerated before the gate fails (default 0: errors fail the gate). */
    maxErrors: number;
    /** Share of prompt × voice cells allowed to be flaky (both passed and failed); null: no limit. */
    maxFlakyRate: number | null;
  };
  /** The audio cache: synthesized prompts are stored in `dir` and reused across runs. */
  cache: { enabled: boolean; dir: string };
  limits: Limits;
  /** The config's `variants`, the default of every scenario that names none; absent when it names none. */
  variants?: ConfigVariant[];
  /**
   * Where `agent`, `synthesizer`, `judge` and `defaults.runs` are written, for errors raised after
   * loading (providers that cannot be built, a suite over its limits).
   */
  locations: {
    agent?: SourceLocation;
    synthesizer?: SourceLocation;
    judge?: SourceLocation;
    runs?: SourceLocation;
  };
}

/**
 * Bounds on a suite and its files (config `limits`), checked before anything runs, so that a typo in
 * a number or a hostile file is an error instead of an exhausted machine.
 */
export interface Limits {
  /**
   * Runs a suite may plan: conversations (prompts) × voices × variants × runs over every scenario
   * (`max_runs`, default 100,000). A conversation of many turns is one run.
   */
  maxRuns: number;
  /** Characters in one prompt or one turn's `say` (`max_prompt_chars`, default 2,000). */
  maxPromptChars: number;
  /** Bytes in one scenario file, checked before it is read (`max_file_bytes`, default 1 MiB). */
  maxFileBytes: number;
}

/** A loaded suite: validated scenarios and the config they run with. */
export interface Suite {
  cwd: string;
  config: RussoConfig;
  /** Tool definitions from the agent's `tools` file; empty when none. */
  tools: ToolDefinition[];
  scenarios: Scenario[];
}

/**
 * The providers a config schema is built from (buildConfigSchema): their ids, descriptions and option
 * schemas, not their classes. suite/catalog.ts gives the registries.
 */
export interface ProviderCatalog {
  agents: Readonly<Record<string, Pick<AgentProvider, 'description' | 'optionsSchema'>>>;
  synthesizers: Readonly<Record<string, Pick<SynthesizerProvider, 'description' | 'optionsSchema'>>>;
  judges: Readonly<Record<string, Pick<JudgeProvider, 'description' | 'optionsSchema'>>>;
}

/**
 * What reading a config needs to know of the providers: the config schema built from them, compiled
 * ahead of time, and each synthesizer's default voices. The caller hands it in (suite/load.ts), so
 * that scenarios/ imports no provider and reading a config loads no SDK.
 */
export interface ConfigCatalog {
  synthesizers: Readonly<Record<string, Pick<SynthesizerProvider, 'defaultVoices'>>>;
  /** `buildConfigSchema(providerCatalog)` compiled ahead of time (precompiled-validators.ts). */
  validateConfig: ValidateFunction;
}
