/**
 * Consistency as plain text every renderer shares (each one then escapes it): pass^k, the flaky
 * prompt × voice cells with their counts, and how many runs a 10-point drop needs.
 */
import { HINT_DROP, type CellCounts, type ScenarioConsistency } from '../suite/consistency.js';
import type { SuiteResult } from '../suite/types.js';
import { formatRate, NONE, plural } from './numbers.js';

/** `62.5% (k = 3)`; `— (k = 3)` when fewer than k runs completed. */
export function passHatKText(measured: ScenarioConsistency): string {
  return `${measured.passHatK === null ? NONE : formatRate(measured.passHatK)} (k = ${measured.k})`;
}

/** `1 of 4`: flaky cells of the cells with a completed run; `—` when none completed. */
export function flakyCellsText(measured: ScenarioConsistency): string {
  return measured.cells === 0 ? NONE : `${measured.flaky.length} of ${measured.cells}`;
}

/** `226 (runs: 57)`: completed runs a 10-point drop needs, and the `runs` setting that gives them. */
export function runsNeededText(measured: ScenarioConsistency): string {
  const hint = measured.runsNeeded;
  return hint === null ? NONE : `${hint.total} (runs: ${hint.perPromptAndVoice})`;
}

/** The title of the runs hint column, with its drop and alpha. */
export function runsNeededTitle(result: SuiteResult): string {
  return `Runs to see a ${Math.round(HINT_DROP * 100)}-point drop (alpha ${result.consistency.alpha})`;
}

/** One flaky cell: `"Book a table for two" · slt: 1 of 3 passed (1 errored)`. */
export function flakyCellText(cell: CellCounts): string {
  const errored = cell.errored > 0 ? ` (${cell.errored} errored)` : '';
  return `"${cell.prompt}" · ${cell.voice}: ${cell.passed} of ${cell.passed + cell.failed} passed${errored}`;
}

/** Every flaky cell of the suite with its scenario, in the suite's order. */
export function flakyCells(result: SuiteResult): Array<{ scenario: string; cell: CellCounts }> {
  return result.consistency.scenarios.flatMap((measured) =>
    measured.flaky.map((cell) => ({ scenario: measured.name, cell })),
  );
}

/** `Flaky: 5 of 8 prompt × voice cells passed and failed (62.5%)`; undefined when none is. */
export function flakySummaryText(result: SuiteResult): string | undefined {
  const { flakyCells: flaky, cells, flakyRate } = result.consistency;
  if (flaky === 0) return undefined;
  return `Flaky: ${flaky} of ${plural(cells, 'prompt × voice cell')} both passed and failed (${formatRate(flakyRate)})`;
}
