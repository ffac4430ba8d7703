/**
 * The markdown report (GitHub flavour): the `--markdown` file, the job summary, and in its short form
 * the sticky PR comment. Everything that came from a model, an agent or a file is escaped.
 */
import type { Scenario } from '../scenarios/types.js';
import type { ScenarioResult, SuiteResult, SuiteRun } from '../suite/types.js';
import {
  baselineLine,
  changeCell,
  comparedBaseline,
  isSignificant,
  removedLine,
  suiteChangeLine,
  tableRows,
} from './baseline.js';
import {
  flakyCells,
  flakyCellsText,
  flakyCellText,
  passHatKText,
  runsNeededText,
  runsNeededTitle,
} from './consistency.js';
import { escapeMarkdown, markdownFence } from './escape.js';
import { replayLines } from './replay.js';
import {
  expectationText,
  runLabel,
  runProblemLines,
  runReasons,
  runsByPrompt,
  transcriptLines,
  turnExpectationText,
} from './failures.js';
import { FULL_REPORT, LISTED_FAILURES, LISTED_GROUPS, listErrors } from './limits.js';
import { formatInterval, formatRate, plural } from './numbers.js';
import { providerText, scenarioRateText, summaryText, verdictText } from './summary.js';

/** Options of the markdown report. */
export interface MarkdownOptions {
  /** The short form for a PR comment: verdict, table, flaky prompts and one line per failing scenario. */
  short?: boolean;
  /**
   * Longest output in UTF-8 bytes (which also bounds characters): whole lines and blocks are dropped
   * from the end and a note says so, so a table or code block is never cut in half.
   */
  maxLength?: number;
  /** Where the full report is (a workflow run, an artifact), linked from the truncation note. */
  detailsUrl?: string;
}

/** Renders the markdown report of a suite. */
export function renderMarkdown(result: SuiteResult, options: MarkdownOptions = {}): string {
  const blocks = [
    ...header(result),
    ...scenarioTable(result),
    ...(options.short ? [] : consistencyTable(result)),
    ...flakyList(result, options.short ? MAX_FLAKY_SHORT : Infinity),
    ...errorTable(result),
    ...(options.short ? shortFailures(result) : failureDetails(result)),
  ];
  return fit(blocks, options);
}

// A block is a unit the truncation never splits: a line, a table row, a whole code block.
type Blocks = string[];

function header(result: SuiteResult): Blocks {
  const icon = result.gate.passed ? '✅' : '❌';
  const providers = providerText(result);
  return [
    `### ${icon} russo: ${verdictText(result)}`,
    '',
    `**${escapeMarkdown(summaryText(result))}** · agent ${escapeMarkdown(result.agent)} · voices ${escapeMarkdown(result.voices.join(', '))}`,
    '',
    ...(providers ? [escapeMarkdown(providers), ''] : []),
    ...replay(result),
    ...result.gate.failures.map((failure) => `- ${escapeMarkdown(failure.message)}`),
    ...(result.gate.failures.length > 0 ? [''] : []),
  ];
}

// A PR comment lists this many flaky prompts; the full report lists them all.
const MAX_FLAKY_SHORT = 10;

/**
 * The scenario table. With a baseline: the line that says what it was compared with, a Change
 * column (significant changes in bold) with significant changes first, then the suite's change and
 * the removed scenarios. With a baseline asked for and none found: the line that says so.
 */
/** For a replay: what was graded again, then one item per reason a run could not be. */
function replay(result: SuiteResult): Blocks {
  const [head, ...reasons] = replayLines(result);
  if (head === undefined) return [];
  return [
    escapeMarkdown(head),
    '',
    ...reasons.map((line) => `- ${escapeMarkdown(line)}`),
    ...(reasons.length > 0 ? [''] : []),
  ];
}

function scenarioTable(result: SuiteResult): Blocks {
  const line = baselineLine(result.baseline);
  const intro = line ? [escapeMarkdown(line), ''] : [];
  if (result.scenarios.length === 0) return intro;
  const compared = comparedBaseline(result) !== undefined;
  const after = [suiteChangeLine(result), removedLine(result)].filter((text) => text !== undefined);
  return [
    ...intro,
    compared
      ? '| | Scenario | Pass rate | Change | 95% CI | Runs | Passed | Failed | Errored | Min required |\n' +
        '| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |'
      : '| | Scenario | Pass rate | 95% CI | Runs | Passed | Failed | Errored | Min required |\n' +
        '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...tableRows(result).map(({ result: { scenario, summary, interval, passed }, comparison }) => {
      const change = escapeMarkdown(changeCell(comparison));
      return [
        '',
        passed ? '✅' : '❌',
        escapeMarkdown(scenario.name),
        formatRate(summary.passRate),
        ...(compared ? [isSignificant(comparison) ? `**${change}**` : change] : []),
        formatInterval(interval),
        summary.total,
        summary.passed,
        summary.failed,
        summary.errored,
        formatRate(scenario.minPassRate),
        '',
      ]
        .join(' | ')
        .trim();
    }),
    '',
    ...after.flatMap((text) => [escapeMarkdown(text), '']),
  ];
}

/** pass^k, the flaky cells and the runs hint of every scenario. */
function consistencyTable(result: SuiteResult): Blocks {
  if (result.scenarios.length === 0) return [];
  return [
    '#### Consistency',
    '',
    'pass^k: the chance that k runs in a row all pass. A flaky cell is a prompt in one voice whose runs both passed and failed.',
    '',
    `| Scenario | pass^k | Flaky cells | ${escapeMarkdown(runsNeededTitle(result))} |\n| --- | ---: | ---: | ---: |`,
    ...result.consistency.scenarios.map(
      (measured) =>
        `| ${escapeMarkdown(measured.name)} | ${passHatKText(measured)} | ${flakyCellsText(measured)} | ${runsNeededText(measured)} |`,
    ),
    '',
  ];
}

/** The flaky prompts and voices with their counts, at most `max` of them. */
function flakyList(result: SuiteResult, max: number): Blocks {
  const flaky = flakyCells(result);
  if (flaky.length === 0) return [];
  const shown = flaky.slice(0, max);
  return [
    `#### Flaky prompts (${flaky.length})`,
    '',
    ...shown.map(
      ({ scenario, cell }) => `- **${escapeMarkdown(scenario)}** › ${escapeMarkdown(flakyCellText(cell))}`,
    ),
    ...(flaky.length > shown.length
      ? [`- … and ${flaky.length - shown.length} more in the full report`]
      : []),
    '',
  ];
}

function errorTable(result: SuiteResult): Blocks {
  if (result.errors.length === 0) return [];
  const { errors, leftOut } = listErrors(result.errors);
  return [
    `#### Errors (${plural(result.summary.errored, 'run')})`,
    '',
    '| Runs | Error |\n| ---: | --- |',
    ...errors.map((group) => `| ${group.count} | ${escapeMarkdown(group.message)} |`),
    '',
    ...(leftOut ? [escapeMarkdown(leftOut), ''] : []),
  ];
}

function failing(result: SuiteResult): ScenarioResult[] {
  return result.scenarios.filter((scenarioResult) => !scenarioResult.passed);
}

/** Short form: one line per failing scenario with its most frequent reason. */
function shortFailures(result: SuiteResult): Blocks {
  const scenarios = failing(result);
  if (scenarios.length === 0) return [];
  return [
    '#### Failing scenarios',
    '',
    ...scenarios.map((scenarioResult) => {
      const { scenario, summary } = scenarioResult;
      const reason = topReason(scenarioResult.runs);
      return (
        `- ❌ **${escapeMarkdown(scenario.name)}**: ${escapeMarkdown(scenarioRateText(summary, scenario.minPassRate))}` +
        (reason ? ` · ${escapeMarkdown(reason.text)} (${plural(reason.count, 'run')})` : '')
      );
    }),
    '',
  ];
}

/** The reason most runs share: a failure message or an error (each counted once per run). */
function topReason(runs: SuiteRun[]): { text: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const run of runs) {
    for (const reason of new Set(runReasons(run))) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  // Sorting is stable: among equals, the reason met first (the worst-ranked failure) wins.
  const [text, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  return text === undefined || count === undefined ? undefined : { text, count };
}

/** Full form: each failing scenario, prompt by prompt, with its runs' transcripts, expected vs actual and diffs. */
function failureDetails(result: SuiteResult): Blocks {
  const scenarios = failing(result);
  if (scenarios.length === 0) return [];
  const blocks: Blocks = ['#### Failing scenarios', ''];
  for (const scenarioResult of scenarios) {
    const { scenario, summary } = scenarioResult;
    blocks.push(
      `##### ❌ ${escapeMarkdown(scenario.name)}`,
      '',
      `${escapeMarkdown(`${scenario.location.file}:${scenario.location.line}`)} · ${escapeMarkdown(scenarioRateText(summary, scenario.minPassRate))}`,
      '',
    );
    blocks.push(...expectation(scenario));
    for (const group of runsByPrompt(scenarioResult)) {
      const problems = groupByProblem(group.runs.filter((run) => run.status !== 'passed'));
      if (problems.length === 0) continue;
      // A conversation scenario has one conversation: its rate is the scenario's, said above.
      if (scenario.turns === undefined) {
        blocks.push(
          `**Prompt:** ${escapeMarkdown(group.prompt)} · ${escapeMarkdown(scenarioRateText(group.summary, scenario.minPassRate))}`,
          '',
        );
      }
      for (const problem of problems.slice(0, LISTED_GROUPS)) {
        blocks.push(...(problem.runs[0]!.turns === undefined ? promptProblem(problem) : transcript(problem)));
      }
      blocks.push(...otherProblems(problems.slice(LISTED_GROUPS)));
    }
  }
  return blocks;
}

/** What a scenario expects: one line, or for a conversation one numbered line per turn. */
function expectation(scenario: Scenario): Blocks {
  if (scenario.turns === undefined) return [`**Expected:** ${escapeMarkdown(expectationText(scenario))}`, ''];
  return [
    '**Expected:**',
    '',
    ...scenario.turns.map(
      (turn, index) => `${index + 1}. ${escapeMarkdown(turnExpectationText(turn, scenario.match))}`,
    ),
    '',
  ];
}

/** One-turn runs that failed one way: which runs, what they heard, and why. */
function promptProblem(problem: Problem): Blocks {
  const heard = listed(
    problem.heard.map((text) => `“${escapeMarkdown(text)}”`),
    'more transcript',
  );
  return [
    `${runLabels(problem.runs)}${problem.heard.length > 0 ? ` · heard: ${heard}` : ''}`,
    '',
    markdownFence(problem.text, 'text'),
    '',
  ];
}

/** Conversations that failed one way: which runs, and the first one's transcript with its failed checks marked. */
function transcript(problem: Problem): Blocks {
  const [first] = problem.runs as [SuiteRun];
  const which =
    problem.runs.length === 1 ? '' : ` · the same way; transcript of ${escapeMarkdown(runLabel(first))}`;
  return [
    `${runLabels(problem.runs)}${which}`,
    '',
    markdownFence(transcriptLines(first).join('\n'), 'text'),
    '',
  ];
}

/** The labels of a problem's runs, the first `LISTED_FAILURES` of them. */
function runLabels(runs: readonly SuiteRun[]): string {
  return listed(
    runs.map((run) => escapeMarkdown(runLabel(run))),
    'more run',
  );
}

/** Items joined by commas, the first `LISTED_FAILURES` of them and `… and 980 more runs`. */
function listed(items: readonly string[], more: string): string {
  const shown = items.slice(0, LISTED_FAILURES).join(', ');
  const rest = items.length - LISTED_FAILURES;
  return rest > 0 ? `${shown}, … and ${plural(rest, more)}` : shown;
}

/** The ways of failing past the first `LISTED_GROUPS` of a prompt, counted in one line. */
function otherProblems(problems: readonly Problem[]): Blocks {
  if (problems.length === 0) return [];
  const runs = problems.reduce((sum, problem) => sum + problem.runs.length, 0);
  return [
    escapeMarkdown(
      `${plural(problems.length, 'more way', 'more ways')} of failing (${plural(runs, 'run')}) not shown: ${FULL_REPORT}.`,
    ),
    '',
  ];
}

/** Runs that failed for the same reasons, and what they heard. */
interface Problem {
  text: string;
  runs: SuiteRun[];
  heard: string[];
}

/** Runs that failed for the same reasons, shown once with every run and what each heard. */
function groupByProblem(runs: SuiteRun[]): Problem[] {
  const groups = new Map<string, SuiteRun[]>();
  for (const run of runs) {
    const text = runProblemLines(run).join('\n');
    const group = groups.get(text) ?? [];
    groups.set(text, group);
    group.push(run);
  }
  return [...groups].map(([text, grouped]) => ({
    text,
    runs: grouped,
    heard: [
      ...new Set(grouped.flatMap((run) => (run.response?.transcript ? [run.response.transcript] : []))),
    ],
  }));
}

/** Joins the blocks, dropping whole blocks from the end (and saying so) when they exceed `maxLength` bytes. */
function fit(blocks: Blocks, options: MarkdownOptions): string {
  const full = `${blocks.join('\n').trimEnd()}\n`;
  const max = options.maxLength;
  if (max === undefined || bytes(full) <= max) return full;
  const where = options.detailsUrl
    ? `[the full report](${linkDestination(options.detailsUrl)})`
    : 'the JSON or HTML report';
  // Room for the note, sized for the largest count it could give.
  const reserve = bytes(truncationNote(full.split('\n').length, where));
  let kept = 0;
  let size = 0;
  for (const block of blocks) {
    if (size + bytes(block) + 1 + reserve > max) break;
    size += bytes(block) + 1;
    kept++;
  }
  const dropped = blocks.slice(kept).join('\n').trim().split('\n').length;
  const text = `${blocks.slice(0, kept).join('\n').trimEnd()}${truncationNote(dropped, where)}`;
  return bytes(text) <= max ? text : cutToBytes(text, max);
}

function truncationNote(droppedLines: number, where: string): string {
  return `\n\n> ✂️ ${plural(droppedLines, 'more line')} left out to stay under the size limit: see ${where}.\n`;
}

/** A URL as a markdown link destination: characters that would end it early are percent-encoded. */
function linkDestination(url: string): string {
  return url.replace(
    /[\s()<>]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of `text` within `max` UTF-8 bytes, never splitting a character. */
function cutToBytes(text: string, max: number): string {
  let out = '';
  for (const char of text) {
    if (bytes(out + char) > max) break;
    out += char;
  }
  return out;
}
