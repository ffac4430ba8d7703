import type { Interval } from '../core/stats.js';
import type { RunResult, RunSummary } from '../core/types.js';
import type { Scenario } from '../scenarios/types.js';
import type { ScenarioBreakdown, SuiteBreakdown } from './breakdown.js';
import type { Comparison, FailOnRegression } from './compare.js';
import type { Consistency } from './consistency.js';
import type { MissingRuns, ShardRecord } from './shard.js';

/** One run of a suite: a run result plus which prompt, voice and variant it was. */
export interface SuiteRun extends RunResult {
  /** The run's stable id (see `runId`): the same on every machine for the same files and config. */
  id: string;
  /** Index of the prompt in `scenario.prompts`. */
  promptIndex: number;
  /** Voice (synthesizer voice) the prompt was spoken in. */
  voice: string;
  /** Name of the variant (audio condition) it was heard under; `default` when the suite names none. */
  variant: string;
}

/** Latency percentiles of completed runs, in ms. */
export interface LatencySummary {
  p50: number | null;
  p95: number | null;
}

/** Everything about one scenario after the suite ran. */
export interface ScenarioResult {
  scenario: Scenario;
  /** Runs in a stable order: prompt, then voice, then run index. */
  runs: SuiteRun[];
  summary: RunSummary;
  /** 95% Wilson interval of the pass rate; null when no run completed. */
  interval: Interval | null;
  latency: LatencySummary;
  /**
   * True when every variant's pass rate reached its threshold (`breakdown.variants`); for a scenario
   * without variants, when its pass rate reached `scenario.minPassRate`.
   */
  passed: boolean;
  /** Pass rate and interval per variant (each judged against its threshold) and per voice. */
  breakdown: ScenarioBreakdown;
  /** What the scenario asked (suite/expectation.ts): a baseline compares only scenarios whose hash is unchanged. */
  expectationHash: string;
}

/**
 * Why the gate failed, as data: renderers print `message`, annotations use `scenario`.
 * `regression`: a scenario dropped against the baseline (significantly, or per `fail-on-regression`);
 * `flaky_rate`: more prompt × voice × variant cells both passed and failed than `gate.max_flaky_rate` allows;
 * `variant_pass_rate`: a scenario's runs under one variant fell under that variant's threshold.
 */
export interface GateFailure {
  kind:
    | 'scenario_pass_rate'
    | 'variant_pass_rate'
    | 'suite_pass_rate'
    | 'regression'
    | 'flaky_rate'
    | 'errors'
    | 'stopped'
    | 'cancelled'
    | 'no_runs'
    | 'missing_runs';
  message: string;
  /** Name of the scenario, for `scenario_pass_rate`, `variant_pass_rate` and `regression`. */
  scenario?: string;
  /** Name of the variant, for `variant_pass_rate`. */
  variant?: string;
}

/**
 * The baseline a suite was judged against: `compared` (the comparison and the policy that gated on
 * it), or `missing` (one was asked for and none could be used: the gate held to thresholds alone).
 */
export type BaselineOutcome =
  | {
      status: 'compared';
      /** Where the baseline came from: a file, or the Actions cache key it was restored from. */
      source: string;
      failOn: FailOnRegression;
      comparison: Comparison;
    }
  | { status: 'missing'; reason: string };

/** A recorded run that `russo grade` could not grade again, and why. */
export interface NotReplayable {
  /** The run's id in the report. */
  id: string;
  scenario: string;
  reason: string;
}

/** What a replay graded again: the report it read, the runs graded, the runs it could not grade. */
export interface Replay {
  source: string;
  regraded: number;
  notReplayable: NotReplayable[];
}

/** A distinct error message and how many runs ended with it. */
export interface ErrorGroup {
  message: string;
  count: number;
}

/** What the providers did over the suite: requests, retries, throttles, cost, the audio cache, concurrency. */
export interface ProviderSummary {
  /** Provider requests sent by network providers, retries included. */
  requests: number;
  retries: number;
  /** Responses that asked russo to slow down (HTTP 429). */
  throttles: number;
  /** Estimated cost in USD from the price table; 0 for offline providers. */
  estimatedCostUsd: number;
  /** Speech requests made, and syntheses served without one (from the cache, or sharing a request in flight). */
  synthesis: { requests: number; cacheHits: number };
  /** Speech perturbed for variants (at most one per text, voice and variant), and perturbations served from the cache; absent without variants. */
  perturbed?: { made: number; cacheHits: number };
  /** The concurrency asked for, and the lowest it was lowered to under throttling. */
  concurrency: { max: number; lowest: number };
}

/** What `runSuite` returns and every renderer (terminal, JSON, JUnit, HTML, markdown, GitHub) reads. */
export interface SuiteResult {
  scenarios: ScenarioResult[];
  summary: RunSummary & { interval: Interval | null; latency: LatencySummary };
  gate: {
    passed: boolean;
    failures: GateFailure[];
    /** The suite threshold that applied, if any. */
    minPassRate: number | null;
    maxErrors: number;
    /** Share of prompt × voice cells allowed to be flaky (config `gate.max_flaky_rate`); null: no limit. */
    maxFlakyRate: number | null;
  };
  /** Pass rate and interval per variant and per voice over every scenario, and the SNR and speed sweeps. */
  breakdown: SuiteBreakdown;
  /** pass^k, flaky cells and the runs hint of every scenario (suite/consistency.ts). */
  consistency: Consistency;
  /** The comparison with a baseline; absent when none was asked for. */
  baseline?: BaselineOutcome;
  /** For a replay (`russo grade`): which report was graded again, and the runs that could not be. */
  replay?: Replay;
  /** Errors grouped by message, most frequent first. */
  errors: ErrorGroup[];
  /** Agent id and the voices used. */
  agent: string;
  voices: string[];
  startedAt: string;
  durationMs: number;
  /** True when a cancel or a fatal error stopped the suite before every run started. */
  cancelled: boolean;
  /** The fatal error (bad key, no quota) that stopped the suite, if any. */
  stoppedBy?: string;
  /** Provider counters; absent in reports made before they existed. */
  providers?: ProviderSummary;
  /** The shard this result is (`--shard i/n`) and the outline of the whole plan; absent when not sharded. */
  shard?: ShardRecord;
  /** Of merged shards: the planned runs that no shard reported; absent when none is missing. */
  missingRuns?: MissingRuns;
}
