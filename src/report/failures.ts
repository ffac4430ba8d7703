/** Plain-text views of runs and their failures that every renderer shares (each one then escapes them). */
import { summarizeRuns } from '../core/stats.js';
import type { CallFailure, RunSummary } from '../core/types.js';
import type { Scenario } from '../scenarios/types.js';
import type { ScenarioResult, SuiteRun } from '../suite/types.js';
import { formatCall, formatDiff, formatSchemaError } from './format.js';

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
  if (options.diffs) {
    const unsaid = detailPhrases(failure).filter((phrase) => !failure.message.includes(phrase));
    lines.push(...unsaid.map((phrase) => `  - ${phrase}`));
  }
  return lines;
}

/** Every argument difference and schema error of a failure, one phrase each. */
export function detailPhrases(failure: CallFailure): string[] {
  return [...failure.diffs.map(formatDiff), ...(failure.schemaErrors ?? []).map(formatSchemaError)];
}

/** Why a run did not pass, as lines: its error, or each of its failures; empty for a passed run. */
export function runProblemLines(run: SuiteRun, options: { diffs: boolean } = { diffs: true }): string[] {
  if (run.status === 'error') return [`error: ${run.error ?? 'unknown error'}`];
  if (run.status === 'passed') return [];
  const failures = run.evalResult?.failures ?? [];
  return failures.length === 0
    ? ['failed (the evaluator gave no reason)']
    : failures.flatMap((failure) => failureLines(failure, options));
}

/** What a scenario expects on one line: its calls (or `no call`), their order rule, and the names it forbids. */
export function expectationText(scenario: Scenario): string {
  const calls =
    scenario.expect.length === 0
      ? 'no call'
      : scenario.expect.map((call) => formatCall(call, 'expected')).join(', ');
  const order =
    scenario.expect.length > 1 && scenario.match.order !== 'any' ? ` (${scenario.match.order})` : '';
  return scenario.forbid.length === 0
    ? `${calls}${order}`
    : `${calls}${order}; never ${scenario.forbid.join(', ')}`;
}

/** The calls an agent made in one run, one per line; `(no calls)` when it made none. */
export function callsText(run: SuiteRun): string {
  if (run.response === undefined) return '';
  if (run.response.toolCalls.length === 0) return '(no calls)';
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
