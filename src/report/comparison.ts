/**
 * A baseline comparison as text: one line per scenario, base → new with ▲/▼, significant changes
 * first (the order compare() gives), then the suite line and the verdict. The number formats are
 * exported so every renderer prints a delta and a p-value alike.
 */
import type { DifferenceInterval } from '../core/significance.js';
import type {
  Change,
  Comparison,
  FailOnRegression,
  ScenarioComparison,
  SideCounts,
} from '../suite/compare.js';
import { regressions } from '../suite/compare.js';
import { showControls } from './escape.js';
import { formatRate, NONE, plural } from './numbers.js';

/** A change of pass rate in points: `−40 pts`, `+5.5 pts`, `0 pts`; `—` for null. */
export function formatDelta(delta: number | null): string {
  if (delta === null) return NONE;
  const points = Number((delta * 100).toFixed(1));
  return `${points > 0 ? '+' : points < 0 ? '−' : ''}${Math.abs(points)} pts`;
}

/** An interval of a difference in whole points: `[−61, −17]`; `—` for null. */
export function formatDeltaInterval(interval: DifferenceInterval | null): string {
  if (interval === null) return NONE;
  const point = (value: number) => {
    const rounded = Math.round(value * 100);
    return rounded < 0 ? `−${-rounded}` : `${rounded}`;
  };
  return `[${point(interval.low)}, ${point(interval.high)}]`;
}

/** A p-value with two significant digits: `p = 0.038`, `p < 0.0001`, `p = 1`; `—` for null. */
export function formatPValue(p: number | null): string {
  if (p === null) return NONE;
  if (p < 0.0001) return 'p < 0.0001';
  return `p = ${Number(p.toPrecision(2))}`;
}

/** `▼` for a drop, `▲` for a rise, nothing when the rate held or was not compared. */
export function changeMark(change: Change | null): string {
  if (change === null || change.direction === 'same') return '';
  return change.direction === 'regression' ? '▼' : '▲';
}

const STYLES = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;
type Style = keyof typeof STYLES;

/** How to print a comparison. */
export interface ComparisonTextOptions {
  color: boolean;
  /** Which drops fail: the verdict line says so. */
  failOn: FailOnRegression;
}

/** The comparison for a terminal. */
export function renderComparisonText(comparison: Comparison, options: ComparisonTextOptions): string {
  const paint = (style: Style | undefined, text: string) =>
    options.color && style ? `\u001b[${STYLES[style]}m${text}\u001b[0m` : text;
  const rows = comparison.scenarios.map((row) => scenarioCells(row));
  const suite = comparison.suite;
  const compared = comparison.scenarios.filter((row) => row.status === 'compared').length;
  rows.push(['', `suite (${plural(compared, 'compared scenario')})`, ...changeCells(suite)]);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((cells) => width(cells[column]!))));
  const styles = [...comparison.scenarios.map((row) => rowStyle(row.change)), rowStyle(suite)];
  const lines = rows.map((cells, index) =>
    paint(
      styles[index],
      cells
        .map((cell, column) => cell + ' '.repeat(widths[column]! - width(cell)))
        .join('  ')
        .trimEnd(),
    ),
  );
  const header = `Compared with the baseline: Barnard's exact test, alpha ${comparison.alpha}, ${Math.round((1 - comparison.alpha) * 100)}% intervals of the change`;
  return `${header}\n\n${lines.slice(0, -1).join('\n')}\n\n${lines.at(-1)}\n\n${verdict(comparison, options, paint)}\n`;
}

function scenarioCells(row: ScenarioComparison): string[] {
  const name = showControls(row.name.replace(/\s+/g, ' '));
  if (row.change !== null) return [changeMark(row.change), name, ...changeCells(row.change)];
  return [NOTES[row.status], name, side(row.base), '→', side(row.current), '', '', '', ''];
}

/** What a scenario that was not compared is marked with. */
export const NOTES: Record<ScenarioComparison['status'], string> = {
  compared: '',
  new: 'new',
  removed: 'removed',
  changed: 'changed expectation',
  no_completed_runs: 'no completed run',
};

function changeCells(change: Change): string[] {
  return [
    side(change.base),
    '→',
    side(change.current),
    formatDelta(change.delta),
    formatDeltaInterval(change.interval),
    formatPValue(change.pValue),
    change.significant ? `significant ${change.direction}` : '',
  ];
}

/** `95% (19/20)`, or `—` for a side that is missing. */
function side(counts: SideCounts | null): string {
  if (counts === null) return NONE;
  return `${formatRate(counts.passRate)} (${counts.passed}/${counts.passed + counts.failed})`;
}

function rowStyle(change: Change | null): Style | undefined {
  if (change === null) return 'dim';
  if (!change.significant) return undefined;
  return change.direction === 'regression' ? 'red' : 'green';
}

function verdict(
  comparison: Comparison,
  options: ComparisonTextOptions,
  paint: (style: Style | undefined, text: string) => string,
): string {
  const failing = regressions(comparison, options.failOn);
  if (options.failOn === 'off') return 'No gate on regressions (--fail-on-regression off).';
  if (failing.length === 0) {
    return paint(
      'green',
      options.failOn === 'any' ? 'No scenario dropped.' : 'No scenario regressed significantly.',
    );
  }
  const names = failing.map((row) => showControls(row.name)).join(', ');
  const what = options.failOn === 'any' ? 'dropped' : 'regressed significantly';
  return paint('red', `${plural(failing.length, 'scenario')} ${what}: ${names}`);
}

/** Columns a cell takes (each character counts one; the marks and names are plain text). */
function width(text: string): number {
  return [...text].length;
}
