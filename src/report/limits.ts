/**
 * How much of a large suite the human-readable reports list. The JSON report lists every run; the
 * terminal, HTML, markdown and JUnit reports stay readable (and the job summary and PR comment under
 * GitHub's size limits) by listing runs, failures and errors up to a cap, with a line that says how
 * many were left out and that the JSON report has them.
 */
import type { ErrorGroup, SuiteResult, SuiteRun } from '../suite/types.js';
import { plural } from './numbers.js';

/** A suite of more runs than this lists only the runs that did not pass (HTML rows, JUnit logs). */
export const LISTED_RUNS = 1000;
/** Runs that did not pass listed per scenario or prompt in such a suite; also run labels per failure. */
export const LISTED_FAILURES = 20;
/** Distinct ways of failing shown per prompt (markdown), and error messages listed. */
export const LISTED_GROUPS = 10;

/** Where every run, failure and error is, for the lines that say what a report left out. */
export const FULL_REPORT = 'the JSON report (--json) lists every run';

/** Runs a report lists out of some runs (a scenario's, a prompt's), and how many it left out. */
export interface RunListing {
  runs: SuiteRun[];
  /** Passed runs not listed. */
  passed: number;
  /** Runs that did not pass, not listed (over the cap). */
  other: number;
}

/**
 * The runs to list: all of them while the suite has at most `LISTED_RUNS` runs, else only those
 * that did not pass, the first `LISTED_FAILURES` of them.
 */
export function listRuns(result: SuiteResult, runs: readonly SuiteRun[]): RunListing {
  if (result.summary.total <= LISTED_RUNS) return { runs: [...runs], passed: 0, other: 0 };
  const notPassed = runs.filter((run) => run.status !== 'passed');
  const listed = notPassed.slice(0, LISTED_FAILURES);
  return { runs: listed, passed: runs.length - notPassed.length, other: notPassed.length - listed.length };
}

/** `4,980 passed runs and 30 more runs that did not pass are not listed: …`; empty when none was left out. */
export function leftOutRunsText(listing: RunListing): string {
  const parts = [
    ...(listing.passed > 0 ? [plural(listing.passed, 'passed run')] : []),
    ...(listing.other > 0 ? [`${plural(listing.other, 'more run')} that did not pass`] : []),
  ];
  if (parts.length === 0) return '';
  return `${parts.join(' and ')} ${listing.passed + listing.other === 1 ? 'is' : 'are'} not listed: ${FULL_REPORT}.`;
}

/** The first error groups to list, and a line for the rest (empty when all are listed). */
export function listErrors(errors: readonly ErrorGroup[]): { errors: ErrorGroup[]; leftOut: string } {
  const listed = errors.slice(0, LISTED_GROUPS);
  const rest = errors.slice(LISTED_GROUPS);
  if (rest.length === 0) return { errors: listed, leftOut: '' };
  const runs = rest.reduce((sum, group) => sum + group.count, 0);
  return {
    errors: listed,
    leftOut: `${plural(rest.length, 'more error message')} (${plural(runs, 'run')}) not listed: ${FULL_REPORT}.`,
  };
}
