import { latencyPercentiles, summarizeRuns, wilsonInterval } from '../core/stats.js';
import type { Scenario } from '../scenarios/types.js';
import { scenarioBreakdown, suiteBreakdown } from './breakdown.js';
import { checkAlpha, checkSameSuite, compare, regressions, type FailOnRegression } from './compare.js';
import { checkK, consistency } from './consistency.js';
import { expectationHash } from './expectation.js';
import { judge } from './gate.js';
import type { MissingRuns, ShardRecord } from './shard.js';
import type {
  BaselineOutcome,
  ProviderSummary,
  Replay,
  ScenarioResult,
  SuiteResult,
  SuiteRun,
} from './types.js';

/**
 * Summaries of one scenario's runs; `passed` is its own thresholds only, every variant's (errors are
 * judged suite-wide). Without variants the one default variant holds every run at the scenario's threshold.
 */
export function scenarioResult(scenario: Scenario, runs: SuiteRun[]): ScenarioResult {
  const summary = summarizeRuns(runs);
  const breakdown = scenarioBreakdown(scenario, runs);
  return {
    scenario,
    runs,
    summary,
    interval: wilsonInterval(summary.passed, summary.passed + summary.failed),
    latency: latencyPercentiles(runs),
    passed: breakdown.variants.every((variant) => variant.passed),
    breakdown,
    expectationHash: expectationHash(scenario),
  };
}

/**
 * A baseline to judge against: the base branch's result, where it came from and which drops fail;
 * or why there is none (the gate then holds to thresholds alone, and the reports say so).
 */
export type Baseline =
  { result: Pick<SuiteResult, 'scenarios'>; source: string; failOn: FailOnRegression } | { missing: string };

/** How a suite is judged besides its thresholds: the significance level, k of pass^k, a baseline. */
export interface JudgeOptions {
  /** Significance level of the baseline comparison and of the runs hint (default 0.05), in (0, 0.5]. */
  alpha?: number;
  /** k of pass^k for every scenario (default: each scenario's runs per prompt and voice, at most 8). */
  passK?: number;
  baseline?: Baseline;
}

/**
 * Checks judge options against the scenarios about to run, so that a bad alpha or k, or a baseline
 * of another suite, is refused before anything is spent (a ComparisonError: bad input).
 */
export function checkJudgeOptions(options: JudgeOptions, scenarioNames: readonly string[]): void {
  if (options.alpha !== undefined) checkAlpha(options.alpha);
  if (options.passK !== undefined) checkK(options.passK);
  const baseline = options.baseline;
  if (baseline && 'result' in baseline) {
    checkSameSuite(
      baseline.result.scenarios.map((result) => result.scenario.name),
      new Set(scenarioNames),
    );
  }
}

/** What a suite result is made from: the scenarios' results and how the suite ran. */
export interface SuiteFacts {
  scenarios: ScenarioResult[];
  minPassRate: number | null;
  maxErrors: number;
  /** Share of flaky prompt × voice cells the gate allows (config `gate.max_flaky_rate`); default: no limit. */
  maxFlakyRate?: number | null;
  judging?: JudgeOptions;
  replay?: Replay;
  cancelled: boolean;
  stoppedBy?: string;
  agent: string;
  voices: string[];
  startedAt: string;
  durationMs: number;
  providers?: ProviderSummary;
  /** The shard these results are, when the suite was sharded. */
  shard?: ShardRecord;
  /** Of merged shards: the planned runs no report held. */
  missingRuns?: MissingRuns;
}

/**
 * Sums the scenarios, measures their consistency, compares them with the baseline and judges the
 * gate: the one place a SuiteResult is assembled (runs, merges and replays).
 */
export function suiteResult(facts: SuiteFacts): SuiteResult {
  const runs = facts.scenarios.flatMap((scenario) => scenario.runs);
  const summary = summarizeRuns(runs);
  const judging = facts.judging ?? {};
  const alpha = judging.alpha;
  const measured = consistency(facts, {
    ...(alpha === undefined ? {} : { alpha }),
    ...(judging.passK === undefined ? {} : { k: judging.passK }),
  });
  const baseline = compareWithBaseline(facts, judging);
  const maxFlakyRate = facts.maxFlakyRate ?? null;
  const judged = judge({
    scenarios: facts.scenarios,
    summary,
    minPassRate: facts.minPassRate,
    maxErrors: facts.maxErrors,
    cancelled: facts.cancelled,
    ...(facts.stoppedBy === undefined ? {} : { stoppedBy: facts.stoppedBy }),
    ...(baseline?.status === 'compared'
      ? {
          regressions: {
            rows: regressions(baseline.comparison, baseline.failOn),
            failOn: baseline.failOn,
            alpha: baseline.comparison.alpha,
          },
        }
      : {}),
    flaky: { cells: measured.cells, flakyCells: measured.flakyCells, maxRate: maxFlakyRate },
    sharded: facts.shard !== undefined,
    ...(facts.missingRuns === undefined ? {} : { missingRuns: facts.missingRuns }),
  });
  return {
    scenarios: facts.scenarios,
    summary: {
      ...summary,
      interval: wilsonInterval(summary.passed, summary.passed + summary.failed),
      latency: latencyPercentiles(runs),
    },
    gate: { ...judged.gate, minPassRate: facts.minPassRate, maxErrors: facts.maxErrors, maxFlakyRate },
    breakdown: suiteBreakdown(facts.scenarios),
    consistency: measured,
    ...(baseline === undefined ? {} : { baseline }),
    ...(facts.replay === undefined ? {} : { replay: facts.replay }),
    errors: judged.errors,
    agent: facts.agent,
    voices: facts.voices,
    startedAt: facts.startedAt,
    durationMs: facts.durationMs,
    cancelled: facts.cancelled,
    ...(facts.stoppedBy === undefined ? {} : { stoppedBy: facts.stoppedBy }),
    ...(facts.providers === undefined ? {} : { providers: facts.providers }),
    ...(facts.shard === undefined ? {} : { shard: facts.shard }),
    ...(facts.missingRuns === undefined ? {} : { missingRuns: facts.missingRuns }),
  };
}

function compareWithBaseline(facts: SuiteFacts, judging: JudgeOptions): BaselineOutcome | undefined {
  const baseline = judging.baseline;
  if (baseline === undefined) return undefined;
  if ('missing' in baseline) return { status: 'missing', reason: baseline.missing };
  return {
    status: 'compared',
    source: baseline.source,
    failOn: baseline.failOn,
    comparison: compare(baseline.result, facts, {
      ...(judging.alpha === undefined ? {} : { alpha: judging.alpha }),
    }),
  };
}
