import { latencyPercentiles, summarizeRuns, wilsonInterval } from '../core/stats.js';
import type { Scenario } from '../scenarios/types.js';
import { scenarioBreakdown, suiteBreakdown } from './breakdown.js';
import { expectationHash } from './expectation.js';
import { judge } from './gate.js';
import type { ProviderSummary, ScenarioResult, SuiteResult, SuiteRun } from './types.js';

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
  });
  return {
    scenarios: facts.scenarios,
    summary: {
      ...summary,
      interval: wilsonInterval(summary.passed, summary.passed + summary.failed),
      latency: latencyPercentiles(runs),
    },
    gate: { ...judged.gate, minPassRate: facts.minPassRate, maxErrors: facts.maxErrors },
    breakdown: suiteBreakdown(facts.scenarios),
    errors: judged.errors,
    agent: facts.agent,
    voices: facts.voices,
    startedAt: facts.startedAt,
    durationMs: facts.durationMs,
    cancelled: facts.cancelled,
    ...(facts.stoppedBy === undefined ? {} : { stoppedBy: facts.stoppedBy }),
    ...(facts.providers === undefined ? {} : { providers: facts.providers }),
  };
}
