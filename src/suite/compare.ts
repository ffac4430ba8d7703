/**
 * A baseline comparison: what changed between a base branch's suite result and a new one, per
 * scenario and for the suite, and whether each change is real (Barnard's exact test, core/significance.ts)
 * or within noise. The result is data that every renderer, the gate and the Action read as it is.
 */
import { RussoError } from '../core/errors.js';
import {
  barnardTest,
  differenceInterval,
  normalQuantile,
  type DifferenceInterval,
} from '../core/significance.js';
import type { ScenarioResult } from './types.js';

/** A comparison that cannot be made: a baseline of another suite, an alpha or k out of range. Bad input (exit 2). */
export class ComparisonError extends RussoError {}

/** The significance level when none is given. */
export const DEFAULT_ALPHA = 0.05;

/** Which drops fail the gate: significant ones, any drop, or none. */
export type FailOnRegression = 'significant' | 'any' | 'off';

/** One side's counts; the pass rate is over completed runs (errors excluded, as everywhere). */
export interface SideCounts {
  passed: number;
  failed: number;
  errored: number;
  passRate: number | null;
}

/** A change between the base and the new counts. */
export interface Change {
  base: SideCounts;
  current: SideCounts;
  /** New pass rate minus base pass rate; null when a side has no completed run. */
  delta: number | null;
  /** Newcombe's hybrid score interval of `delta` at level 1 − alpha; null with `delta`. */
  interval: DifferenceInterval | null;
  /** Two-sided p-value of Barnard's exact test; null with `delta`. */
  pValue: number | null;
  /** p < alpha. */
  significant: boolean;
  /** The sign of `delta`, significant or not. */
  direction: 'regression' | 'improvement' | 'same';
}

/**
 * How a scenario compares. `compared`: in both with the same expectation hash. `new`, `removed`:
 * in one report only. `changed`: its expectation hash differs, so its rates measure different things.
 * `no_completed_runs`: same expectation, but every run of a side errored. Only `compared` has a change.
 */
export type ComparisonStatus = 'compared' | 'new' | 'removed' | 'changed' | 'no_completed_runs';

/** One scenario of a comparison. */
export interface ScenarioComparison {
  name: string;
  status: ComparisonStatus;
  /** Where the scenario is written (the new report's place, else the baseline's). */
  file: string;
  line: number;
  /** Null when the scenario is not in the baseline. */
  base: SideCounts | null;
  /** Null when the scenario is not in the new result. */
  current: SideCounts | null;
  /** Set only for `compared`. */
  change: Change | null;
}

/** A comparison of a new suite result with a baseline. */
export interface Comparison {
  alpha: number;
  /** The test behind `pValue` and `significant`. */
  test: 'barnard';
  /**
   * Significant changes first (regressions, then improvements, smallest p first), then the other
   * scenarios in the new result's order, then the removed ones in the baseline's order.
   */
  scenarios: ScenarioComparison[];
  /** The runs of the `compared` scenarios summed, so that both sides hold the same scenarios. */
  suite: Change;
}

/**
 * What a comparison reads of each scenario: its name and place, its counts and its expectation hash
 * (a ScenarioResult has them; report/json.ts's comparedSuiteOf reads them from a report without
 * rebuilding its runs).
 */
export interface ComparedScenario {
  scenario: Pick<ScenarioResult['scenario'], 'name' | 'location'>;
  summary: Pick<ScenarioResult['summary'], 'passed' | 'failed' | 'errored' | 'passRate'>;
  expectationHash: string;
}

/** What a comparison reads of a suite result. */
export interface ComparedSuite {
  scenarios: readonly ComparedScenario[];
}

/** Compares `current` with `baseline`; throws a ComparisonError when they cannot be compared. */
export function compare(
  baseline: ComparedSuite,
  current: ComparedSuite,
  options: { alpha?: number } = {},
): Comparison {
  const alpha = checkAlpha(options.alpha ?? DEFAULT_ALPHA);
  const z = normalQuantile(1 - alpha / 2);
  const bases = new Map(baseline.scenarios.map((result) => [result.scenario.name, result]));
  const names = new Set(current.scenarios.map((result) => result.scenario.name));
  checkSameSuite(bases.keys(), names);
  const rows: ScenarioComparison[] = current.scenarios.map((result) => {
    const base = bases.get(result.scenario.name);
    return base === undefined ? side(result, 'new', null, counts(result)) : pair(base, result, alpha, z);
  });
  const removed = baseline.scenarios
    .filter((result) => !names.has(result.scenario.name))
    .map((result) => side(result, 'removed', counts(result), null));
  const comparable = rows.filter((row) => row.status === 'compared');
  const suite = change(
    sum(comparable.map((row) => row.base!)),
    sum(comparable.map((row) => row.current!)),
    alpha,
    z,
  );
  return { alpha, test: 'barnard', scenarios: [...rows.sort(bySignificance), ...removed], suite };
}

/**
 * The scenarios whose drop fails the gate under `policy`: significant regressions, any drop in pass
 * rate, or none.
 */
export function regressions(comparison: Comparison, policy: FailOnRegression): ScenarioComparison[] {
  if (policy === 'off') return [];
  return comparison.scenarios.filter(
    ({ change }) =>
      change !== null && change.direction === 'regression' && (policy === 'any' || change.significant),
  );
}

/**
 * Throws a ComparisonError when a baseline's scenario names have none in common with the new ones:
 * a baseline of another suite compares nothing. Checked before a run too, so nothing is spent on it.
 */
export function checkSameSuite(baseNames: Iterable<string>, names: ReadonlySet<string>): void {
  for (const name of baseNames) if (names.has(name)) return;
  throw new ComparisonError(
    'the baseline has no scenario in common with the new report: it is a baseline from a different suite',
    'compare two reports of the same scenario files (scenarios are joined by name)',
  );
}

/** The alpha itself, when it is a significance level russo accepts: 0 < alpha ≤ 0.5. */
export function checkAlpha(alpha: number): number {
  if (!(alpha > 0 && alpha <= 0.5)) {
    throw new ComparisonError(
      `alpha ${alpha} is outside (0, 0.5]: it is the chance of calling noise a change`,
      'use a small share such as 0.05 (the default) or 0.01',
    );
  }
  return alpha;
}

function pair(
  base: ComparedScenario,
  result: ComparedScenario,
  alpha: number,
  z: number,
): ScenarioComparison {
  const before = counts(base);
  const after = counts(result);
  if (base.expectationHash !== result.expectationHash) return side(result, 'changed', before, after);
  if (before.passRate === null || after.passRate === null) {
    return side(result, 'no_completed_runs', before, after);
  }
  return { ...side(result, 'compared', before, after), change: change(before, after, alpha, z) };
}

function side(
  result: ComparedScenario,
  status: ComparisonStatus,
  base: SideCounts | null,
  current: SideCounts | null,
): ScenarioComparison {
  const { name, location } = result.scenario;
  return { name, status, file: location.file, line: location.line, base, current, change: null };
}

function counts(result: ComparedScenario): SideCounts {
  const { passed, failed, errored, passRate } = result.summary;
  return { passed, failed, errored, passRate };
}

function sum(sides: SideCounts[]): SideCounts {
  const passed = sides.reduce((total, one) => total + one.passed, 0);
  const failed = sides.reduce((total, one) => total + one.failed, 0);
  const errored = sides.reduce((total, one) => total + one.errored, 0);
  return { passed, failed, errored, passRate: passed + failed === 0 ? null : passed / (passed + failed) };
}

function change(base: SideCounts, current: SideCounts, alpha: number, z: number): Change {
  if (base.passRate === null || current.passRate === null) {
    return {
      base,
      current,
      delta: null,
      interval: null,
      pValue: null,
      significant: false,
      direction: 'same',
    };
  }
  const before = { passed: base.passed, n: base.passed + base.failed };
  const after = { passed: current.passed, n: current.passed + current.failed };
  const delta = current.passRate - base.passRate;
  const pValue = barnardTest(before, after);
  return {
    base,
    current,
    delta,
    interval: differenceInterval(before, after, z),
    pValue,
    significant: pValue < alpha,
    direction: delta < 0 ? 'regression' : delta > 0 ? 'improvement' : 'same',
  };
}

/** Significant regressions, then significant improvements, each by p-value; the rest keep their order. */
function bySignificance(a: ScenarioComparison, b: ScenarioComparison): number {
  return rank(a) - rank(b) || (rank(a) < 2 ? a.change!.pValue! - b.change!.pValue! : 0);
}

function rank(row: ScenarioComparison): number {
  if (!row.change?.significant) return 2;
  return row.change.direction === 'regression' ? 0 : 1;
}
