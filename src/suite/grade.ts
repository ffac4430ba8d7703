/**
 * A replay (`russo grade`): the agent answers recorded in a report graded again against the current
 * scenario files and match options, with no synthesis, no agent and no judge call, so that an
 * expectation or a matcher can be tuned without spending. A recorded run is joined to the current
 * files by its id (scenario, prompt index, voice, variant, run index) and must still have the prompt
 * (or, for a conversation, every turn's `say`) it was spoken from, and the mocked tool results it was
 * answered with: otherwise the agent would not have said the same, and the run is reported as not
 * replayable, with why.
 */
import { mergeVerdicts } from '../core/pipeline.js';
import type { EvalResult, TurnResult } from '../core/types.js';
import { ToolSchemas } from '../evaluate/index.js';
import type { Scenario, Suite } from '../scenarios/types.js';
import { canonicalJson } from './expectation.js';
import { scenarioResult, suiteResult, type JudgeOptions } from './result.js';
import { graderOf, type Grader } from './run.js';
import type { NotReplayable, ScenarioResult, SuiteResult, SuiteRun } from './types.js';

/** What a replay takes besides the suite and the recorded result. */
export interface GradeOptions {
  /** Where the recorded result came from (the report's path), named in every report. */
  source: string;
  judging?: JudgeOptions;
  /** The suite pass rate to reach instead of the config's (`--min-pass-rate`). */
  minPassRate?: number;
}

/**
 * Grades the recorded runs of `recorded` again with `suite`'s scenarios (by name), thresholds and
 * tools. Errored runs stay errored: they recorded no complete answer. A scenario with no run left to
 * grade is left out; the result's `replay` lists every run that was not graded and why.
 */
export function gradeReport(suite: Suite, recorded: SuiteResult, options: GradeOptions): SuiteResult {
  const schemas = suite.tools.length > 0 ? new ToolSchemas(suite.tools) : undefined;
  const current = new Map(suite.scenarios.map((scenario) => [scenario.name, scenario]));
  const notReplayable: NotReplayable[] = [];
  let regraded = 0;
  const scenarios: ScenarioResult[] = [];
  for (const { scenario: before, runs } of recorded.scenarios) {
    const scenario = current.get(before.name);
    const skip = (run: SuiteRun, reason: string) =>
      notReplayable.push({ id: run.id, scenario: before.name, reason });
    const whole =
      scenario === undefined ? 'its scenario is not in the scenario files' : unreplayable(before, scenario);
    if (scenario === undefined || whole !== undefined) {
      for (const run of runs) skip(run, whole ?? '');
      continue;
    }
    const grader = graderOf(scenario, schemas, undefined);
    const graded: SuiteRun[] = [];
    for (const run of runs) {
      const reason = changedInput(run, scenario);
      if (reason !== undefined) {
        skip(run, reason);
      } else if (run.status === 'error' || run.response === undefined) {
        graded.push(run);
      } else {
        graded.push(gradeRun(run, grader));
        regraded++;
      }
    }
    if (graded.length > 0) scenarios.push(scenarioResult(scenario, graded));
  }
  return suiteResult({
    scenarios,
    minPassRate: options.minPassRate ?? suite.config.gate.minPassRate,
    maxErrors: suite.config.gate.maxErrors,
    maxFlakyRate: suite.config.gate.maxFlakyRate,
    ...(options.judging ? { judging: options.judging } : {}),
    replay: { source: options.source, regraded, notReplayable },
    cancelled: recorded.cancelled,
    ...(recorded.stoppedBy === undefined ? {} : { stoppedBy: recorded.stoppedBy }),
    agent: recorded.agent,
    voices: recorded.voices,
    startedAt: recorded.startedAt,
    durationMs: recorded.durationMs,
    ...(recorded.providers === undefined ? {} : { providers: recorded.providers }),
  });
}

/** Why no run of a scenario can be graded again, if none can. */
function unreplayable(before: Scenario, scenario: Scenario): string | undefined {
  if (canonicalJson(before.toolResults ?? null) !== canonicalJson(scenario.toolResults ?? null)) {
    return 'its mocked tool results changed: the agent was answered differently';
  }
  if (scenario.turns?.some((turn) => turn.reply?.judge !== undefined)) {
    return 'its reply checks ask the judge model, and grade calls no model';
  }
  return undefined;
}

/** Why a recorded run was spoken from something else than the current scenario says, if it was. */
function changedInput(run: SuiteRun, scenario: Scenario): string | undefined {
  if (scenario.turns === undefined) {
    if (run.turns !== undefined) return 'it was a conversation, and its scenario is no longer one';
    return scenario.prompts[run.promptIndex]?.text === run.prompt ? undefined : 'its prompt changed';
  }
  if (run.turns === undefined) return 'it was a single prompt, and its scenario is now a conversation';
  const same =
    run.turns.length === scenario.turns.length &&
    run.turns.every((turn, index) => turn.say === scenario.turns![index]!.say);
  return same ? undefined : 'its turns changed';
}

/** A completed run with its recorded answer graded by the current grader; everything else as recorded. */
function gradeRun(run: SuiteRun, grader: Grader): SuiteRun {
  if (run.turns === undefined) {
    const evalResult = grader.evaluator.evaluate(grader.expect, run.response!.toolCalls);
    return { ...run, status: evalResult.passed ? 'passed' : 'failed', evalResult };
  }
  const turns: TurnResult[] = run.turns.map((turn) => {
    const { say, grader: turnGrader } = grader.turns![turn.index]!;
    // No judge check (those runs are not replayable), so the grade is never a promise.
    const evalResult = turnGrader.grade(turn.response!, { index: turn.index, say }) as EvalResult;
    return { ...turn, status: evalResult.passed ? 'passed' : 'failed', evalResult };
  });
  const evalResult = mergeVerdicts(turns);
  return { ...run, turns, status: evalResult.passed ? 'passed' : 'failed', evalResult };
}
