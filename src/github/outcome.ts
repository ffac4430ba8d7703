import type { SuiteResult } from '../suite/types.js';

/** The Action's `result` output: what a later step or a notification branches on. */
export type ActionResult = 'passed' | 'failed' | 'error' | 'skipped';

// What the agent did wrong, measured: a pass rate under its threshold, a drop against the baseline,
// too many flaky prompts.
const MEASURED = new Set(['scenario_pass_rate', 'suite_pass_rate', 'regression', 'flaky_rate']);

/**
 * `failed` means a regression was measured (a pass rate under its threshold, a drop against the
 * baseline, too many flaky prompts); `error` means the suite could not be judged cleanly (it
 * stopped, was cancelled, ran nothing, runs errored, or merged shards miss runs), so infrastructure
 * needs a look before the agent does. A suite that stopped early is `error` even if a pass rate
 * also fell short: too few runs finished to trust it.
 */
export function actionResult(result: SuiteResult): ActionResult {
  if (result.gate.passed) return 'passed';
  const kinds = new Set(result.gate.failures.map((failure) => failure.kind));
  if (kinds.has('stopped') || kinds.has('cancelled') || kinds.has('no_runs')) return 'error';
  // Merged shards that lost runs: the pass rates cover part of the suite only.
  if (kinds.has('missing_runs')) return 'error';
  if ([...kinds].some((kind) => MEASURED.has(kind))) return 'failed';
  return 'error';
}
