/**
 * The report the CLI prints when a suite ends: the scenario table (with a baseline, its change
 * column), consistency and flaky prompts, the failures, the errors, the verdict.
 */
import type { AgentResponse, TurnResult } from '../core/types.js';
import type { ScenarioConsistency } from '../suite/consistency.js';
import type { SuiteResult, SuiteRun } from '../suite/types.js';
import {
  baselineLine,
  changeCell,
  comparedBaseline,
  isSignificant,
  removedLine,
  suiteChangeLine,
  tableRows,
  type TableRow,
} from './baseline.js';
import { flakyCells, flakyCellText, flakyCellsText, runsNeededText } from './consistency.js';
import { showControls } from './escape.js';
import { replayLines } from './replay.js';
import { runLabel, runProblemLines, turnHead, turnProblemLines } from './failures.js';
import { listErrors } from './limits.js';
import { formatInterval, formatRate, plural } from './numbers.js';
import { providerText, summaryText, verdictText } from './summary.js';

/** How to print: colour is the CLI's decision (TTY, NO_COLOR, FORCE_COLOR), never guessed here. */
export interface TerminalOptions {
  color: boolean;
  /**
   * Columns of the terminal (at least 50): long names and prompts are cut to fit. Absent, nothing is
   * cut: a log or a pipe has no width, and a cut there loses the end of a line for good.
   */
  width?: number;
  /** Failed runs listed before the rest are only counted (default 10). */
  maxFailures?: number;
}

const STYLES = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;
type Style = keyof typeof STYLES;

/** Renders the end-of-run report for a terminal; lines never exceed `width` columns when one is given. */
export function renderTerminal(result: SuiteResult, options: TerminalOptions): string {
  const width = options.width === undefined ? Infinity : Math.max(50, options.width);
  const paint = (style: Style, text: string) =>
    options.color ? `\u001b[${STYLES[style]}m${text}\u001b[0m` : text;
  const sections = [
    replayLines(result)
      .map((line, index) => truncate(clean(index === 0 ? line : `  ${line}`), width))
      .join('\n'),
    baselineSection(result, width, paint),
    consistencySection(result, width, options.maxFailures ?? 10, paint),
    failureList(result, width, options.maxFailures ?? 10, paint),
    errorList(result, width, paint),
    verdict(result, width, paint),
  ];
  return `${sections.filter((section) => section.length > 0).join('\n\n')}\n`;
}

type Paint = (style: Style, text: string) => string;

/** A column of a table; `short` is its header when the terminal is narrow. The first column is cut to fit. */
interface Column<Row> {
  header: string;
  short: string;
  /** Left out first when even short headers do not fit. */
  optional?: boolean;
  cell(row: Row): string;
  style?(row: Row): Style | undefined;
}

const SCENARIO_COLUMNS: Column<TableRow>[] = [
  { header: 'Scenario', short: 'Scenario', cell: ({ result }) => clean(result.scenario.name) },
  { header: 'Pass rate', short: 'Rate', cell: ({ result }) => formatRate(result.summary.passRate) },
  {
    header: '95% CI',
    short: 'CI',
    optional: true,
    cell: ({ result }) => formatInterval(result.interval),
    style: () => 'dim',
  },
  { header: 'Runs', short: 'Runs', cell: ({ result }) => String(result.summary.total) },
  { header: 'Passed', short: 'Pass', cell: ({ result }) => String(result.summary.passed) },
  {
    header: 'Failed',
    short: 'Fail',
    cell: ({ result }) => String(result.summary.failed),
    style: ({ result }) => (result.summary.failed > 0 ? 'red' : undefined),
  },
  {
    header: 'Errored',
    short: 'Err',
    cell: ({ result }) => String(result.summary.errored),
    style: ({ result }) => (result.summary.errored > 0 ? 'yellow' : undefined),
  },
  {
    header: 'Min',
    short: 'Min',
    cell: ({ result }) => formatRate(result.scenario.minPassRate),
    style: () => 'dim',
  },
  {
    header: '',
    short: '',
    cell: ({ result }) => (result.passed ? '✓' : '✗'),
    style: ({ result }) => (result.passed ? 'green' : 'red'),
  },
];

/** With a baseline, after the pass rate: the change against it, significant ones in colour. */
const CHANGE_COLUMN: Column<TableRow> = {
  header: 'Change',
  short: 'Change',
  cell: ({ comparison }) => changeCell(comparison),
  style: ({ comparison }) =>
    isSignificant(comparison)
      ? comparison!.change!.direction === 'regression'
        ? 'red'
        : 'green'
      : comparison?.change === null
        ? 'dim'
        : undefined,
};

const MIN_NAME_WIDTH = 8;

function scenarioTable(result: SuiteResult, width: number, paint: Paint): string {
  if (result.scenarios.length === 0) return '';
  const columns = comparedBaseline(result)
    ? [...SCENARIO_COLUMNS.slice(0, 2), CHANGE_COLUMN, ...SCENARIO_COLUMNS.slice(2)]
    : SCENARIO_COLUMNS;
  return table(columns, tableRows(result), width, paint);
}

/** Lines of a table within `width`: numbers are never cut, the first column is. */
function table<Row>(columns: Column<Row>[], rows: Row[], width: number, paint: Paint): string {
  // Full headers if they fit, else short headers, else short headers without the optional columns.
  const layouts = [
    columns.map((column) => ({ column, header: column.header })),
    columns.map((column) => ({ column, header: column.short })),
    columns.filter((column) => !column.optional).map((column) => ({ column, header: column.short })),
  ].map((layout) => {
    const widths = layout.map(({ column, header }) =>
      Math.max(displayWidth(header), ...rows.map((row) => displayWidth(column.cell(row)))),
    );
    return { layout, widths, fixed: widths.slice(1).reduce((sum, columnWidth) => sum + columnWidth + 2, 0) };
  });
  const { layout, widths, fixed } =
    layouts.find((candidate) => candidate.fixed + MIN_NAME_WIDTH <= width) ??
    (layouts.at(-1) as (typeof layouts)[0]);
  // The name takes what the numbers leave: they are never cut, the name is.
  widths[0] = Math.max(MIN_NAME_WIDTH, Math.min(widths[0] as number, width - fixed));
  const line = (cells: Array<{ text: string; style?: Style | undefined }>) =>
    cells
      .map(({ text, style }, column) => {
        const padded = pad(truncate(text, widths[column] as number), widths[column] as number, column > 0);
        return style ? paint(style, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  return [
    paint('bold', line(layout.map(({ header }) => ({ text: header })))),
    ...rows.map((row) =>
      line(layout.map(({ column }) => ({ text: column.cell(row), style: column.style?.(row) }))),
    ),
  ].join('\n');
}

/**
 * The scenario table; with a baseline, the line that says what it was compared with first, the suite's
 * change and the removed scenarios after; without one that was asked for, the line that says so.
 */
function baselineSection(result: SuiteResult, width: number, paint: Paint): string {
  const line = baselineLine(result.baseline);
  const after = [suiteChangeLine(result), removedLine(result)].filter((text) => text !== undefined);
  return [
    ...(line ? [paint('dim', truncate(clean(line), width)), ''] : []),
    scenarioTable(result, width, paint),
    ...after.map((text) => truncate(clean(text), width)),
  ]
    .join('\n')
    .trim();
}

const CONSISTENCY_COLUMNS: Column<ScenarioConsistency>[] = [
  { header: 'Consistency', short: 'Scenario', cell: (measured) => clean(measured.name) },
  { header: 'k', short: 'k', cell: (measured) => String(measured.k), style: () => 'dim' },
  { header: 'pass^k', short: 'pass^k', cell: (measured) => formatRate(measured.passHatK) },
  { header: 'Flaky cells', short: 'Flaky', cell: flakyCellsText },
  {
    header: 'Runs for a 10-pt drop',
    short: '10-pt drop',
    optional: true,
    cell: runsNeededText,
    style: () => 'dim',
  },
];

/** pass^k, flaky cells and the runs hint per scenario, then the flaky prompts with their counts. */
function consistencySection(result: SuiteResult, width: number, max: number, paint: Paint): string {
  if (result.scenarios.length === 0) return '';
  const lines = [table(CONSISTENCY_COLUMNS, result.consistency.scenarios, width, paint)];
  const flaky = flakyCells(result);
  if (flaky.length > 0) {
    lines.push(
      '',
      paint('bold', truncate('Flaky prompts (passed and failed in one voice)', width)),
      ...flaky
        .slice(0, max)
        .map(({ scenario, cell }) => truncate(`  ${clean(scenario)} › ${clean(flakyCellText(cell))}`, width)),
    );
    if (flaky.length > max) {
      lines.push(paint('dim', truncate(`  … and ${flaky.length - max} more (see the JSON report)`, width)));
    }
  }
  return lines.join('\n');
}

function failureList(result: SuiteResult, width: number, max: number, paint: Paint): string {
  // Runs of failing scenarios first: when the list is cut, what broke the gate is still shown.
  const ordered = [...result.scenarios].sort((a, b) => Number(a.passed) - Number(b.passed));
  const failed = ordered.flatMap((scenarioResult) =>
    scenarioResult.runs
      .filter((run) => run.status === 'failed')
      .map((run) => ({ name: scenarioResult.scenario.name, run })),
  );
  if (failed.length === 0) return '';
  const shown = failed.slice(0, max);
  const lines = [
    paint(
      'bold',
      shown.length < failed.length ? `Failures (${shown.length} of ${failed.length})` : 'Failures',
    ),
  ];
  for (const { name, run } of shown) {
    // A conversation's turns follow, each with what its caller said: the heading names no prompt.
    const prompt = run.turns === undefined ? ` › ${clean(JSON.stringify(run.prompt))}` : '';
    lines.push(paint('red', truncate(`  ✗ ${clean(name)}${prompt} · ${runLabel(run)}`, width)));
    for (const detail of runDetails(run)) {
      const text = truncate(`      ${detail.text}`, width);
      lines.push(detail.style ? paint(detail.style, text) : text);
    }
  }
  if (failed.length > shown.length) {
    lines.push(
      paint(
        'dim',
        truncate(
          `  … and ${plural(failed.length - shown.length, 'more failed run')} (see the JSON or HTML report)`,
          width,
        ),
      ),
    );
  }
  return lines.join('\n');
}

/** A line under a failed run, painted after it is cut to the width (a cut must not split a colour code). */
interface Detail {
  text: string;
  style?: Style;
}

function runDetails(run: SuiteRun): Detail[] {
  if (run.turns !== undefined) return run.turns.flatMap(turnDetails);
  return [...heardLine(run.response), ...runProblemLines(run, { diffs: false })].map((line) => ({
    text: clean(line),
  }));
}

/** A conversation's turn: its verdict, and under a turn that did not pass what the agent heard and why. */
function turnDetails(turn: TurnResult): Detail[] {
  const head = clean(turnHead(turn));
  if (turn.status === 'passed') return [{ text: head }];
  if (turn.status === 'skipped') return [{ text: head, style: 'dim' }];
  const reasons = [...heardLine(turn.response), ...turnProblemLines(turn, { diffs: false })];
  return [{ text: head, style: 'red' }, ...reasons.map((line) => ({ text: `  ${clean(line)}` }))];
}

function heardLine(response: AgentResponse | undefined): string[] {
  return response?.transcript === undefined ? [] : [`heard: ${JSON.stringify(response.transcript)}`];
}

function errorList(result: SuiteResult, width: number, paint: Paint): string {
  if (result.errors.length === 0) return '';
  const lines = [paint('bold', `Errors (${plural(result.summary.errored, 'run')})`)];
  const { errors, leftOut } = listErrors(result.errors);
  for (const group of errors) {
    lines.push(
      `  ${paint('yellow', `${group.count}×`)} ${truncate(clean(group.message), width - String(group.count).length - 4)}`,
    );
  }
  if (leftOut) lines.push(paint('dim', truncate(`  … ${leftOut}`, width)));
  return lines.join('\n');
}

function verdict(result: SuiteResult, width: number, paint: Paint): string {
  const passed = result.gate.passed;
  const head = `${passed ? '✓' : '✗'} ${verdictText(result)}: ${summaryText(result)}`;
  const reasons = result.gate.failures.map((failure) => truncate(`  • ${clean(failure.message)}`, width));
  const providers = providerText(result);
  return [
    ...(providers ? [paint('dim', truncate(providers, width))] : []),
    paint(passed ? 'green' : 'red', paint('bold', truncate(head, width))),
    ...reasons,
  ].join('\n');
}

/** Text from a model or a file on one line, with nothing that could move the cursor or recolour the terminal. */
function clean(text: string): string {
  return showControls(text.replace(/\r\n|\r|\n/g, ' ↵ ').replace(/\t/g, ' '));
}

// East Asian wide and fullwidth characters and emoji take two columns; combining marks take none.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f\u2060]/u;

function charWidth(char: string): number {
  if (ZERO_WIDTH.test(char)) return 0;
  return WIDE.test(char) ? 2 : 1;
}

/** Columns a string takes in a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** Cuts text to at most `width` columns, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const next = charWidth(char);
    if (used + next > width - 1) break;
    out += char;
    used += next;
  }
  return `${out}…`;
}

function pad(text: string, width: number, right: boolean): string {
  const space = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? space + text : text + space;
}
