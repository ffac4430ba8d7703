import type { RunSummary } from '../core/types.js';
import { reaches } from './gate.js';

/**
 * The verdict of one prompt over all its runs and voices (a JUnit testcase): `failed` when its
 * completed runs fall under the scenario's min_pass_rate (the gate's own rule applied to that
 * prompt's runs), otherwise `errored` when any of its runs errored (also when all did and there is
 * no pass rate), otherwise `passed`.
 */
export function promptVerdict(summary: RunSummary, minPassRate: number): 'passed' | 'failed' | 'errored' {
  const completed = summary.passed + summary.failed;
  if (completed > 0 && !reaches(summary.passRate, minPassRate)) return 'failed';
  return summary.errored > 0 ? 'errored' : 'passed';
}
