/**
 * The baseline in a suite's reports, as plain text every renderer shares (each one then escapes it):
 * the delta cell of the scenario tables, the line that says what was compared (or that nothing
 * was), the scenarios removed since the baseline, and the table order with significant changes first.
 */
import type { ScenarioComparison } from '../suite/compare.js';
import type { BaselineOutcome, ScenarioResult, SuiteResult } from '../suite/types.js';
import { changeMark, formatDelta, formatPValue, NOTES } from './comparison.js';
import { formatRate, plural } from './numbers.js';

/** A scenario result and, when the suite was compared with a baseline, its row of the comparison. */
export interface TableRow {
  result: ScenarioResult;
  /** Position of the scenario in the suite (anchors and details keep it). */
  index: number;
  comparison?: ScenarioComparison;
}

/** The comparison, when the suite was compared with a baseline. */
export function comparedBaseline(
  result: SuiteResult,
): Extract<BaselineOutcome, { status: 'compared' }> | undefined {
  return result.baseline?.status === 'compared' ? result.baseline : undefined;
}

/**
 * The rows of a scenario table: in the suite's order, or with a baseline in the comparison's order
 * (significant regressions, then significant improvements, then the rest as they ran).
 */
export function tableRows(result: SuiteResult): TableRow[] {
  const rows = result.scenarios.map((scenario, index) => ({ result: scenario, index }));
  const baseline = comparedBaseline(result);
  if (baseline === undefined) return rows;
  const byName = new Map(baseline.comparison.scenarios.map((row) => [row.name, row]));
  const order = new Map(baseline.comparison.scenarios.map((row, position) => [row.name, position]));
  return rows
    .map((row) => {
      const comparison = byName.get(row.result.scenario.name);
      return comparison === undefined ? row : { ...row, comparison };
    })
    .sort(
      (a, b) =>
        (order.get(a.result.scenario.name) ?? Infinity) - (order.get(b.result.scenario.name) ?? Infinity) ||
        a.index - b.index,
    );
}

/**
 * The delta cell of a scenario: `▼ −66.7 pts from 100%, significant`, `▲ +10 pts from 80%`, `0 pts
 * from 50%`, or what kept it from being compared (`new`, `changed expectation`, `no completed run`).
 */
export function changeCell(row: ScenarioComparison | undefined): string {
  if (row === undefined) return '';
  const change = row.change;
  if (change === null) return NOTES[row.status];
  const mark = changeMark(change);
  const text = `${mark ? `${mark} ` : ''}${formatDelta(change.delta)} from ${formatRate(change.base.passRate)}`;
  return change.significant ? `${text}, significant` : text;
}

/** True when a row's change is significant: renderers make it stand out. */
export function isSignificant(row: ScenarioComparison | undefined): boolean {
  return row?.change?.significant === true;
}

/**
 * The line above a compared table, or the one that says there was no baseline: `Against
 * baseline.json: Barnard's exact test at alpha 0.05; a significant drop fails the gate.` / `No
 * baseline: gated on thresholds alone (no baseline stored for main yet).`
 */
export function baselineLine(outcome: BaselineOutcome | undefined): string | undefined {
  if (outcome === undefined) return undefined;
  if (outcome.status === 'missing') return `No baseline: gated on thresholds alone (${outcome.reason}).`;
  const { comparison, failOn, source } = outcome;
  const gate = {
    significant: 'a significant drop fails the gate',
    any: 'any drop fails the gate (fail-on-regression any)',
    off: 'no drop fails the gate (fail-on-regression off)',
  }[failOn];
  return `Against ${source}: Barnard's exact test at alpha ${comparison.alpha}; ${gate}.`;
}

/** `Removed since the baseline: retired scenario (100%, 2/2)`; undefined when none was removed. */
export function removedLine(result: SuiteResult): string | undefined {
  const removed = comparedBaseline(result)?.comparison.scenarios.filter((row) => row.status === 'removed');
  if (!removed?.length) return undefined;
  const items = removed.map((row) => {
    const base = row.base;
    return base === null
      ? row.name
      : `${row.name} (${formatRate(base.passRate)}, ${base.passed}/${base.passed + base.failed})`;
  });
  return `Removed since the baseline: ${items.join(', ')}.`;
}

/** `suite: ▼ −20 pts from 90% over 3 compared scenarios (p = 0.04)`: the change over the compared scenarios. */
export function suiteChangeLine(result: SuiteResult): string | undefined {
  const baseline = comparedBaseline(result);
  if (baseline === undefined) return undefined;
  const { suite, scenarios } = baseline.comparison;
  const compared = scenarios.filter((row) => row.status === 'compared').length;
  if (compared === 0) return 'Suite: no scenario could be compared.';
  const mark = changeMark(suite);
  return `Suite over ${plural(compared, 'compared scenario')}: ${mark ? `${mark} ` : ''}${formatDelta(suite.delta)} from ${formatRate(suite.base.passRate)} (${formatPValue(suite.pValue)}${suite.significant ? ', significant' : ''}).`;
}
