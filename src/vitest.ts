/**
 * russo inside a team's own Vitest suite: `await expectToolCalls({prompt, expect, runs, minPassRate})`
 * speaks the prompt with the project's synthesizer (and its audio cache), plays it to the project's
 * agent `runs` times per voice, and fails the test with the per-call diff of every failing run.
 * `await expectConversation({turns, toolResults, runs, minPassRate})` does the same for a
 * conversation, and fails with the transcript of every failing run.
 */
// First of all: an older Node than russo needs fails here, with a line that says what to install.
import './core/supported-node.js';
import { isAbsolute, relative, resolve } from 'node:path';
import { expect as vitestExpect } from 'vitest';
import { RussoError } from './core/errors.js';
import type { Agent, ExpectedCall, MatchOptions, TurnResult } from './core/types.js';
import { checkArgumentSpec, MatcherSpecError } from './evaluate/index.js';
import { plural } from './report/numbers.js';
import { expectationText, failureLines, runLabel, runProblemLines } from './report/failures.js';
import { scenarioRateText } from './report/summary.js';
import { loadConfig } from './scenarios/config.js';
import { configCatalog } from './suite/load.js';
import { ScenarioError } from './scenarios/errors.js';
import { promptLengthProblem } from './scenarios/limits.js';
import { scenarioFromDocument, toolsContextOf } from './scenarios/load.js';
import type { Problem } from './scenarios/errors.js';
import type { Scenario, SourceLocation, Suite } from './scenarios/types.js';
import type { Voice } from './suite/providers.js';
import { runSuite } from './suite/run.js';
import type { ScenarioResult, SuiteRun } from './suite/types.js';

/** One expectation: what the user says, what the agent must call, and how often it must get it right. */
export interface ExpectToolCallsOptions {
  /** What the user says (spoken by the configured synthesizer, never shown to the agent). */
  prompt?: string;
  /** Several ways of saying it; each is run `runs` times per voice. Give `prompt` or `prompts`. */
  prompts?: string[];
  /** The calls the agent must make (values or matchers such as `{regex: '^19:'}`); `[]`: no call at all. */
  expect: ExpectedCall[];
  /** Tools that must never be called. */
  forbid?: string[];
  /**
   * How calls are matched (default: the config's `defaults.match`). With a tools file in the config,
   * `validateArguments: false` stops checking the agent's calls against the tools' schemas.
   */
  match?: Partial<MatchOptions>;
  /** Runs per prompt and voice (default: the config's `defaults.runs`). */
  runs?: number;
  /** Share of completed runs that must pass, 0 to 1 (default: the config's `defaults.min_pass_rate`). */
  minPassRate?: number;
  /** Time one run may take, in seconds (default: the config's `defaults.timeout_s`). */
  timeoutS?: number;
  /** Mocked results per tool name, for agents that continue after a call. */
  toolResults?: Record<string, unknown>;
  /** Name in messages (default: the current test's name). */
  name?: string;
  /** Folder the config is looked for in and paths resolve against (default: process.cwd()). */
  cwd?: string;
  /** Config file (default: russo.config.yaml in `cwd`). */
  config?: string;
  /** Test this agent instead of the configured one. */
  agent?: Agent;
  /** Speak with these voices instead of the configured synthesizer. */
  voices?: Voice[];
  /** Runs in flight at once (default: the config's `max_concurrency`). */
  maxConcurrency?: number;
  /** Where keys are read from (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The expectation did not hold: its message lists the pass rate and why each failing run failed. */
export class ToolCallExpectationError extends RussoError {
  constructor(
    message: string,
    readonly result: ScenarioResult,
  ) {
    super(message);
  }
}

/** Failing runs listed in the message; the rest are counted. */
const LISTED_RUNS = 10;

/**
 * Runs one scenario built in code with the project's providers and cache, and resolves with its
 * result when it passes: the pass rate reaches `minPassRate` and no run errored (as many errors as
 * the config's `gate.max_errors` are tolerated). Otherwise it throws a ToolCallExpectationError
 * whose message shows, for each failing run, the prompt, voice, and the per-call diff.
 */
export async function expectToolCalls(options: ExpectToolCallsOptions): Promise<ScenarioResult> {
  const project = loadProject(options);
  const { scenario, gateFailures } = await runScenario(
    { ...project, scenarios: [scenarioOf(options, project.config)] },
    options,
  );
  if (gateFailures === undefined) return scenario;
  throw new ToolCallExpectationError(failureMessage(scenario, gateFailures), scenario);
}

/** One turn of a conversation: what the caller says, and what the agent must do and say in reply. */
export interface ConversationTurnExpectation {
  /** What the caller says (spoken by the configured synthesizer, never shown to the agent). */
  say: string;
  /** The calls the agent must make in this turn (`[]`: none); absent: its calls are not graded, only `forbid`. */
  expect?: ExpectedCall[];
  /** Tools that must not be called in this turn. */
  forbid?: string[];
  /** What the agent's reply text must say; every check given must hold. */
  reply?: {
    contains?: string | string[];
    containsAny?: string[];
    notContains?: string | string[];
    regex?: string;
    ignoreCase?: boolean;
    /** A sentence the config's `judge` checks the reply against. */
    judge?: string;
  };
}

/** One conversation: its turns, how its tool calls are answered, and how often it must pass. */
export interface ExpectConversationOptions extends Omit<
  ExpectToolCallsOptions,
  'prompt' | 'prompts' | 'expect' | 'forbid' | 'toolResults'
> {
  turns: ConversationTurnExpectation[];
  /**
   * Mocked outcomes per tool name: a plain value, or rules `[{when, result}, {when, error}, {result}]`
   * where the first rule whose `when` matches the call's arguments answers it.
   */
  toolResults?: Record<string, unknown>;
}

/** A conversation did not pass: its message lists the pass rate and the transcript of each failing run. */
export class ConversationExpectationError extends RussoError {
  constructor(
    message: string,
    readonly result: ScenarioResult,
  ) {
    super(message);
  }
}

/**
 * Plays one conversation built in code, `runs` times per voice, with the project's providers and
 * cache, and resolves with its result when it passes (as expectToolCalls). Otherwise it throws a
 * ConversationExpectationError whose message shows each failing run turn by turn: what was said,
 * heard and replied, and why the failing turn failed. The turns are checked as a scenario file's
 * are (a bad matcher, reply check or tool_results rule is a ScenarioError before anything runs).
 */
export async function expectConversation(options: ExpectConversationOptions): Promise<ScenarioResult> {
  const project = loadProject(options);
  const location = testLocation();
  const name = options.name ?? vitestExpect.getState().currentTestName ?? 'expectConversation';
  const problems: Problem[] = [];
  const scenario = scenarioFromDocument(
    { file: location.file, value: conversationDocument(options, name), locate: () => location },
    project.config,
    toolsContextOf(project.config, project.tools),
    problems,
  );
  if (scenario === undefined) throw new ScenarioError(problems);
  const { scenario: result, gateFailures } = await runScenario(
    { ...project, scenarios: [scenario] },
    options,
  );
  if (gateFailures === undefined) return result;
  throw new ConversationExpectationError(failureMessage(result, gateFailures), result);
}

/** The conversation as a scenario file would write it (snake_case keys), so the loader checks it. */
function conversationDocument(options: ExpectConversationOptions, name: string): Record<string, unknown> {
  const defined = (entries: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
  const { match } = options;
  return defined({
    name,
    turns: options.turns.map((turn) =>
      defined({
        say: turn.say,
        expect: turn.expect,
        forbid: turn.forbid,
        reply:
          turn.reply &&
          defined({
            contains: turn.reply.contains,
            contains_any: turn.reply.containsAny,
            not_contains: turn.reply.notContains,
            regex: turn.reply.regex,
            ignore_case: turn.reply.ignoreCase,
            judge: turn.reply.judge,
          }),
      }),
    ),
    match:
      match &&
      defined({
        order: match.order,
        extra_calls: match.extraCalls,
        arguments: match.arguments,
        validate_arguments: match.validateArguments,
      }),
    runs: options.runs,
    min_pass_rate: options.minPassRate,
    timeout_s: options.timeoutS,
    tool_results: options.toolResults,
  });
}

/** The project's config and tools, without scenarios. */
function loadProject(options: Pick<ExpectToolCallsOptions, 'cwd' | 'config'>): Omit<Suite, 'scenarios'> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const { config, tools, problems } = loadConfig(cwd, options.config, configCatalog);
  if (problems.length > 0) throw new ScenarioError(problems);
  return { cwd, config, tools };
}

/** Runs a suite of one scenario; `gateFailures` is set when the gate failed. */
async function runScenario(
  suite: Suite,
  options: Pick<ExpectToolCallsOptions, 'agent' | 'voices' | 'env' | 'maxConcurrency'>,
): Promise<{ scenario: ScenarioResult; gateFailures?: ReadonlyArray<{ kind: string; message: string }> }> {
  const result = await runSuite(suite, {
    ...(options.agent ? { agent: options.agent } : {}),
    ...(options.voices ? { voices: options.voices } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.maxConcurrency ? { overrides: { maxConcurrency: options.maxConcurrency } } : {}),
  });
  const scenario = result.scenarios[0] as ScenarioResult;
  return result.gate.passed ? { scenario } : { scenario, gateFailures: result.gate.failures };
}

/** The expectation as a scenario, with the config's defaults under what the test sets. */
function scenarioOf(options: ExpectToolCallsOptions, config: Suite['config']): Scenario {
  const prompts = options.prompts ?? (options.prompt === undefined ? [] : [options.prompt]);
  if (prompts.length === 0 || prompts.some((prompt) => prompt.trim() === '')) {
    throw new RussoError(
      'expectToolCalls needs what the user says',
      'give `prompt: "..."` or `prompts: [...]`',
    );
  }
  options.expect.forEach((call, index) => {
    const problems = checkArgumentSpec(call.arguments ?? {});
    if (problems.length > 0) throw new MatcherSpecError(problems, { index, name: call.name });
  });
  const minPassRate = options.minPassRate ?? config.defaults.minPassRate;
  if (!(minPassRate >= 0 && minPassRate <= 1)) {
    throw new RussoError(`minPassRate ${minPassRate} is not a share`, 'give a number from 0 to 1, e.g. 0.8');
  }
  const location = testLocation();
  const tooLong = prompts.flatMap(
    (text) => promptLengthProblem(text, config.limits.maxPromptChars, location) ?? [],
  );
  if (tooLong.length > 0) throw new ScenarioError(tooLong);
  return {
    name: options.name ?? vitestExpect.getState().currentTestName ?? prompts[0] ?? 'expectToolCalls',
    location,
    prompts: prompts.map((text) => ({ text, location })),
    expect: options.expect.map((call) => ({ ...call, location })),
    forbid: options.forbid ?? [],
    match: { ...config.defaults.match, ...options.match },
    runs: options.runs ?? config.defaults.runs,
    minPassRate,
    timeoutMs: options.timeoutS === undefined ? config.defaults.timeoutMs : options.timeoutS * 1000,
    ...(options.toolResults ? { toolResults: options.toolResults } : {}),
    tags: [],
  };
}

/** A conversation run turn by turn: what was said (and heard) and replied, and why a turn did not pass. */
function transcriptLines(run: SuiteRun, turns: readonly TurnResult[]): string[] {
  const mark = { passed: '✓', failed: '✗', error: '✗', skipped: '–' } as const;
  return turns.flatMap((turn) => {
    const heard = turn.response?.transcript;
    const replied = turn.response?.text;
    const said = `"${turn.say}"${heard === undefined ? '' : ` (heard "${heard}")`}`;
    const head = `  turn ${turn.index + 1} ${mark[turn.status]} ${said}${replied === undefined ? '' : ` → "${replied}"`}`;
    if (turn.status === 'skipped')
      return [`  turn ${turn.index + 1} – skipped: an earlier turn ended the conversation`];
    if (turn.status === 'error') return [head, `    error: ${turn.error ?? run.error ?? 'unknown error'}`];
    const failures = turn.evalResult?.failures ?? [];
    return [
      head,
      ...failures.flatMap((failure) => failureLines(failure, { diffs: true })).map((line) => `    ${line}`),
    ];
  });
}

/** The test file running the expectation, relative to the working directory; line 0: the line is not known. */
function testLocation(): SourceLocation {
  const testPath = vitestExpect.getState().testPath;
  const file =
    testPath === undefined ? 'vitest' : isAbsolute(testPath) ? relative(process.cwd(), testPath) : testPath;
  return { file, line: 0, column: 0 };
}

/**
 * `book a table: 60% passed (3/5), needs 80%`, the expectation, then each failing run and why (a
 * conversation's as its transcript).
 */
function failureMessage(
  result: ScenarioResult,
  gateFailures: ReadonlyArray<{ kind: string; message: string }>,
): string {
  const { scenario, summary } = result;
  const lines = [
    `${scenario.name}: ${scenarioRateText(summary, scenario.minPassRate)}` +
      (summary.errored > 0 ? `, ${plural(summary.errored, 'run')} errored` : ''),
    ...(scenario.turns ? [] : [`expected: ${expectationText(scenario)}`]),
  ];
  for (const failure of gateFailures) {
    if (failure.kind !== 'scenario_pass_rate') lines.push(failure.message);
  }
  const failing = result.runs.filter((run) => run.status !== 'passed');
  for (const run of failing.slice(0, LISTED_RUNS)) {
    if (run.turns) {
      lines.push('', `✗ ${runLabel(run)}`, ...transcriptLines(run, run.turns));
      continue;
    }
    lines.push('', `✗ "${run.prompt}" · ${runLabel(run)}`);
    const heard = run.response?.transcript;
    if (heard !== undefined) lines.push(`  heard: "${heard}"`);
    lines.push(...runProblemLines(run).map((line) => `  ${line}`));
  }
  if (failing.length > LISTED_RUNS) lines.push('', `… and ${failing.length - LISTED_RUNS} more failing runs`);
  return lines.join('\n');
}
