/**
 * The JUnit XML report, for CI test views. One `<testsuite>` per scenario and one `<testcase>` per
 * prompt, over all its voices (more runs per verdict than one testcase per voice; each run's voice is
 * in the output); a scenario with variants has one per prompt and variant, `<prompt> [<variant>]`,
 * judged against the variant's threshold. A testcase holds at most one of `<failure>` or `<error>`, which every consumer accepts:
 * - `<failure>` when the prompt's verdict (suite/verdicts.ts) is failed: its completed runs fall under
 *   the scenario's min_pass_rate; with the diffs of its failed runs;
 * - `<error>` when the verdict is errored: a run errored and the pass rate held (or none completed);
 * - `<system-out>` holds every run: voice, status, latency, what the agent heard and called.
 * When the gate failed, a last `<testsuite name="russo gate">` has a failing testcase per failure of
 * the gate (junit-gate.ts), so a CI view that reads only JUnit shows why: a regression, a flaky rate,
 * missing runs, errors, as the other reports list them.
 * Times: `<testsuites>` takes the suite's wall time. A testsuite or testcase takes the time its runs
 * took, added up, but never more than the wall time: runs overlap, so the parts may add up to more
 * than the whole (the runs carry no start time to measure a scenario's own span).
 * A suite over `LISTED_RUNS` runs lists only the runs that did not pass, up to a cap (report/limits.ts).
 */
import { summarizeRuns } from '../core/stats.js';
import { promptVerdict } from '../suite/verdicts.js';
import type { ScenarioResult, SuiteResult, SuiteRun } from '../suite/types.js';
import { escapeXml } from './escape.js';
import { GATE_SUITE, gateCases } from './junit-gate.js';
import {
  callsText,
  runLabel,
  runProblemLines,
  runsByPrompt,
  transcriptLines,
  type PromptRuns,
} from './failures.js';
import { leftOutRunsText, listRuns } from './limits.js';
import { formatDuration, plural } from './numbers.js';
import { scenarioRateText } from './summary.js';

/** The testcase element that each prompt verdict becomes. */
const OUTCOME = { passed: 'passed', failed: 'failure', errored: 'error' } as const;

/** Renders the JUnit XML report of a suite. */
export function renderJunit(result: SuiteResult): string {
  const suites = result.scenarios.map((scenario) => testSuite(scenario, result));
  const gate = gateSuite(result);
  if (gate) suites.push(gate);
  const tests = suites.reduce((sum, suite) => sum + suite.tests, 0);
  const failures = suites.reduce((sum, suite) => sum + suite.failures, 0);
  const errors = suites.reduce((sum, suite) => sum + suite.errors, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="russo" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds(result.durationMs)}">`,
    ...suites.map((suite) => suite.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

interface RenderedSuite {
  xml: string;
  tests: number;
  failures: number;
  errors: number;
}

/** `suite`: its wall time, which no testsuite or testcase time exceeds, and its size (report/limits.ts). */
function testSuite(result: ScenarioResult, suite: SuiteResult): RenderedSuite {
  const { scenario } = result;
  const wallMs = suite.durationMs;
  const cases = caseGroups(result).map((group) => testCase(result, group, suite));
  const failures = cases.filter((testCase) => testCase.outcome === 'failure').length;
  const errors = cases.filter((testCase) => testCase.outcome === 'error').length;
  const timeMs = Math.min(
    wallMs,
    cases.reduce((sum, testCase) => sum + testCase.runsMs, 0),
  );
  const attributes = [
    attribute('name', scenario.name),
    `tests="${cases.length}"`,
    `failures="${failures}"`,
    `errors="${errors}"`,
    'skipped="0"',
    `time="${seconds(timeMs)}"`,
    attribute('file', scenario.location.file),
  ].join(' ');
  return {
    xml: [`  <testsuite ${attributes}>`, ...cases.map((testCase) => testCase.xml), '  </testsuite>'].join(
      '\n',
    ),
    tests: cases.length,
    failures,
    errors,
  };
}

/** The gate's failures, a failing testcase each; none when the gate passed. */
function gateSuite(result: SuiteResult): RenderedSuite | undefined {
  const cases = gateCases(result);
  if (cases.length === 0) return undefined;
  const attributes = [
    attribute('name', GATE_SUITE),
    `tests="${cases.length}"`,
    `failures="${cases.length}"`,
    'errors="0"',
    'skipped="0"',
    `time="${seconds(0)}"`,
  ].join(' ');
  const xml = cases.map((gateCase) => {
    const caseAttributes = [
      attribute('name', gateCase.name),
      attribute('classname', GATE_SUITE),
      `time="${seconds(0)}"`,
      ...(gateCase.file === undefined ? [] : [attribute('file', gateCase.file)]),
      ...(gateCase.line === undefined ? [] : [attribute('line', String(gateCase.line))]),
    ].join(' ');
    return [
      `    <testcase ${caseAttributes}>`,
      `      <failure ${attribute('message', gateCase.message)} ${attribute('type', gateCase.kind)}>${escapeXml(gateCase.text)}</failure>`,
      '    </testcase>',
    ].join('\n');
  });
  return {
    xml: [`  <testsuite ${attributes}>`, ...xml, '  </testsuite>'].join('\n'),
    tests: cases.length,
    failures: cases.length,
    errors: 0,
  };
}

/** The runs of one testcase and the threshold they are judged against. */
interface CaseRuns extends PromptRuns {
  /** The variant of a scenario that names variants. */
  variant?: string;
  minPassRate: number;
}

/** A testcase per prompt; with variants, per prompt and variant, in the plan's order. */
function caseGroups(result: ScenarioResult): CaseRuns[] {
  const byPrompt = runsByPrompt(result);
  if (result.scenario.variants === undefined) {
    return byPrompt.map((group) => ({ ...group, minPassRate: result.scenario.minPassRate }));
  }
  return byPrompt.flatMap((group) =>
    result.breakdown.variants.flatMap(({ name, minPassRate }) => {
      const runs = group.runs.filter((run) => run.variant === name);
      return runs.length === 0
        ? []
        : [{ ...group, runs, summary: summarizeRuns(runs), variant: name, minPassRate }];
    }),
  );
}

function testCase(
  result: ScenarioResult,
  group: CaseRuns,
  suite: SuiteResult,
): { xml: string; outcome: 'passed' | 'failure' | 'error'; runsMs: number } {
  const wallMs = suite.durationMs;
  const { scenario } = result;
  const runsMs = group.runs.reduce((sum, run) => sum + run.latencyMs, 0);
  const outcome = OUTCOME[promptVerdict(group.summary, group.minPassRate)];
  const turns = scenario.turns;
  const attributes = [
    // A conversation is named by its first turn and its length, and is found at its first turn.
    attribute(
      'name',
      `${turns === undefined ? group.prompt : `${group.prompt} (${plural(turns.length, 'turn')})`}${group.variant === undefined ? '' : ` [${group.variant}]`}`,
    ),
    attribute('classname', scenario.name),
    `time="${seconds(Math.min(wallMs, runsMs))}"`,
    attribute('file', scenario.location.file),
    attribute(
      'line',
      String(
        (turns === undefined ? scenario.prompts[group.promptIndex] : turns[0])?.location.line ??
          scenario.location.line,
      ),
    ),
  ].join(' ');
  const rate = scenarioRateText(group.summary, group.minPassRate);
  const body: string[] = [];
  if (outcome === 'failure') {
    const failed = group.runs.filter((run) => run.status === 'failed');
    body.push(
      `      <failure ${attribute('message', rate)} type="pass_rate">${escapeXml(problems(suite, failed))}</failure>`,
    );
  } else if (outcome === 'error') {
    const errored = group.runs.filter((run) => run.status === 'error');
    const message = `${plural(errored.length, 'run')} errored: ${errored[0]?.error ?? 'unknown error'}`;
    body.push(
      `      <error ${attribute('message', message)} type="run_error">${escapeXml(problems(suite, errored))}</error>`,
    );
  }
  const logged = listRuns(suite, group.runs);
  const log = [...logged.runs.map(runLog), leftOutRunsText(logged)].filter((text) => text !== '');
  body.push(`      <system-out>${escapeXml(log.join('\n\n'))}</system-out>`);
  return { xml: [`    <testcase ${attributes}>`, ...body, '    </testcase>'].join('\n'), outcome, runsMs };
}

/** The reasons of each run listed, one block per run. */
function problems(suite: SuiteResult, runs: SuiteRun[]): string {
  const listing = listRuns(suite, runs);
  return [
    ...listing.runs.map((run) =>
      [`${runLabel(run)}:`, ...runProblemLines(run).map((line) => `  ${line}`)].join('\n'),
    ),
    leftOutRunsText(listing),
  ]
    .filter((text) => text !== '')
    .join('\n\n');
}

/**
 * One run as the log shows it: what it was, what the agent heard and called, and why it did not
 * pass; for a conversation, its transcript turn by turn.
 */
function runLog(run: SuiteRun): string {
  const lines = [`${runLabel(run)}: ${run.status} in ${formatDuration(run.latencyMs)}`];
  if (run.turns !== undefined) return [...lines, ...transcriptLines(run)].join('\n');
  if (run.response?.transcript !== undefined) lines.push(`heard: ${run.response.transcript}`);
  if (run.response?.text !== undefined) lines.push(`said: ${run.response.text}`);
  const calls = callsText(run);
  if (calls !== '') lines.push(`calls: ${calls.split('\n').join('\n       ')}`);
  lines.push(...runProblemLines(run));
  return lines.join('\n');
}

function attribute(name: string, value: string): string {
  return `${name}="${escapeXml(value, 'attribute')}"`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
