/**
 * The gate's failures as JUnit testcases: a CI system that reads only JUnit sees why the merge was
 * gated, as the terminal and markdown reports say it. Each failure of `result.gate` is one failing
 * testcase, named by its kind (and scenario, variant), with the kind as the failure's `type`, the
 * gate's message as its `message`, and below it what a reader needs to act: the comparison behind a
 * regression, the flaky cells behind a flaky rate, the error groups behind too many errors. The
 * renderer only reads the gate's verdict; it never judges again.
 */
import type { GateFailure, SuiteResult } from '../suite/types.js';
import { formatDelta, formatDeltaInterval, formatPValue } from './comparison.js';
import { flakyCells, flakyCellText } from './consistency.js';
import { FULL_REPORT, LISTED_FAILURES, listErrors } from './limits.js';
import { plural } from './numbers.js';

/** One failure of the gate as a testcase. */
export interface GateCase {
  /** `regression: book a table`, `variant_pass_rate: book [cafe]`, `flaky_rate`. */
  name: string;
  kind: GateFailure['kind'];
  message: string;
  /** The failure's text: the message, then its details. */
  text: string;
  /** The scenario (or variant) the failure is about, where it is written. */
  file?: string;
  line?: number;
}

/** The testsuite the gate's testcases are in (and their classname). */
export const GATE_SUITE = 'russo gate';

/** A testcase per failure of the gate, in the gate's order; none when the gate passed. */
export function gateCases(result: SuiteResult): GateCase[] {
  return result.gate.failures.map((failure) => {
    const details = detailLines(failure, result);
    return {
      name: caseName(failure),
      kind: failure.kind,
      message: failure.message,
      text: [failure.message, ...details].join('\n'),
      ...locationOf(failure, result),
    };
  });
}

function caseName(failure: GateFailure): string {
  if (failure.scenario === undefined) return failure.kind;
  const variant = failure.variant === undefined ? '' : ` [${failure.variant}]`;
  return `${failure.kind}: ${failure.scenario}${variant}`;
}

/** The scenario's file and line, or its variant's when the failure names one that is written down. */
function locationOf(failure: GateFailure, result: SuiteResult): { file?: string; line?: number } {
  const scenario = result.scenarios.find((measured) => measured.scenario.name === failure.scenario)?.scenario;
  if (scenario === undefined) return {};
  const variant = scenario.variants?.find(({ variant: { name } }) => name === failure.variant);
  const { file, line } = variant?.location ?? scenario.location;
  return { file, line };
}

function detailLines(failure: GateFailure, result: SuiteResult): string[] {
  switch (failure.kind) {
    case 'regression':
      return regressionLines(failure, result);
    case 'flaky_rate':
      return flakyLines(result);
    case 'errors':
      return errorLines(result);
    default:
      return [];
  }
}

/** `change −62.5 pts, 95% CI [−85, −25], p = 0.0031 (Barnard's exact test); baseline base.json`. */
function regressionLines(failure: GateFailure, result: SuiteResult): string[] {
  const baseline = result.baseline;
  if (baseline?.status !== 'compared') return [];
  const { comparison, source } = baseline;
  const change = comparison.scenarios.find((row) => row.name === failure.scenario)?.change;
  if (!change) return [];
  const level = Math.round((1 - comparison.alpha) * 100);
  return [
    `change ${formatDelta(change.delta)}, ${level}% CI ${formatDeltaInterval(change.interval)}, ${formatPValue(change.pValue)} (Barnard's exact test); baseline ${source}`,
  ];
}

/** The flaky cells, scenario › prompt · voice: counts, the first LISTED_FAILURES of them. */
function flakyLines(result: SuiteResult): string[] {
  const cells = flakyCells(result);
  const listed = cells
    .slice(0, LISTED_FAILURES)
    .map(({ scenario, cell }) => `${scenario} › ${flakyCellText(cell)}`);
  const rest = cells.length - listed.length;
  return [
    'Flaky cells (passed and failed in one voice):',
    ...listed,
    ...(rest > 0 ? [`${plural(rest, 'more flaky cell')} not listed: ${FULL_REPORT}.`] : []),
  ];
}

/** The errors by message, most frequent first: `3× agent: timed out after 60 s`. */
function errorLines(result: SuiteResult): string[] {
  const { errors, leftOut } = listErrors(result.errors);
  return [...errors.map((group) => `${group.count}× ${group.message}`), ...(leftOut ? [leftOut] : [])];
}
