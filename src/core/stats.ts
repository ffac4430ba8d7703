import type { RunResult, RunSummary } from './types.js';

/** Counts passed, failed and errored runs; rates are over completed runs, null when none completed. */
export function summarizeRuns(runs: readonly RunResult[]): RunSummary {
  let passed = 0;
  let failed = 0;
  let errored = 0;
  let matchSum = 0;
  for (const run of runs) {
    if (run.status === 'passed') passed++;
    else if (run.status === 'failed') failed++;
    else errored++;
    if (run.status !== 'error') matchSum += run.evalResult?.matchRate ?? 0;
  }
  const completed = passed + failed;
  return {
    total: runs.length,
    passed,
    failed,
    errored,
    passRate: completed === 0 ? null : passed / completed,
    matchRate: completed === 0 ? null : matchSum / completed,
  };
}

/** A confidence interval for a proportion. */
export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for `passed` successes out of `n` trials (95% by default). Unlike the
 * normal approximation it stays inside 0..1 and is honest for the small run counts voice tests use.
 */
export function wilsonInterval(passed: number, n: number, z = 1.959964): Interval | null {
  if (n === 0) return null;
  const p = passed / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** The p-th percentile (0..100) of `values` by linear interpolation; null for an empty list. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (rank - lower);
}

/** Latency percentiles (ms) of the runs that completed. */
export function latencyPercentiles(runs: readonly RunResult[]): { p50: number | null; p95: number | null } {
  const latencies = runs.filter((run) => run.status !== 'error').map((run) => run.latencyMs);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}
