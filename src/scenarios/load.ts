// glob through the module, not a named import: Node 20 has none, and a missing named import fails
// before russo can say which Node it needs (core/supported-node.ts).
import fs, { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { CancelledError } from '../core/errors.js';
import {
  checkArgumentSpec,
  checkReplyExpectation,
  checkToolResults,
  ToolSchemas,
  type ReplyExpectation,
} from '../evaluate/index.js';
import {
  DEFAULT_SCENARIO_GLOBS,
  displayPath,
  matchOptions,
  type LoadedConfig,
  type RawMatch,
} from './config.js';
import { ScenarioError, type Problem } from './errors.js';
import { findSecrets } from './secrets.js';
import { fileSizeProblem, promptLengthProblem } from './limits.js';
import type { ToolDefinition } from '../core/types.js';
import type {
  RussoConfig,
  Scenario,
  ScenarioExpectedCall,
  ScenarioTurn,
  SourceLocation,
  Suite,
} from './types.js';
import { toolProblems, toolsFileProblems, type ToolsContext } from './tool-checks.js';
import { validateScenario } from './scenario-validator.generated.js';
import { schemaChecker } from './validate.js';
import { readVariants, withThresholds, type RawVariant } from './variants.js';
import { parseYamlBytes, type LocatedDocument } from './yaml.js';

const scenarioProblems = schemaChecker(validateScenario);

/**
 * Loads the scenario files matched by `globs` (relative to `cwd`; the config's `scenarios` when none
 * are given) for a config read by loadConfig (`loaded`). Every problem in every file, the config's
 * included, is collected and thrown at once as a ScenarioError, each with its file:line:col and a fix.
 * suite/load.ts's `loadSuite` reads the config and calls this.
 */
export async function loadScenarioFiles(
  globs: string[] | undefined,
  cwd: string,
  loaded: LoadedConfig,
  signal?: AbortSignal,
): Promise<Suite> {
  const { config, tools, document: configDocument } = loaded;
  const problems = [...loaded.problems];
  const configAt = (path: Array<string | number>) =>
    configDocument?.locate(path) ?? { file: config.file ?? 'russo.config.yaml', line: 0, column: 0 };
  const toolsContext = toolsContextOf(config, tools);
  if (toolsContext) problems.push(...toolsFileProblems(toolsContext, configAt(['agent', 'tools'])));

  const fromCommandLine = globs !== undefined && globs.length > 0;
  const patterns = fromCommandLine
    ? globs.map((pattern) => ({ pattern, baseDir: cwd, where: commandLine() }))
    : config.scenarios.map((pattern, index) => ({
        pattern,
        baseDir: config.baseDir,
        where: config.file ? configAt(['scenarios', index]) : undefined,
      }));
  const files = new Set<string>();
  for (const { pattern, baseDir, where } of patterns) {
    const matched = await expandPattern(pattern, baseDir);
    matched.forEach((file) => files.add(file));
    if (matched.length === 0 && (fromCommandLine || config.scenarios !== DEFAULT_SCENARIO_GLOBS)) {
      problems.push({
        ...(where ?? commandLine()),
        message: `no scenario file matches "${pattern}"`,
        hint: `check the path (relative to ${displayPath(cwd, baseDir) === '.' ? 'the working directory' : displayPath(cwd, baseDir)}); scenario files end in .yaml or .yml`,
      });
    }
  }
  if (files.size === 0 && problems.length === 0) {
    problems.push({
      file: 'scenarios/',
      line: 0,
      column: 0,
      message: 'no scenario files found',
      hint: 'write one under scenarios/ (see "Scenario files" in the README), or pass a path: russo run path/to/scenarios',
    });
  }

  const scenarios: Scenario[] = [];
  for (const path of [...files].sort()) {
    if (signal?.aborted) {
      throw new CancelledError('cancelled while loading the scenario files: nothing was run');
    }
    const file = displayPath(cwd, path);
    const tooLarge = fileSizeProblem(file, (await stat(path)).size, config.limits.maxFileBytes, false);
    if (tooLarge) {
      problems.push(tooLarge);
      continue;
    }
    const parsed = parseYamlBytes(file, await readFile(path));
    problems.push(...parsed.problems);
    for (const document of parsed.documents) {
      const scenario = scenarioFromDocument(document, config, toolsContext, problems);
      if (scenario) scenarios.push(scenario);
    }
  }
  problems.push(...duplicateNames(scenarios));
  if (problems.length > 0) throw new ScenarioError(problems);
  return { cwd, config, tools, scenarios };
}

/** Files a pattern names: a file, every YAML file under a folder, or the matches of a glob. */
async function expandPattern(pattern: string, baseDir: string): Promise<string[]> {
  const absolute = isAbsolute(pattern) ? pattern : resolve(baseDir, pattern);
  const info = await stat(absolute).catch(() => undefined);
  if (info?.isFile()) return [absolute];
  const globPattern = info?.isDirectory() ? `${pattern.replace(/\/+$/, '')}/**/*.{yaml,yml}` : pattern;
  const matched: string[] = [];
  for await (const entry of fs.glob(globPattern, { cwd: baseDir })) {
    const file = resolve(baseDir, entry);
    if (/\.ya?ml$/i.test(file) && (await stat(file)).isFile()) matched.push(file);
  }
  return matched;
}

/** With a tools file, scenarios are checked against it: tool names, and expected values against schemas. */
export function toolsContextOf(config: RussoConfig, tools: ToolDefinition[]): ToolsContext | undefined {
  return config.agent?.tools !== undefined && tools.length > 0
    ? { schemas: ToolSchemas.of(tools), source: config.agent.tools }
    : undefined;
}

/**
 * Validates one document as a scenario (a YAML document, or one built in code by russo/vitest);
 * returns it with the config's defaults applied, or undefined after adding its problems to `problems`.
 */
export function scenarioFromDocument(
  document: LocatedDocument,
  config: RussoConfig,
  tools: ToolsContext | undefined,
  problems: Problem[],
): Scenario | undefined {
  const found = [...scenarioProblems(document), ...findSecrets(document, false)];
  const raw = document.value as RawScenario;
  const match = matchOptions(raw.match, config.defaults.match);
  const valid = found.length === 0;
  if (valid) found.push(...semanticProblems(raw, document, config));
  // Checks beyond the schema (a variant name used twice) need a list the schema accepted.
  const ownVariants =
    valid && raw.variants ? readVariants(raw.variants, document, ['variants'], found) : undefined;
  // Tool checks need valid matcher specs: an unreadable spec is already a problem of its own.
  if (found.length === 0 && tools) found.push(...toolProblems(raw, document, tools, match.validateArguments));
  problems.push(...found);
  if (found.length > 0) return undefined;
  const turns = raw.turns?.map((turn, index) => toTurn(turn, ['turns', index], document));
  const first = turns?.[0];
  const minPassRate = raw.min_pass_rate ?? config.defaults.minPassRate;
  // A scenario's own list replaces the config's.
  const variants = ownVariants ?? config.variants;
  return {
    name: raw.name,
    location: document.locate(['name'], true),
    // A conversation is one run: its first words stand for it where prompts are listed.
    prompts: first
      ? [{ text: first.say, location: first.location }]
      : (raw.prompts ?? []).map((text, index) => ({ text, location: document.locate(['prompts', index]) })),
    expect: expectedCalls(raw.expect ?? [], ['expect'], document),
    forbid: raw.forbid ?? [],
    match,
    runs: raw.runs ?? config.defaults.runs,
    ...runsLocation(raw, document, config),
    minPassRate,
    timeoutMs: raw.timeout_s === undefined ? config.defaults.timeoutMs : raw.timeout_s * 1000,
    ...(raw.tool_results ? { toolResults: raw.tool_results } : {}),
    tags: raw.tags ?? [],
    ...(turns ? { turns } : {}),
    ...(variants ? { variants: withThresholds(variants, minPassRate) } : {}),
  };
}

/** One turn as written, with the locations of its `say`, expected calls and reply check. */
function toTurn(raw: RawTurn, at: Array<string | number>, document: LocatedDocument): ScenarioTurn {
  return {
    say: raw.say,
    location: document.locate([...at, 'say']),
    ...(raw.expect ? { expect: expectedCalls(raw.expect, [...at, 'expect'], document) } : {}),
    forbid: raw.forbid ?? [],
    ...(raw.reply
      ? { reply: { ...replyExpectation(raw.reply), location: document.locate([...at, 'reply']) } }
      : {}),
  };
}

function expectedCalls(
  calls: RawCall[],
  at: Array<string | number>,
  document: LocatedDocument,
): ScenarioExpectedCall[] {
  return calls.map((call, index) => ({
    name: call.name,
    ...(call.arguments ? { arguments: call.arguments } : {}),
    location: document.locate([...at, index]),
  }));
}

/** A reply check as written (snake_case, a text or a list) in the evaluator's shape (lists). */
function replyExpectation(raw: RawReply): ReplyExpectation {
  const list = (value: string | string[] | undefined) => (value === undefined ? undefined : [value].flat());
  const check: ReplyExpectation = {
    contains: list(raw.contains),
    containsAny: raw.contains_any,
    notContains: list(raw.not_contains),
    regex: raw.regex,
    ignoreCase: raw.ignore_case,
    judge: raw.judge,
  };
  return Object.fromEntries(
    Object.entries(check).filter(([, value]) => value !== undefined),
  ) as ReplyExpectation;
}

/** Where a scenario's `runs` comes from: its own key, else the config's `defaults.runs`, else nowhere. */
function runsLocation(
  raw: RawScenario,
  document: LocatedDocument,
  config: RussoConfig,
): { runsLocation?: SourceLocation } {
  if (raw.runs !== undefined) return { runsLocation: document.locate(['runs']) };
  return config.locations.runs ? { runsLocation: config.locations.runs } : {};
}

/**
 * What the schema cannot say: prompts and turns over the length limit, matcher specs, a tool both
 * expected and forbidden, reply checks, a judge check without a judge, and `tool_results` rules.
 */
function semanticProblems(raw: RawScenario, document: LocatedDocument, config: RussoConfig): Problem[] {
  const problems: Problem[] = [];
  const tooLong = (text: string, at: Array<string | number>, what?: string) => {
    const problem = promptLengthProblem(text, config.limits.maxPromptChars, document.locate(at), what);
    if (problem) problems.push(problem);
  };
  raw.prompts?.forEach((text, index) => tooLong(text, ['prompts', index]));
  problems.push(...expectationProblems(raw.expect ?? [], raw.forbid, [], document));
  raw.turns?.forEach((turn, index) => {
    const at = ['turns', index];
    tooLong(turn.say, [...at, 'say'], `the say of turn ${index + 1}`);
    problems.push(...expectationProblems(turn.expect ?? [], turn.forbid, at, document));
    if (turn.reply === undefined) return;
    for (const problem of checkReplyExpectation(replyExpectation(turn.reply))) {
      problems.push({ ...document.locate([...at, 'reply', ...problem.path]), ...messageOf(problem) });
    }
    if (turn.reply.judge !== undefined && config.judge === undefined) {
      problems.push({
        ...document.locate([...at, 'reply', 'judge'], true),
        message: `a judge check needs a judge, and ${config.file ?? 'the config'} names none`,
        hint: 'add `judge: {provider: openai, model: gpt-4o-mini}` to russo.config.yaml (its key is read from OPENAI_API_KEY), or check the reply with contains or regex',
      });
    }
  });
  for (const problem of checkToolResults(raw.tool_results ?? {})) {
    problems.push({ ...document.locate(['tool_results', ...problem.path]), ...messageOf(problem) });
  }
  return problems;
}

function messageOf(problem: { message: string; hint: string }): { message: string; hint: string } {
  return { message: problem.message, hint: problem.hint };
}

/** Invalid matcher specs of expected calls, and tools both expected and forbidden (at `at`: the scenario or a turn). */
function expectationProblems(
  expect: RawCall[],
  forbid: string[] | undefined,
  at: Array<string | number>,
  document: LocatedDocument,
): Problem[] {
  const problems: Problem[] = [];
  expect.forEach((call, index) => {
    for (const problem of checkArgumentSpec(call.arguments ?? {})) {
      problems.push({
        ...document.locate([...at, 'expect', index, 'arguments', ...problem.path]),
        message: `${call.name}: ${problem.message}`,
        hint: problem.hint,
      });
    }
    if (forbid?.includes(call.name)) {
      problems.push({
        ...document.locate([...at, 'forbid', forbid.indexOf(call.name)]),
        message: `"${call.name}" is both expected and forbidden`,
        hint: 'remove it from `forbid` or from `expect`',
      });
    }
  });
  return problems;
}

/** A scenario name used twice is a problem at the second use, pointing back at the first. */
function duplicateNames(scenarios: Scenario[]): Problem[] {
  const first = new Map<string, Scenario>();
  const problems: Problem[] = [];
  for (const scenario of scenarios) {
    const earlier = first.get(scenario.name);
    if (earlier) {
      problems.push({
        ...scenario.location,
        message: `scenario name "${scenario.name}" is already used at ${earlier.location.file}:${earlier.location.line}`,
        hint: 'give each scenario a unique name: reports, annotations and baselines are keyed by it',
      });
    } else {
      first.set(scenario.name, scenario);
    }
  }
  return problems;
}

/** Problems about command-line arguments have no file line to point at. */
function commandLine(): { file: string; line: number; column: number } {
  return { file: 'command line', line: 0, column: 0 };
}

/** An expected call as written. */
interface RawCall {
  name: string;
  arguments?: Record<string, unknown>;
}

/** A reply check as written. */
interface RawReply {
  contains?: string | string[];
  contains_any?: string[];
  not_contains?: string | string[];
  regex?: string;
  ignore_case?: boolean;
  judge?: string;
}

/** A conversation turn as written. */
interface RawTurn {
  say: string;
  expect?: RawCall[];
  forbid?: string[];
  reply?: RawReply;
}

/** A scenario as written in YAML, after schema validation: `prompts` and `expect`, or `turns`. */
interface RawScenario {
  name: string;
  prompts?: string[];
  expect?: RawCall[];
  forbid?: string[];
  turns?: RawTurn[];
  match?: RawMatch;
  runs?: number;
  min_pass_rate?: number;
  timeout_s?: number;
  tool_results?: Record<string, unknown>;
  tags?: string[];
  variants?: RawVariant[];
}
