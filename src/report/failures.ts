/** Plain-text views of runs and their failures that every renderer shares (each one then escapes them). */
import { summarizeRuns } from '../core/stats.js';
import type {
  AgentResponse,
  CallFailure,
  ExpectedCall,
  MatchOptions,
  RunSummary,
  ToolExchange,
  ToolOutcome,
  TurnResult,
} from '../core/types.js';
import type { ReplyCheck, Scenario, ScenarioTurn } from '../scenarios/types.js';
import type { ScenarioResult, SuiteRun } from '../suite/types.js';
import { formatCall, formatDiff, formatSchemaError, formatValue } from './format.js';

/** A failure's expected and actual call as text; absent sides (a missing call, an extra call) are null. */
export function expectedAndActual(failure: CallFailure): { expected: string | null; actual: string | null } {
  return {
    expected: failure.expected ? formatCall(failure.expected, 'expected') : null,
    actual: failure.actual ? formatCall(failure.actual) : null,
  };
}

/**
 * A failure as lines: its message, then for a call made wrongly the expected and actual calls in full
 * (for invalid arguments, the call as made), then (with `diffs`) one line per argument difference or
 * schema error that the message does not already say (it names the first few).
 */
export function failureLines(failure: CallFailure, options: { diffs: boolean }): string[] {
  const lines = [failure.message];
  if (failure.kind === 'wrong_arguments' || failure.kind === 'out_of_order') {
    const { expected, actual } = expectedAndActual(failure);
    if (expected !== null) lines.push(`  expected: ${expected}`);
    if (actual !== null) lines.push(`  actual:   ${actual}`);
  }
  if (failure.kind === 'invalid_arguments' && failure.actual) {
    lines.push(`  actual:   ${formatCall(failure.actual)}`);
  }
  // A reply check's message normally quotes the reply; when it does not, the reply is shown below it.
  if (failure.kind === 'reply' && failure.replyText !== undefined) {
    const reply = JSON.stringify(failure.replyText);
    if (!failure.message.includes(reply)) lines.push(`  reply:    ${reply}`);
  }
  if (options.diffs) {
    const unsaid = detailPhrases(failure).filter((phrase) => !failure.message.includes(phrase));
    lines.push(...unsaid.map((phrase) => `  - ${phrase}`));
  }
  return lines;
}

/** A failure's kind in words, as titles name it: `wrong arguments`, `wrong reply`. */
export function failureKindText(kind: CallFailure['kind']): string {
  return kind === 'reply' ? 'wrong reply' : kind.replace(/_/g, ' ');
}

/** Every argument difference and schema error of a failure, one phrase each. */
export function detailPhrases(failure: CallFailure): string[] {
  return [...failure.diffs.map(formatDiff), ...(failure.schemaErrors ?? []).map(formatSchemaError)];
}

/**
 * Why a run did not pass, as lines: its error, or each of its failures; empty for a passed run. A
 * conversation gives every turn's verdict, each failed turn followed by its reasons.
 */
export function runProblemLines(run: SuiteRun, options: { diffs: boolean } = { diffs: true }): string[] {
  if (run.turns !== undefined) return conversationProblemLines(run, run.turns, options);
  if (run.status === 'error') return [`error: ${run.error ?? 'unknown error'}`];
  if (run.status === 'passed') return [];
  const failures = run.evalResult?.failures ?? [];
  return failures.length === 0
    ? ['failed (the evaluator gave no reason)']
    : failures.flatMap((failure) => failureLines(failure, options));
}

/** Why a run did not pass, without the details: each failure's message, or its error; empty for a passed run. */
export function runReasons(run: SuiteRun): string[] {
  if (run.status === 'error') return [`error: ${run.error ?? 'unknown error'}`];
  return (run.evalResult?.failures ?? []).map((failure) => failure.message);
}

/**
 * What a scenario expects on one line: its calls (or `no call`), their order rule, and the names it
 * forbids; for a conversation, each turn's expectation (`turn 1: no call; reply …`).
 */
export function expectationText(scenario: Scenario): string {
  if (scenario.turns !== undefined) {
    return scenario.turns
      .map((turn, index) => `turn ${index + 1}: ${turnExpectationText(turn, scenario.match)}`)
      .join(' · ');
  }
  const calls = callsExpectation(scenario.expect, scenario.match);
  return scenario.forbid.length === 0 ? calls : `${calls}; never ${scenario.forbid.join(', ')}`;
}

/** What one turn of a conversation expects: its calls (`calls not checked` without `expect`), forbidden names, reply. */
export function turnExpectationText(turn: ScenarioTurn, match: MatchOptions): string {
  return [
    turn.expect === undefined ? 'calls not checked' : callsExpectation(turn.expect, match),
    ...(turn.forbid.length > 0 ? [`never ${turn.forbid.join(', ')}`] : []),
    ...(turn.reply ? [replyCheckText(turn.reply)] : []),
  ].join('; ');
}

/** Expected calls in words, with their order rule: `no call`, `book_table({party_size: 2}), … (strict)`. */
function callsExpectation(expect: readonly ExpectedCall[], match: MatchOptions): string {
  if (expect.length === 0) return 'no call';
  const calls = expect.map((call) => formatCall(call, 'expected')).join(', ');
  return expect.length > 1 && match.order !== 'any' ? `${calls} (${match.order})` : calls;
}

/** A reply check in words: `reply contains any of "how many", "people"`, `reply matches /when/i`. */
export function replyCheckText(check: ReplyCheck): string {
  const quoted = (texts: readonly string[]) => texts.map((text) => JSON.stringify(text)).join(', ');
  const parts: string[] = [];
  if (check.contains?.length) {
    parts.push(`contains ${check.contains.length > 1 ? 'all of ' : ''}${quoted(check.contains)}`);
  }
  if (check.containsAny?.length) parts.push(`contains any of ${quoted(check.containsAny)}`);
  if (check.notContains?.length) {
    parts.push(
      check.notContains.length > 1
        ? `contains none of ${quoted(check.notContains)}`
        : `does not contain ${quoted(check.notContains)}`,
    );
  }
  // `ignore_case` shows as the regex's `i` flag, and after the other comparisons of text.
  const ignoringCase = parts.length > 0 && check.ignoreCase ? ' (ignoring case)' : '';
  if (check.regex !== undefined) parts.push(`matches /${check.regex}/${check.ignoreCase ? 'i' : ''}`);
  if (check.judge !== undefined) parts.push(`judged: ${JSON.stringify(check.judge)}`);
  return `reply ${parts.join(', ')}${ignoringCase}`;
}

/** What every report shows where an agent made no call. */
export const NO_CALLS = '(no calls)';

/** The calls an agent made in one run, one per line; `(no calls)` when it made none. */
export function callsText(run: SuiteRun): string {
  if (run.response === undefined) return '';
  if (run.response.toolCalls.length === 0) return NO_CALLS;
  return run.response.toolCalls.map((call) => formatCall(call)).join('\n');
}

/** `run 2 · slt`: a run's 1-based number and voice, as people count runs. */
export function runLabel(run: SuiteRun): string {
  return `run ${run.runIndex + 1} · ${run.voice}`;
}

/** The runs of one prompt, over all its voices, with their counts. */
export interface PromptRuns {
  prompt: string;
  promptIndex: number;
  runs: SuiteRun[];
  summary: RunSummary;
}

/** Groups a scenario's runs by prompt, in the scenario's order. */
export function runsByPrompt(result: ScenarioResult): PromptRuns[] {
  const groups = new Map<number, { prompt: string; promptIndex: number; runs: SuiteRun[] }>();
  for (const run of result.runs) {
    const group = groups.get(run.promptIndex) ?? {
      prompt: run.prompt,
      promptIndex: run.promptIndex,
      runs: [],
    };
    groups.set(run.promptIndex, group);
    group.runs.push(run);
  }
  return [...groups.values()].map((group) => ({ ...group, summary: summarizeRuns(group.runs) }));
}

/** How each turn status reads at a glance: ✓ passed, ✗ failed or errored, – skipped (not played). */
export const TURN_MARKS: Readonly<Record<TurnResult['status'], string>> = {
  passed: '✓',
  failed: '✗',
  error: '✗',
  skipped: '–',
};

/** `✗ turn 2 "At seven tonight"`, `– turn 3 "Thank you" (skipped)`: a turn and its verdict on one line. */
export function turnHead(turn: TurnResult): string {
  const skipped = turn.status === 'skipped' ? ' (skipped)' : '';
  return `${TURN_MARKS[turn.status]} turn ${turn.index + 1} ${JSON.stringify(turn.say)}${skipped}`;
}

/**
 * Why a turn did not pass, as lines: its error, or each of its failures (as `failureLines` gives
 * them, without the `turn N: ` that the run's merged failures carry); empty for a passed or skipped turn.
 */
export function turnProblemLines(turn: TurnResult, options: { diffs: boolean }): string[] {
  if (turn.status === 'error') return [`error: ${withoutTurn(turn.error ?? 'unknown error', turn.index)}`];
  if (turn.status !== 'failed') return [];
  const failures = turn.evalResult?.failures ?? [];
  if (failures.length === 0) return ['failed (the evaluator gave no reason)'];
  return failures.flatMap((failure) =>
    failureLines({ ...failure, message: withoutTurn(failure.message, turn.index) }, options),
  );
}

/** A message without the `turn N: ` it starts with when it belongs to turn N (0-based `index`). */
function withoutTurn(message: string, index: number): string {
  const prefix = `turn ${index + 1}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/** A failed or errored conversation: every turn's verdict, with the reasons under each turn that did not pass. */
function conversationProblemLines(
  run: SuiteRun,
  turns: readonly TurnResult[],
  options: { diffs: boolean },
): string[] {
  if (run.status === 'passed') return [];
  return [
    ...runErrorLines(run),
    ...turns.flatMap((turn) => [
      turnHead(turn),
      ...turnProblemLines(turn, options).map((line) => `  ${line}`),
    ]),
  ];
}

/** The error of a conversation run that none of its turns holds (it ended before its first turn), or nothing. */
export function runErrorLines(run: SuiteRun): string[] {
  const unheld = run.status === 'error' && !(run.turns ?? []).some((turn) => turn.status === 'error');
  return unheld ? [`error: ${run.error ?? 'unknown error'}`] : [];
}

/** What an agent replied with audio and no text: the words every transcript shows instead of a reply. */
export const AUDIO_ONLY = '(audio only)';

/** What russo answered a call with: the mocked result, `error: …` for a mocked error, or `no result mocked`. */
function outcomeText(outcome: ToolOutcome): string {
  if ('result' in outcome) return formatValue(outcome.result);
  if ('error' in outcome) return `error: ${formatValue(outcome.error)}`;
  return 'no result mocked';
}

/**
 * The calls of one response, each with what russo answered it with: `book_table({party_size: 2}) →
 * {confirmed: true}`. A call russo did not answer (the agent's turn ended at it) has no arrow; an
 * answered call the agent did not list is still shown, after the others.
 */
export function callsWithOutcomes(response: AgentResponse): string[] {
  const answered = [...(response.toolResults ?? [])];
  const lines = response.toolCalls.map((call) => {
    const at = answered.findIndex(
      (exchange) =>
        exchange.call.name === call.name &&
        JSON.stringify(exchange.call.arguments) === JSON.stringify(call.arguments),
    );
    return at < 0 ? formatCall(call) : exchangeText(answered.splice(at, 1)[0]!);
  });
  return [...lines, ...answered.map(exchangeText)];
}

function exchangeText(exchange: ToolExchange): string {
  return `${formatCall(exchange.call)} → ${outcomeText(exchange.outcome)}`;
}

/** The agent's reply in a turn as a transcript shows it: the text quoted, `(audio only)`, or `(no reply text)`. */
function replyLine(response: AgentResponse): string {
  if (response.replyAudioOnly) return AUDIO_ONLY;
  return response.text === undefined ? '(no reply text)' : JSON.stringify(response.text);
}

/**
 * A conversation run as a plain-text transcript, turn by turn: what the caller said, what the agent
 * heard, its calls with the mocked results, what it replied, and each failed check marked ✗:
 *
 *     turn 2 ✗ failed
 *       caller said:   "At seven tonight"
 *       agent heard:   "at seven tonight"
 *       agent called:  check_availability({time: "19:00"}) → no result mocked
 *       agent replied: "Sorry, something went wrong."
 *       ✗ missing call book_table({party_size: 2, time: matches /^19:00/})
 *
 * Empty for a one-turn run.
 */
export function transcriptLines(run: SuiteRun): string[] {
  return [...runErrorLines(run).map((line) => `✗ ${line}`), ...(run.turns ?? []).flatMap(turnTranscript)];
}

function turnTranscript(turn: TurnResult): string[] {
  const lines = [
    `turn ${turn.index + 1} ${TURN_MARKS[turn.status]} ${turn.status}`,
    `  caller said:   ${JSON.stringify(turn.say)}`,
  ];
  const response = turn.response;
  if (response !== undefined) {
    if (response.transcript !== undefined)
      lines.push(`  agent heard:   ${JSON.stringify(response.transcript)}`);
    const calls = callsWithOutcomes(response);
    lines.push(
      ...(calls.length === 0 ? [NO_CALLS] : calls).map(
        (call, index) => `${index === 0 ? '  agent called:  ' : '                 '}${call}`,
      ),
      `  agent replied: ${replyLine(response)}`,
    );
  }
  lines.push(...turnCheckLines(turn).map((line) => `  ${line}`));
  return lines;
}

/** A turn's reasons as a transcript marks them: each starts with ✗, the lines that detail it indented under it. */
export function turnCheckLines(turn: TurnResult): string[] {
  return turnProblemLines(turn, { diffs: true }).map((line) =>
    line.startsWith('  ') ? `  ${line}` : `✗ ${line}`,
  );
}
