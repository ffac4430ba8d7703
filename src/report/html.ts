/**
 * The HTML report: one self-contained file (inline CSS, no script, no external resource) that opens
 * from a CI artifact. `<details>` hold each scenario's runs; every string from a model, an agent or a
 * file is escaped, and a Content-Security-Policy forbids scripts even if something slipped through.
 */
import type { TurnResult } from '../core/types.js';
import type { ScenarioTurn } from '../scenarios/types.js';
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
import { escapeHtml } from './escape.js';
import { replayLines } from './replay.js';
import {
  AUDIO_ONLY,
  callsText,
  callsWithOutcomes,
  expectationText,
  NO_CALLS,
  runErrorLines,
  runProblemLines,
  runReasons,
  TURN_MARKS,
  turnExpectationText,
  turnCheckLines,
} from './failures.js';
import { leftOutRunsText, listErrors, listRuns, type RunListing } from './limits.js';
import { formatDuration, formatInterval, formatRate, plural } from './numbers.js';
import { providerText, scenarioRateText, summaryText, verdictText } from './summary.js';

const STYLE = `
:root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #6e7781; --line: #d0d7de; }
body { font: 14px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.1rem; display: inline; }
.passed { color: var(--ok); } .failed { color: var(--bad); } .error { color: var(--warn); } .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .75rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
.bar { display: inline-block; width: 5rem; height: .5rem; background: var(--line); margin-right: .4rem; }
.bar > span { display: block; height: 100%; background: var(--ok); }
details.scenario { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; margin: .75rem 0; }
details.scenario > summary { cursor: pointer; }
pre { white-space: pre-wrap; word-break: break-word; margin: .25rem 0; font-size: 12px; }
table.runs tr.failed > td, table.runs tr.error > td { border-bottom: none; }
tr.reason > td { padding-top: 0; } tr.reason summary { cursor: pointer; }
ul.gate { margin: .5rem 0; }
`;

/** Renders the self-contained HTML report of a suite. */
export function renderHtml(result: SuiteResult): string {
  const verdictClass = result.gate.passed ? 'passed' : 'failed';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>russo: ${escapeHtml(verdictText(result))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1 class="${verdictClass}">${result.gate.passed ? '✓' : '✗'} russo: ${escapeHtml(verdictText(result))}</h1>
<p>${escapeHtml(summaryText(result))}</p>
${providerLine(result)}<p class="muted">agent ${escapeHtml(result.agent)} · voices ${escapeHtml(result.voices.join(', '))} · started ${escapeHtml(result.startedAt)} · latency p50 ${formatDuration(result.summary.latency.p50)}, p95 ${formatDuration(result.summary.latency.p95)}</p>
${replayParagraph(result)}${gateList(result)}${scenarioTable(result)}${consistencyTable(result)}${errorTable(result)}${result.scenarios.map((scenario, index) => scenarioSection(scenario, index, listRuns(result, scenario.runs))).join('\n')}
</body>
</html>
`;
}

/** For a replay: what was graded again, then one item per reason a run could not be. */
function replayParagraph(result: SuiteResult): string {
  const [head, ...reasons] = replayLines(result);
  if (head === undefined) return '';
  const list =
    reasons.length > 0 ? `<ul>${reasons.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>\n` : '';
  return `<p>${escapeHtml(head)}</p>\n${list}`;
}

function gateList(result: SuiteResult): string {
  if (result.gate.failures.length === 0) return '';
  return `<ul class="gate">${result.gate.failures.map((failure) => `<li>${escapeHtml(failure.message)}</li>`).join('')}</ul>\n`;
}

/**
 * The scenario table; with a baseline, the line that says what it was compared with, a Change column
 * with significant changes first, the suite's change and the removed scenarios.
 */
function scenarioTable(result: SuiteResult): string {
  const line = baselineLine(result.baseline);
  const intro = line ? `<p class="muted">${escapeHtml(line)}</p>\n` : '';
  if (result.scenarios.length === 0) return intro;
  const compared = comparedBaseline(result) !== undefined;
  const rows = tableRows(result).map(
    ({ result: { scenario, summary, interval, passed }, index, comparison }) => {
      const width = summary.passRate === null ? 0 : Math.round(summary.passRate * 100);
      const significance = isSignificant(comparison)
        ? ` class="${comparison!.change!.direction === 'regression' ? 'failed' : 'passed'}"`
        : '';
      const change = compared ? `<td${significance}>${escapeHtml(changeCell(comparison))}</td>` : '';
      return `<tr><td class="${passed ? 'passed' : 'failed'}">${passed ? '✓' : '✗'}</td><td><a href="#scenario-${index + 1}">${escapeHtml(scenario.name)}</a></td><td class="num"><span class="bar"><span style="width:${width}%"></span></span>${formatRate(summary.passRate)}</td>${change}<td class="num">${formatInterval(interval)}</td><td class="num">${summary.total}</td><td class="num">${summary.passed}</td><td class="num">${summary.failed}</td><td class="num">${summary.errored}</td><td class="num">${formatRate(scenario.minPassRate)}</td></tr>`;
    },
  );
  const after = [suiteChangeLine(result), removedLine(result)]
    .filter((text) => text !== undefined)
    .map((text) => `<p>${escapeHtml(text)}</p>\n`)
    .join('');
  return `${intro}<table class="scenarios">
<thead><tr><th></th><th>Scenario</th><th class="num">Pass rate</th>${compared ? '<th>Change</th>' : ''}<th class="num">95% CI</th><th class="num">Runs</th><th class="num">Passed</th><th class="num">Failed</th><th class="num">Errored</th><th class="num">Min required</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${after}`;
}

/** pass^k, the flaky cells and the runs hint of every scenario, then every flaky prompt with its counts. */
function consistencyTable(result: SuiteResult): string {
  if (result.scenarios.length === 0) return '';
  const rows = result.consistency.scenarios.map(
    (measured) =>
      `<tr><td>${escapeHtml(measured.name)}</td><td class="num">${passHatKText(measured)}</td><td class="num">${flakyCellsText(measured)}</td><td class="num">${runsNeededText(measured)}</td></tr>`,
  );
  const flaky = flakyCells(result).map(
    ({ scenario, cell }) => `<li><b>${escapeHtml(scenario)}</b> › ${escapeHtml(flakyCellText(cell))}</li>`,
  );
  return `<h2>Consistency</h2>
<p class="muted">pass^k: the chance that k runs in a row all pass. A flaky cell is a prompt in one voice whose runs both passed and failed.</p>
<table class="consistency"><thead><tr><th>Scenario</th><th class="num">pass^k</th><th class="num">Flaky cells</th><th class="num">${escapeHtml(runsNeededTitle(result))}</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
${flaky.length > 0 ? `<p>Flaky prompts (${flaky.length}):</p>\n<ul class="flaky">${flaky.join('')}</ul>\n` : ''}`;
}

function errorTable(result: SuiteResult): string {
  if (result.errors.length === 0) return '';
  const { errors, leftOut } = listErrors(result.errors);
  const rows = errors.map(
    (group) => `<tr><td class="num">${group.count}</td><td>${escapeHtml(group.message)}</td></tr>`,
  );
  return `<h2>Errors (${plural(result.summary.errored, 'run')})</h2>
<table class="errors"><thead><tr><th class="num">Runs</th><th>Error</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
${leftOutLine(leftOut)}`;
}

function scenarioSection(result: ScenarioResult, index: number, listing: RunListing): string {
  const { scenario, summary, passed } = result;
  return `<details class="scenario" id="scenario-${index + 1}"${passed ? '' : ' open'}>
<summary><h2 class="${passed ? 'passed' : 'failed'}">${passed ? '✓' : '✗'} ${escapeHtml(scenario.name)}</h2> <span class="muted">${escapeHtml(scenarioRateText(summary, scenario.minPassRate))} · 95% CI ${formatInterval(result.interval)} · ${escapeHtml(`${scenario.location.file}:${scenario.location.line}`)}</span></summary>
${scenario.turns === undefined ? promptRuns(result, listing) : conversationRuns(result, scenario.turns, listing)}
${leftOutLine(leftOutRunsText(listing))}</details>`;
}

/** A scenario of prompts: its expectation, then one row per run listed. */
function promptRuns(result: ScenarioResult, listing: RunListing): string {
  return `<p>Expected: <code>${escapeHtml(expectationText(result.scenario))}</code></p>
<table class="runs">
<thead><tr><th>Prompt</th><th>Voice</th><th class="num">Run</th><th>Status</th><th>Heard</th><th>Calls</th><th class="num">Latency</th></tr></thead>
<tbody>
${listing.runs.map(runRow).join('\n')}
</tbody>
</table>`;
}

/**
 * A run's row; under a run that did not pass, a row as wide as the table with why, in one line, that
 * opens on the expected and actual calls with their diffs (or the whole error).
 */
function runRow(run: SuiteRun): string {
  const row = `<tr class="${run.status}"><td>${escapeHtml(run.prompt)}</td><td>${escapeHtml(run.voice)}</td><td class="num">${run.runIndex + 1}</td><td><span class="${run.status}">${run.status}</span></td><td>${escapeHtml(run.response?.transcript ?? '')}</td><td><pre>${escapeHtml(callsText(run))}</pre></td><td class="num">${formatDuration(run.latencyMs)}</td></tr>`;
  const problems = runProblemLines(run);
  if (problems.length === 0) return row;
  // One line: an error can hold many (a command agent's stderr).
  const reason = (runReasons(run).join('; ') || problems.join('; ')).replace(/\s*[\r\n]+\s*/g, ' ↵ ');
  const detail = problems.join('\n');
  const why =
    detail === reason
      ? `<div class="${run.status}">${escapeHtml(reason)}</div>`
      : `<details><summary class="${run.status}">${escapeHtml(reason)}</summary><pre>${escapeHtml(detail)}</pre></details>`;
  return `${row}\n<tr class="reason"><td colspan="7">${why}</td></tr>`;
}

/**
 * A conversation scenario: each turn's expectation, then one row per run with its turns' verdicts,
 * and under it the run's transcript (open when the run did not pass).
 */
function conversationRuns(
  result: ScenarioResult,
  turns: readonly ScenarioTurn[],
  listing: RunListing,
): string {
  const expected = turns
    .map((turn) => `<li><code>${escapeHtml(turnExpectationText(turn, result.scenario.match))}</code></li>`)
    .join('');
  const rows = listing.runs.map((run) => {
    const marks = (run.turns ?? []).map(
      (turn) => `<span class="${turnClass(turn)}">${TURN_MARKS[turn.status]}</span>`,
    );
    return (
      `<tr class="${run.status}"><td>${escapeHtml(run.prompt)}</td><td>${escapeHtml(run.voice)}</td><td class="num">${run.runIndex + 1}</td><td><span class="${run.status}">${run.status}</span></td><td class="marks">${marks.join(' ')}</td><td class="num">${formatDuration(run.latencyMs)}</td></tr>\n` +
      `<tr class="transcript"><td colspan="6"><details${run.status === 'passed' ? '' : ' open'}><summary class="muted">transcript of run ${run.runIndex + 1} · ${escapeHtml(run.voice)}</summary>${transcriptTable(run)}</details></td></tr>`
    );
  });
  return `<p>Expected, turn by turn:</p>
<ol class="expected">${expected}</ol>
<table class="runs">
<thead><tr><th>Conversation</th><th>Voice</th><th class="num">Run</th><th>Status</th><th>Turns</th><th class="num">Latency</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** A conversation turn by turn: what the caller said, what the agent heard, called (with the mocked results) and replied, and each failed check marked. */
function transcriptTable(run: SuiteRun): string {
  const rows = (run.turns ?? []).map((turn) => {
    const mark = `<td class="${turnClass(turn)}">${TURN_MARKS[turn.status]} ${turn.index + 1}</td><td>${escapeHtml(turn.say)}</td>`;
    const response = turn.response;
    const played =
      response === undefined
        ? `<td colspan="3" class="muted">${turn.status === 'skipped' ? 'skipped' : 'no response'}</td>`
        : `<td>${escapeHtml(response.transcript ?? '')}</td><td><pre>${escapeHtml(callsWithOutcomes(response).join('\n') || NO_CALLS)}</pre></td><td>${response.replyAudioOnly ? `<span class="muted">${AUDIO_ONLY}</span>` : escapeHtml(response.text ?? '')}</td>`;
    const checks = turnCheckLines(turn);
    const marked =
      checks.length === 0
        ? ''
        : `\n<tr class="checks"><td></td><td colspan="4"><pre class="${turn.status}">${escapeHtml(checks.join('\n'))}</pre></td></tr>`;
    return `<tr class="turn ${turn.status}">${mark}${played}</tr>${marked}`;
  });
  const error = runErrorLines(run).map((line) => `<pre class="error">${escapeHtml(line)}</pre>`);
  return `${error.join('')}<table class="transcript">
<thead><tr><th>Turn</th><th>Caller said</th><th>Agent heard</th><th>Calls → mocked results</th><th>Agent replied</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** The colour of a turn's verdict: its status's, muted for a turn not played. */
function turnClass(turn: TurnResult): string {
  return turn.status === 'skipped' ? 'muted' : turn.status;
}

/** What a large suite's report left out, as a muted paragraph; nothing when nothing was. */
function leftOutLine(text: string): string {
  return text ? `<p class="muted left-out">${escapeHtml(text)}</p>\n` : '';
}

/** The provider counters as a muted paragraph, or nothing. */
function providerLine(result: SuiteResult): string {
  const text = providerText(result);
  return text ? `<p class="muted">${escapeHtml(text)}</p>\n` : '';
}
