/**
 * Annotations: each failing expectation becomes one error at the line of its `expect` item, so a
 * reviewer sees the regression in the diff. GitHub shows only 10 annotations of a kind per step, so
 * they are ranked worst first and the rest go to the log.
 */
import * as core from '@actions/core';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { CallFailure } from '../core/types.js';
import type { Problem } from '../scenarios/errors.js';
import type { Scenario, SourceLocation } from '../scenarios/types.js';
import { detailPhrases, expectedAndActual, failureKindText } from '../report/failures.js';
import { formatRate } from '../report/numbers.js';
import type { ScenarioResult, SuiteResult, SuiteRun } from '../suite/types.js';

/** GitHub shows at most this many annotations of each level (error, warning, notice) per step. */
export const ANNOTATIONS_SHOWN_PER_LEVEL = 10;

/** One annotation as data: where, how bad, and what to say. */
export interface Annotation {
  /** error: the scenario is under its threshold or regressed against the baseline; warning: it failed in some runs but still passed. */
  level: 'error' | 'warning';
  title: string;
  message: string;
  location: SourceLocation;
  /** Runs that failed this way: the first ranking key. */
  failedRuns: number;
  /** Pass rate of the scenario: the lower, the worse. */
  passRate: number;
}

/** How many annotations of each level were written as annotations and how many only to the log. */
export interface AnnotationCounts {
  errors: { shown: number; hidden: number };
  warnings: { shown: number; hidden: number };
}

/**
 * One annotation per failing expectation of a prompt: runs that failed the same expected call (or
 * made the same unexpected call) are grouped, each distinct way shown once with its diff. Ranked:
 * errors before warnings, then most failed runs, then lowest pass rate, then file order.
 */
export function failureAnnotations(result: SuiteResult): Annotation[] {
  // A scenario that fails the gate by its drop against the baseline is as failing as one under its threshold.
  const regressed = new Set(
    result.gate.failures
      .filter((failure) => failure.kind === 'regression')
      .map((failure) => failure.scenario),
  );
  const annotations = result.scenarios.flatMap((scenario) =>
    scenarioAnnotations(scenario, !scenario.passed || regressed.has(scenario.scenario.name)),
  );
  return annotations.sort(
    (a, b) =>
      Number(a.level === 'warning') - Number(b.level === 'warning') ||
      b.failedRuns - a.failedRuns ||
      a.passRate - b.passRate ||
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line,
  );
}

// Ways one expectation failed, by message, with the first failure of each as the example to show.
const MAX_WAYS = 5;

interface FailureGroup {
  promptIndex: number;
  /** The conversation turn (0-based) the failures belong to; absent for a one-turn run. */
  turn?: number;
  index?: number;
  runs: Set<SuiteRun>;
  ways: Map<string, Way>;
}

function scenarioAnnotations(result: ScenarioResult, failing: boolean): Annotation[] {
  const { scenario } = result;
  const groups = new Map<string, FailureGroup>();
  for (const run of result.runs) {
    if (run.status !== 'failed') continue;
    for (const failure of run.evalResult?.failures ?? []) {
      // One annotation per expectation (whatever went wrong with it), or per unexpected call name,
      // or per turn's reply check; in a conversation, per turn.
      const what = failure.index ?? `${failure.kind}:${failure.actual?.name ?? ''}`;
      const key =
        failure.turn === undefined
          ? `${run.promptIndex}\u0000${what}`
          : `${run.promptIndex}\u0000${failure.turn}\u0000${what}`;
      const group = groups.get(key) ?? {
        promptIndex: run.promptIndex,
        ...(failure.turn === undefined ? {} : { turn: failure.turn }),
        index: failure.index,
        runs: new Set(),
        ways: new Map(),
      };
      groups.set(key, group);
      // A run counts once per expectation, even when it fails it twice (invalid and wrong arguments).
      group.runs.add(run);
      const way = group.ways.get(failure.message) ?? { failure, runs: 0 };
      group.ways.set(failure.message, way);
      way.runs++;
    }
  }
  return [...groups.values()].map((group) => {
    const completed = result.runs.filter(
      (run) => run.promptIndex === group.promptIndex && run.status !== 'error',
    ).length;
    const ways = [...group.ways.values()].sort((a, b) => b.runs - a.runs);
    const first = ways[0]!.failure;
    const place = failurePlace(scenario, group, first);
    const lines = [
      `${place.subject}: failed in ${group.runs.size} of ${completed} runs of ${place.what}`,
      ...ways.slice(0, MAX_WAYS).flatMap(wayLines),
      ...(ways.length > MAX_WAYS ? [`… and ${ways.length - MAX_WAYS} other ways (see the report)`] : []),
    ];
    return {
      level: failing ? 'error' : 'warning',
      title: `russo: ${scenario.name}: ${place.turn}${failureKindText(first.kind)} (pass rate ${formatRate(result.summary.passRate)})`,
      message: lines.join('\n'),
      location: place.location,
      failedRuns: group.runs.size,
      passRate: result.summary.passRate ?? 0,
    } satisfies Annotation;
  });
}

/**
 * Where a group of failures is annotated and how it is named. An expectation is annotated where it
 * is written; an unexpected call where the prompt is. In a conversation, at the failing turn: the
 * expected call's or the reply check's line, else the turn's `say`.
 */
function failurePlace(
  scenario: Scenario,
  group: FailureGroup,
  first: CallFailure,
): { subject: string; what: string; turn: string; location: SourceLocation } {
  const turn = group.turn === undefined ? undefined : scenario.turns?.[group.turn];
  if (group.turn !== undefined) {
    const expected = group.index === undefined ? undefined : turn?.expect?.[group.index];
    const reply = first.kind === 'reply' ? turn?.reply : undefined;
    const line = turn ? ` at line ${turn.location.line}` : '';
    return {
      subject: expected?.name ?? (first.kind === 'reply' ? 'the reply' : (first.actual?.name ?? 'the calls')),
      what: `turn ${group.turn + 1}${line}: ${JSON.stringify(turn?.say ?? '')}`,
      turn: `turn ${group.turn + 1}: `,
      location: expected?.location ?? reply?.location ?? turn?.location ?? scenario.location,
    };
  }
  const prompt = scenario.prompts[group.promptIndex];
  const expected = group.index === undefined ? undefined : scenario.expect[group.index];
  return {
    subject: (group.index === undefined ? first.actual?.name : expected?.name) ?? 'the calls',
    what: `the prompt at line ${prompt?.location.line ?? '?'}: ${JSON.stringify(prompt?.text ?? '')}`,
    turn: '',
    location: expected?.location ?? prompt?.location ?? scenario.location,
  };
}

interface Way {
  failure: CallFailure;
  runs: number;
}

/** One way an expectation failed: the message with its run count, the calls, the argument diff or schema errors. */
function wayLines({ failure, runs }: Way): string[] {
  const { expected, actual } = expectedAndActual(failure);
  return [
    `- ${failure.message} (${runs} ${runs === 1 ? 'run' : 'runs'})`,
    ...(expected === null ? [] : [`    expected: ${expected}`]),
    ...(actual === null ? [] : [`    actual:   ${actual}`]),
    ...detailPhrases(failure).map((phrase) => `    ${phrase}`),
  ];
}

/** A scenario or config problem as an error annotation at its file and line. */
export function problemAnnotation(problem: Problem): Annotation {
  return {
    level: 'error',
    title: 'russo: invalid scenario or config',
    message: problem.hint ? `${problem.message}\nfix: ${problem.hint}` : problem.message,
    location: problem,
    failedRuns: 0,
    passRate: 0,
  };
}

/**
 * Writes the first annotations of each level as annotations (errors keep `reservedErrors` slots
 * free, for `core.setFailed`) and the rest as log lines, so nothing is lost; returns the counts.
 * Files are made relative to the workspace: scenario paths are relative to the working directory.
 */
export function emitAnnotations(
  annotations: readonly Annotation[],
  options: { cwd: string; workspace: string; reservedErrors: number },
): AnnotationCounts {
  const slots = {
    error: Math.max(0, ANNOTATIONS_SHOWN_PER_LEVEL - options.reservedErrors),
    warning: ANNOTATIONS_SHOWN_PER_LEVEL,
  };
  const counts: AnnotationCounts = { errors: { shown: 0, hidden: 0 }, warnings: { shown: 0, hidden: 0 } };
  const hidden: string[] = [];
  for (const annotation of annotations) {
    const count = annotation.level === 'error' ? counts.errors : counts.warnings;
    const file = workspacePath(annotation.location.file, options);
    if (count.shown < slots[annotation.level]) {
      const properties = { title: annotation.title, ...fileProperties(file, annotation.location) };
      if (annotation.level === 'error') core.error(annotation.message, properties);
      else core.warning(annotation.message, properties);
      count.shown++;
    } else {
      const line = annotation.location.line > 0 ? `:${annotation.location.line}` : '';
      hidden.push(`${annotation.level} ${file}${line}: ${annotation.title}\n${indent(annotation.message)}`);
      count.hidden++;
    }
  }
  if (hidden.length > 0) {
    core.startGroup(
      `${hidden.length} more not shown as annotations (GitHub shows ${ANNOTATIONS_SHOWN_PER_LEVEL} per step)`,
    );
    hidden.forEach((text) => core.info(text));
    core.endGroup();
  }
  return counts;
}

/** A file path relative to the workspace with forward slashes, as annotations need it. */
export function workspacePath(file: string, options: { cwd: string; workspace: string }): string {
  const absolute = resolve(options.cwd, file);
  const path = relative(options.workspace, absolute);
  if (path.startsWith('..') || isAbsolute(path)) return absolute;
  return path.split(sep).join('/');
}

// A problem at line 0 is not at a place in a file (a glob that matched nothing): no file to point at.
function fileProperties(file: string, location: SourceLocation): core.AnnotationProperties {
  if (location.line <= 0) return {};
  return { file, startLine: location.line, ...(location.column > 0 ? { startColumn: location.column } : {}) };
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}
