/** The suite-level sentences every report opens with, as plain text (each renderer escapes them). */
import type { SuiteResult } from '../suite/types.js';
import { formatDuration, formatRate, plural } from './numbers.js';

/** `gate passed` or `gate failed`. */
export function verdictText(result: SuiteResult): string {
  return result.gate.passed ? 'gate passed' : 'gate failed';
}

/** `14/20 runs passed (70%), 4 errored, 5 scenarios in 12.3 s`: the counts behind the verdict. */
export function summaryText(result: SuiteResult): string {
  const { passed, failed, errored } = result.summary;
  const parts = [`${passed}/${passed + failed} runs passed (${formatRate(result.summary.passRate)})`];
  if (errored > 0) parts.push(`${errored} errored`);
  parts.push(`${plural(result.scenarios.length, 'scenario')} in ${formatDuration(result.durationMs)}`);
  if (result.stoppedBy !== undefined) parts.push('stopped early');
  else if (result.cancelled) parts.push('cancelled');
  return parts.join(', ');
}

/** `33.3% passed (2/6), needs 80%`: a pass rate against its threshold; `no run completed, needs 80%`. */
export function scenarioRateText(
  summary: { passed: number; failed: number; passRate: number | null },
  minPassRate: number,
): string {
  const completed = summary.passed + summary.failed;
  const rate =
    completed === 0
      ? 'no run completed'
      : `${formatRate(summary.passRate)} passed (${summary.passed}/${completed})`;
  return `${rate}, needs ${formatRate(minPassRate)}`;
}
