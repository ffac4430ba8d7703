/**
 * The job summary: the verdict first, a table of scenarios, then a collapsible section per scenario
 * that did not pass cleanly. Summary cells are raw HTML, so every string that came from a model, an
 * agent or a file goes through `text()`. GitHub drops a step summary over 1 MiB whole: sections are
 * added while they fit, and a note points at the full report for the rest.
 */
import * as core from '@actions/core';
import type { Problem } from '../scenarios/errors.js';
import type { ScenarioTurn } from '../scenarios/types.js';
import {
  baselineLine,
  changeCell,
  comparedBaseline,
  isSignificant,
  removedLine,
  suiteChangeLine,
  tableRows,
  type TableRow,
} from '../report/baseline.js';
import { flakyCells, flakyCellText, flakySummaryText } from '../report/consistency.js';
import { escapeHtml } from '../report/escape.js';
import {
  callsText,
  runLabel,
  runProblemLines,
  runsByPrompt,
  transcriptLines,
  type PromptRuns,
} from '../report/failures.js';
import { formatInterval, formatRate, NONE, plural } from '../report/numbers.js';
import { providerText, scenarioRateText, summaryText } from '../report/summary.js';
import type { ScenarioResult, SuiteResult } from '../suite/types.js';
import type { AnnotationCounts } from './annotations.js';
import { actionResult, type ActionResult } from './outcome.js';

/** GitHub's limit for one step's summary; a larger one is not shown at all. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

// Room kept for the truncation note and the footer, which are always written.
const RESERVED_BYTES = 8 * 1024;
const MAX_LISTED = 20;
const MAX_PROMPTS_PER_SCENARIO = 10;
const MAX_RUNS_PER_PROMPT = 5;
const MAX_CELL_CHARS = 1000;
// A transcript holds every turn of a conversation: room for about ten turns in one cell.
const MAX_TRANSCRIPT_CHARS = 4000;

const HEADINGS: Record<ActionResult, string> = {
  passed: '✅ russo: passed',
  failed: '❌ russo: failed',
  error: '⚠️ russo: error',
  skipped: '⏭️ russo: skipped',
};

/** What the summary says besides the result itself. */
export interface SummaryContext {
  /** Path of the full report (HTML), named when the summary is cut and in the footer. */
  reportPath?: string;
  /** How many annotations were shown and how many only reached the log. */
  annotations?: AnnotationCounts;
  /** One line on what the audio cache did. */
  cacheNote?: string;
  /** One line on the baseline this run stored for its branch, if it stored one. */
  baselineNote?: string;
  /** Reports that could not be written: the path (relative to the workspace) and why. */
  missingReports?: ReadonlyArray<{ file: string; error: string }>;
  /** Byte limit of the whole summary (tests lower it). */
  limitBytes?: number;
}

/** The job summary of a suite result, as HTML within the size limit. */
export function suiteSummary(result: SuiteResult, context: SummaryContext = {}): string {
  const limit = (context.limitBytes ?? SUMMARY_LIMIT_BYTES) - RESERVED_BYTES;
  const head = section((s) => {
    s.addHeading(HEADINGS[actionResult(result)], 2).addRaw(`<p>${text(summaryText(result))}</p>`, true);
    s.addRaw(
      `<p>agent <code>${text(result.agent)}</code> · voices ${result.voices.map(code).join(', ')}</p>`,
      true,
    );
    const providers = providerText(result);
    if (providers) s.addRaw(`<p>${text(providers)}</p>`, true);
    if (result.gate.failures.length > 0)
      s.addList(listed(result.gate.failures.map((failure) => text(failure.message))));
    if (result.errors.length > 0) {
      s.addRaw('<p><b>Errors</b> (runs that could not be graded, not counted as failures):</p>', true);
      s.addList(listed(result.errors.map((group) => `${text(group.message)} (×${group.count})`)));
    }
    if (context.missingReports?.length) {
      const items = context.missingReports.map((report) => `${code(report.file)} (${text(report.error)})`);
      s.addRaw(`<p><b>Reports not written:</b> ${items.join('; ')}.</p>`, true);
    }
    const note = annotationNote(context.annotations);
    if (note) s.addRaw(`<p>${note}</p>`, true);
    const baseline = baselineLine(result.baseline);
    if (baseline) s.addRaw(`<p>${text(baseline)}</p>`, true);
  });
  let used = bytes(head);
  const rows = scenarioRows(result, limit - used);
  const compared = comparedBaseline(result) !== undefined;
  const after = [suiteChangeLine(result), removedLine(result)].filter((line) => line !== undefined);
  const table = section((s) => {
    s.addTable([compared ? COMPARED_HEADER : TABLE_HEADER, ...rows]);
    for (const line of after) s.addRaw(`<p>${text(line)}</p>`, true);
    const flaky = flakySummaryText(result);
    if (flaky) {
      s.addRaw(`<p><b>${text(flaky)}</b> (prompt in one voice: passed of completed runs):</p>`, true);
      s.addList(
        listed(
          flakyCells(result).map(({ scenario, cell }) => `${text(scenario)} › ${text(flakyCellText(cell))}`),
        ),
      );
    }
  });
  used += bytes(table);

  const details: string[] = [];
  const worth = result.scenarios.filter(
    (scenario) => !scenario.passed || scenario.summary.failed + scenario.summary.errored > 0,
  );
  for (const scenario of worth) {
    const block = section((s) => s.addDetails(detailsLabel(scenario), scenarioDetails(scenario)));
    if (used + bytes(block) > limit) break;
    details.push(block);
    used += bytes(block);
  }
  const cut = { rows: result.scenarios.length - rows.length, details: worth.length - details.length };
  const tail = section((s) => {
    if (cut.rows + cut.details > 0) {
      const parts = [
        ...(cut.rows > 0 ? [`${plural(cut.rows, 'scenario row')}`] : []),
        ...(cut.details > 0 ? [`the details of ${plural(cut.details, 'scenario')}`] : []),
      ];
      s.addRaw(
        `<p><b>Summary cut to stay under GitHub's 1 MiB limit:</b> ${parts.join(' and ')} not shown. ` +
          `${reportPointer(context)}</p>`,
        true,
      );
    }
    footer(s, context);
  });
  return head + table + details.join('') + tail;
}

/** The job summary when the scenarios or the config could not be loaded: every problem at its place. */
export function problemsSummary(problems: readonly Problem[]): string {
  return section((s) => {
    s.addHeading(HEADINGS.error, 2).addRaw('<p>The scenarios or the config could not be loaded:</p>', true);
    s.addTable([
      [
        { data: 'Where', header: true },
        { data: 'Problem', header: true },
        { data: 'Fix', header: true },
      ],
      ...problems.map((problem) => [
        code(problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file),
        text(problem.message) || '—',
        problem.hint ? text(problem.hint) : '—',
      ]),
    ]);
  });
}

/** The job summary for a run that did not happen or could not finish: the heading and why. */
export function noticeSummary(result: 'skipped' | 'error', message: string): string {
  return section((s) => s.addHeading(HEADINGS[result], 2).addRaw(`<p>${text(message)}</p>`, true));
}

/** Appends HTML to the step summary; without GITHUB_STEP_SUMMARY (not on a runner) it only logs that. */
export async function writeJobSummary(html: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info('No job summary written: GITHUB_STEP_SUMMARY is not set (not running on an Actions runner).');
    return;
  }
  await core.summary.emptyBuffer().addRaw(html).write();
}

// No empty cell anywhere: the toolkit's builder writes an empty cell as an unclosed tag.
const HEADERS = ['Result', 'Scenario', 'Pass rate', 'Runs', 'Passed', 'Failed', 'Errored', 'Min required'];
const TABLE_HEADER = HEADERS.map((data) => ({ data, header: true }));
// With a baseline: the change against it, after the pass rate.
const COMPARED_HEADER = [...HEADERS.slice(0, 3), 'Change', ...HEADERS.slice(3)].map((data) => ({
  data,
  header: true,
}));

/** The rows that fit in `budget` bytes; with a baseline, significant changes first and a Change cell. */
function scenarioRows(suite: SuiteResult, budget: number): string[][] {
  const compared = comparedBaseline(suite) !== undefined;
  const rows: string[][] = [];
  let used = 0;
  for (const { result, comparison } of tableRows(suite)) {
    const { summary, scenario } = result;
    const row = [
      result.passed ? (summary.errored > 0 ? '⚠️' : '✅') : '❌',
      `${text(scenario.name)}<br>${code(`${scenario.location.file}:${scenario.location.line}`)}`,
      summary.passRate === null
        ? formatRate(null)
        : `${formatRate(summary.passRate)} ${formatInterval(result.interval)}`,
      ...(compared ? [changeText(comparison)] : []),
      String(summary.total),
      String(summary.passed),
      String(summary.failed),
      String(summary.errored),
      formatRate(scenario.minPassRate),
    ];
    used += bytes(row.join('')) + 100;
    if (used > budget) break;
    rows.push(row);
  }
  return rows;
}

/** The change cell: significant changes in bold; never empty (the builder cannot write an empty cell). */
function changeText(comparison: TableRow['comparison']): string {
  const cell = text(changeCell(comparison)) || NONE;
  return isSignificant(comparison) ? `<b>${cell}</b>` : cell;
}

function detailsLabel(result: ScenarioResult): string {
  const icon = result.passed ? '⚠️' : '❌';
  const errored = result.summary.errored > 0 ? `, ${result.summary.errored} errored` : '';
  return `${icon} <b>${text(result.scenario.name)}</b>: ${text(scenarioRateText(result.summary, result.scenario.minPassRate))}${errored}`;
}

/**
 * Per prompt with a failed or errored run: the prompt, then what the agent heard, did and why it
 * failed; for a conversation, each such run's transcript.
 */
function scenarioDetails(result: ScenarioResult): string {
  const groups = runsByPrompt(result).filter((group) => group.summary.passed < group.summary.total);
  const parts = groups.slice(0, MAX_PROMPTS_PER_SCENARIO).map((group) => {
    const turns = result.scenario.turns;
    if (turns !== undefined) return conversationDetails(group, turns);
    const location = result.scenario.prompts[group.promptIndex]?.location;
    const bad = group.runs.filter((run) => run.status !== 'passed');
    const rows = bad
      .slice(0, MAX_RUNS_PER_PROMPT)
      .map((run) =>
        [
          text(runLabel(run)),
          text(run.response?.transcript ?? ''),
          codeLines(callsText(run)),
          codeLines(runProblemLines(run).join('\n')),
        ]
          .map((cell) => `<td>${cell}</td>`)
          .join(''),
      );
    const more = bad.length - rows.length;
    return (
      `<p><b>Prompt</b>${location ? ` (${code(`${location.file}:${location.line}`)})` : ''}: ${text(group.prompt)}</p>` +
      `<table><tr><th>Run</th><th>Heard</th><th>Calls</th><th>Why</th></tr>${rows.map((row) => `<tr>${row}</tr>`).join('')}</table>` +
      (more > 0 ? `<p>… and ${plural(more, 'more run')} like these in the full report.</p>` : '')
    );
  });
  const more = groups.length - parts.length;
  return parts.join('') + (more > 0 ? `<p>… and ${plural(more, 'more prompt')} in the full report.</p>` : '');
}

/** A conversation's failed and errored runs, each as its transcript turn by turn with the failed checks marked. */
function conversationDetails(group: PromptRuns, turns: readonly ScenarioTurn[]): string {
  const location = turns[0]?.location;
  const bad = group.runs.filter((run) => run.status !== 'passed');
  const rows = bad
    .slice(0, MAX_RUNS_PER_PROMPT)
    .map(
      (run) =>
        `<tr><td>${text(runLabel(run))}</td><td>${codeLines(transcriptLines(run).join('\n'), MAX_TRANSCRIPT_CHARS)}</td></tr>`,
    );
  const more = bad.length - rows.length;
  return (
    `<p><b>Conversation</b>${location ? ` (${code(`${location.file}:${location.line}`)})` : ''}, ${plural(turns.length, 'turn')}: ${text(group.prompt)}</p>` +
    `<table><tr><th>Run</th><th>Transcript</th></tr>${rows.join('')}</table>` +
    (more > 0 ? `<p>… and ${plural(more, 'more run')} like these in the full report.</p>` : '')
  );
}

function annotationNote(counts: AnnotationCounts | undefined): string | undefined {
  if (!counts) return undefined;
  const hidden = counts.errors.hidden + counts.warnings.hidden;
  const shown = counts.errors.shown + counts.warnings.shown;
  if (hidden === 0) return undefined;
  return (
    `${plural(shown + hidden, 'failing expectation')}: the worst ${shown} are annotated at their lines; ` +
    `${hidden} more are in the step log and the full report (GitHub shows 10 annotations of a kind per step).`
  );
}

function footer(s: typeof core.summary, context: SummaryContext): void {
  const lines = [
    ...(context.reportPath ? [reportPointer(context)] : []),
    ...(context.cacheNote ? [`Audio cache: ${text(context.cacheNote)}`] : []),
    ...(context.baselineNote ? [`Baseline: ${text(context.baselineNote)}`] : []),
  ];
  if (lines.length > 0) s.addRaw(`<p>${lines.join('<br>')}</p>`, true);
}

function reportPointer({ reportPath, missingReports }: SummaryContext): string {
  if (reportPath)
    return `Full report: ${code(reportPath)} (upload the report folder with <code>actions/upload-artifact</code>).`;
  return missingReports?.length
    ? 'The full report could not be written (see above).'
    : 'Set the <code>report-dir</code> input to write the full report.';
}

/** Builds one piece of HTML with the toolkit's summary builder, leaving its buffer empty. */
function section(build: (s: typeof core.summary) => void): string {
  core.summary.emptyBuffer();
  build(core.summary);
  const html = core.summary.stringify();
  core.summary.emptyBuffer();
  return html;
}

function listed(items: string[]): string[] {
  return items.length <= MAX_LISTED
    ? items
    : [...items.slice(0, MAX_LISTED), `… and ${items.length - MAX_LISTED} more`];
}

/**
 * Text from a model, an agent or a file, safe in an HTML cell: markup escaped, controls made
 * visible, line breaks as `<br>` (a blank line would end GitHub's HTML block and start markdown),
 * and clipped so one long transcript cannot fill the summary.
 */
function text(value: string): string {
  return escapeHtml(clip(value)).replace(/\r\n|\r|\n/g, '<br>');
}

function clip(value: string, max = MAX_CELL_CHARS): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

function code(value: string): string {
  return `<code>${text(value)}</code>`;
}

function codeLines(value: string, max = MAX_CELL_CHARS): string {
  if (value === '') return '';
  return clip(value, max)
    .split(/\r\n|\r|\n/)
    .map((line) => `<code>${escapeHtml(line)}</code>`)
    .join('<br>');
}

function bytes(html: string): number {
  return Buffer.byteLength(html, 'utf8');
}
