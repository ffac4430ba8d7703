/**
 * A replay (`russo grade`): the agent responses recorded in a report graded again against the
 * current scenario files and match options, with no synthesis and no agent call, so that an
 * expectation or a matcher can be tuned without spending. A recorded run is joined to the current
 * files by its id (scenario, prompt index, voice, variant, run index) and must still have the
 * prompt it was spoken from; one that cannot be graded again is reported with why.
 */
import type { Suite } from '../scenarios/types.js';
import { ToolSchemas } from '../evaluate/index.js';
import { scenarioResult, suiteResult, type JudgeOptions } from './result.js';
import { graderOf } from './run.js';
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
 * tools. Errored runs stay errored: they recorded no answer. A scenario with no run left to grade is
 * left out; the result's `replay` lists every run that was not graded and why.
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
    if (scenario === undefined) {
      for (const run of runs) skip(run, 'its scenario is not in the scenario files');
      continue;
    }
    if (scenario.turns !== undefined) {
      for (const run of runs) skip(run, 'conversation runs are not re-graded yet');
      continue;
    }
    const grader = graderOf(scenario, schemas, undefined);
    const graded: SuiteRun[] = [];
    for (const run of runs) {
      if (run.turns !== undefined) {
        skip(run, 'conversation runs are not re-graded yet');
      } else if (scenario.prompts[run.promptIndex]?.text !== run.prompt) {
        skip(run, 'its prompt changed');
      } else if (run.status === 'error' || run.response === undefined) {
        graded.push(run);
      } else {
        const evalResult = grader.evaluator.evaluate(grader.expect, run.response.toolCalls);
        graded.push({ ...run, status: evalResult.passed ? 'passed' : 'failed', evalResult });
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
