import { latencyPercentiles, summarizeRuns, wilsonInterval } from '../core/stats.js';
import type { Scenario } from '../scenarios/types.js';
import { expectationHash } from './expectation.js';
import { judge, reaches } from './gate.js';
import type { MissingRuns, ShardRecord } from './shard.js';
import type { ProviderSummary, ScenarioResult, SuiteResult, SuiteRun } from './types.js';

/** Summaries of one scenario's runs; `passed` is its own threshold only (errors are judged suite-wide). */
export function scenarioResult(scenario: Scenario, runs: SuiteRun[]): ScenarioResult {
  const summary = summarizeRuns(runs);
  return {
    scenario,
    runs,
    summary,
    interval: wilsonInterval(summary.passed, summary.passed + summary.failed),
    latency: latencyPercentiles(runs),
    passed: reaches(summary.passRate, scenario.minPassRate),
    expectationHash: expectationHash(scenario),
  };
}

/** What a suite result is made from: the scenarios' results and how the suite ran. */
export interface SuiteFacts {
  scenarios: ScenarioResult[];
  minPassRate: number | null;
  maxErrors: number;
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

/** Sums the scenarios and judges the gate: the one place a SuiteResult is assembled (runs and merges). */
export function suiteResult(facts: SuiteFacts): SuiteResult {
  const runs = facts.scenarios.flatMap((scenario) => scenario.runs);
  const summary = summarizeRuns(runs);
  const judged = judge({
    scenarios: facts.scenarios,
    summary,
    minPassRate: facts.minPassRate,
    maxErrors: facts.maxErrors,
    cancelled: facts.cancelled,
    ...(facts.stoppedBy === undefined ? {} : { stoppedBy: facts.stoppedBy }),
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
    gate: { ...judged.gate, minPassRate: facts.minPassRate, maxErrors: facts.maxErrors },
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
