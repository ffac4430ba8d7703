import type { RunSummary } from '../core/types.js';
import type { FailOnRegression, ScenarioComparison } from './compare.js';
import type { MissingRuns } from './shard.js';
import type { ErrorGroup, GateFailure, ScenarioResult } from './types.js';

/** Everything the gate looks at. */
export interface GateInput {
  scenarios: ScenarioResult[];
  summary: RunSummary;
  minPassRate: number | null;
  maxErrors: number;
  cancelled: boolean;
  stoppedBy?: string;
  /** True for one shard of a suite: a shard may hold no run at all (more shards than runs). */
  sharded?: boolean;
  /** Of merged shards: the planned runs that no report held. */
  missingRuns?: MissingRuns;
  /** The scenarios that dropped against the baseline under `failOn` (compare.ts `regressions`). */
  regressions?: { rows: ScenarioComparison[]; failOn: FailOnRegression; alpha: number };
  /** Flaky prompt × voice cells and the share allowed (null: no limit). */
  flaky?: { cells: number; flakyCells: number; maxRate: number | null };
}

// Pass rates are ratios of small integers: allow for the rounding of 0.1-style thresholds.
const EPSILON = 1e-9;

/** True when a pass rate reaches a threshold. */
export function reaches(passRate: number | null, threshold: number): boolean {
  return passRate !== null && passRate + EPSILON >= threshold;
}

/**
 * Decides the verdict. Each reason is its own failure, so that errors are never disguised as
 * regressions: a scenario whose runs all errored fails on errors, not on its pass rate.
 */
export function judge(input: GateInput): {
  gate: { passed: boolean; failures: GateFailure[] };
  errors: ErrorGroup[];
} {
  const failures: GateFailure[] = [];
  const errors = groupErrors(input.scenarios);
  if (input.stoppedBy) {
    failures.push({ kind: 'stopped', message: `the suite stopped early: ${input.stoppedBy}` });
  } else if (input.cancelled) {
    failures.push({ kind: 'cancelled', message: 'the suite was cancelled before every run started' });
  }
  if (input.missingRuns) {
    failures.push({ kind: 'missing_runs', message: missingMessage(input.missingRuns) });
  }
  if (input.summary.total === 0 && !input.cancelled && !input.stoppedBy && !input.sharded) {
    failures.push({ kind: 'no_runs', message: 'no run was made: the suite has no prompts to run' });
  }
  for (const result of input.scenarios) {
    const { summary, scenario } = result;
    // A scenario with variants is judged per variant, each against its own threshold.
    if (scenario.variants !== undefined) {
      failures.push(...variantFailures(result));
      continue;
    }
    if (summary.passRate === null || reaches(summary.passRate, scenario.minPassRate)) continue;
    failures.push({
      kind: 'scenario_pass_rate',
      scenario: scenario.name,
      message: `${scenario.name}: pass rate ${rateText(summary)} is under ${percent(scenario.minPassRate)}`,
    });
  }
  for (const row of input.regressions?.rows ?? []) {
    failures.push({ kind: 'regression', scenario: row.name, message: regressionMessage(row, input) });
  }
  if (
    input.minPassRate !== null &&
    input.summary.passRate !== null &&
    !reaches(input.summary.passRate, input.minPassRate)
  ) {
    failures.push({
      kind: 'suite_pass_rate',
      message: `suite pass rate ${percent(input.summary.passRate)} is under ${percent(input.minPassRate)}`,
    });
  }
  const flaky = input.flaky;
  if (
    flaky &&
    flaky.maxRate !== null &&
    flaky.cells > 0 &&
    !within(flaky.flakyCells / flaky.cells, flaky.maxRate)
  ) {
    failures.push({
      kind: 'flaky_rate',
      message: `${flaky.flakyCells} of ${flaky.cells} prompt × voice cells are flaky (${percent(flaky.flakyCells / flaky.cells)}): more than ${percent(flaky.maxRate)}`,
    });
  }
  if (input.summary.errored > input.maxErrors) {
    const top = errors
      .slice(0, 3)
      .map((group) => `${group.message}${group.count > 1 ? ` (×${group.count})` : ''}`)
      .join('; ');
    failures.push({
      kind: 'errors',
      message: `${input.summary.errored} run${input.summary.errored === 1 ? '' : 's'} errored: ${top}${errors.length > 3 ? `; and ${errors.length - 3} other errors` : ''}`,
    });
  }
  return { gate: { passed: failures.length === 0, failures }, errors };
}

/** The variants of a scenario whose completed runs fell under the variant's threshold. */
function variantFailures(result: ScenarioResult): GateFailure[] {
  return result.breakdown.variants
    .filter(({ summary, passed }) => summary.passRate !== null && !passed)
    .map(({ name, summary, minPassRate }) => ({
      kind: 'variant_pass_rate',
      scenario: result.scenario.name,
      variant: name,
      message: `${result.scenario.name}, variant ${name}: pass rate ${rateText(summary)} is under ${percent(minPassRate)}`,
    }));
}

/** `62.5% (5/8)`: a pass rate with the runs it counts. */
function rateText(counts: { passRate: number | null; passed: number; failed: number }): string {
  return `${percent(counts.passRate as number)} (${counts.passed}/${counts.passed + counts.failed})`;
}

/**
 * `5 of 12 planned runs are in no report (no report of shard 2/3): a/p0/kal16/default/r0, …, and 3
 * more`: a merge of shards that lost some never passes on what was left.
 */
function missingMessage(missing: MissingRuns): string {
  const { count, planned, ids, shards, shardCount } = missing;
  const noReport =
    shards.length === 0
      ? ''
      : ` (no report of shard${shards.length === 1 ? '' : 's'} ${shards.map((index) => `${index}/${shardCount}`).join(', ')})`;
  const more = count > ids.length ? `, and ${count - ids.length} more` : '';
  return `${count} of ${planned} planned runs are in no report${noReport}: ${ids.join(', ')}${more}`;
}

/** True when a share stays at or under its limit (with the same allowance for rounding as `reaches`). */
function within(share: number, limit: number): boolean {
  return share <= limit + EPSILON;
}

/** `book a table: pass rate fell from 100% (8/8) to 37.5% (3/8), a significant drop at alpha 0.05`. */
function regressionMessage(row: ScenarioComparison, input: GateInput): string {
  const { base, current, significant } = row.change!;
  const how = significant
    ? `a significant drop at alpha ${input.regressions!.alpha}`
    : `a drop within noise, failed by fail-on-regression ${input.regressions!.failOn}`;
  return `${row.name}: pass rate fell from ${rateText(base)} to ${rateText(current)} against the baseline, ${how}`;
}

/** Errors by message, most frequent first. */
function groupErrors(scenarios: ScenarioResult[]): ErrorGroup[] {
  const counts = new Map<string, number>();
  for (const run of scenarios.flatMap((scenario) => scenario.runs)) {
    if (run.status === 'error')
      counts.set(run.error ?? 'unknown error', (counts.get(run.error ?? 'unknown error') ?? 0) + 1);
  }
  return [...counts]
    .map(([message, count]) => ({ message, count }))
    .sort((a, b) => b.count - a.count || a.message.localeCompare(b.message));
}

function percent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
