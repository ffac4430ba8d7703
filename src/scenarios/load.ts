// glob through the module, not a named import: Node 20 has none, and a missing named import fails
// before russo can say which Node it needs (core/supported-node.ts).
import fs, { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { CancelledError } from '../core/errors.js';
import { checkArgumentSpec, ToolSchemas } from '../evaluate/index.js';
import { DEFAULT_SCENARIO_GLOBS, displayPath, loadConfig, matchOptions, type RawMatch } from './config.js';
import { ScenarioError, type Problem } from './errors.js';
import { scenarioSchema } from './schema.js';
import { findSecrets } from './secrets.js';
import { fileSizeProblem, promptLengthProblem } from './limits.js';
import type { Limits, ProviderCatalog, RussoConfig, Scenario, SourceLocation, Suite } from './types.js';
import { toolProblems, toolsFileProblems, type ToolsContext } from './tool-checks.js';
import { compileSchema } from './validate.js';
import { parseYamlFile, type LocatedDocument } from './yaml.js';

/** Where to load from: the working directory, and a config file to use instead of `russo.config.yaml`. */
export interface LoadOptions {
  cwd?: string;
  config?: string;
  /** Stops loading between files (Ctrl-C): loading then throws a CancelledError. */
  signal?: AbortSignal;
}

let validateScenario: ((document: LocatedDocument) => Problem[]) | undefined;

/**
 * Loads the config and the scenario files matched by `globs` (relative to `cwd`; the config's
 * `scenarios` when none are given). Every problem in every file is collected and thrown at once
 * as a ScenarioError, each with its file:line:col and a fix. The config is checked against the
 * providers of `catalog` (suite/load.ts's `loadSuite` gives the registries).
 */
export async function loadSuiteFiles(
  globs: string[] | undefined,
  options: LoadOptions,
  catalog: ProviderCatalog,
): Promise<Suite> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const { config, tools, document: configDocument, problems } = loadConfig(cwd, options.config, catalog);
  const configAt = (path: Array<string | number>) =>
    configDocument?.locate(path) ?? { file: config.file ?? 'russo.config.yaml', line: 0, column: 0 };
  // With a tools file, scenarios are checked against it: tool names, and expected values against schemas.
  const toolsContext: ToolsContext | undefined =
    config.agent?.tools !== undefined && tools.length > 0
      ? { schemas: ToolSchemas.of(tools), source: config.agent.tools }
      : undefined;
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
    if (options.signal?.aborted) {
      throw new CancelledError('cancelled while loading the scenario files: nothing was run');
    }
    const file = displayPath(cwd, path);
    const tooLarge = fileSizeProblem(file, (await stat(path)).size, config.limits.maxFileBytes, false);
    if (tooLarge) {
      problems.push(tooLarge);
      continue;
    }
    const text = await readFile(path, 'utf8');
    const parsed = parseYamlFile(file, text);
    problems.push(...parsed.problems);
    for (const document of parsed.documents) {
      const scenario = toScenario(document, config, toolsContext, problems);
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

/** Validates one YAML document as a scenario; returns it with the config's defaults applied. */
function toScenario(
  document: LocatedDocument,
  config: RussoConfig,
  tools: ToolsContext | undefined,
  problems: Problem[],
): Scenario | undefined {
  validateScenario ??= compileSchema(scenarioSchema);
  const found = [...validateScenario(document), ...findSecrets(document, false)];
  const raw = document.value as RawScenario;
  const match = matchOptions(raw.match, config.defaults.match);
  if (found.length === 0) found.push(...semanticProblems(raw, document, config.limits));
  // Tool checks need valid matcher specs: an unreadable spec is already a problem of its own.
  if (found.length === 0 && tools) found.push(...toolProblems(raw, document, tools, match.validateArguments));
  problems.push(...found);
  if (found.length > 0) return undefined;
  return {
    name: raw.name,
    location: document.locate(['name'], true),
    prompts: raw.prompts.map((text, index) => ({ text, location: document.locate(['prompts', index]) })),
    expect: raw.expect.map((call, index) => ({
      name: call.name,
      ...(call.arguments ? { arguments: call.arguments } : {}),
      location: document.locate(['expect', index]),
    })),
    forbid: raw.forbid ?? [],
    match,
    runs: raw.runs ?? config.defaults.runs,
    ...runsLocation(raw, document, config),
    minPassRate: raw.min_pass_rate ?? config.defaults.minPassRate,
    timeoutMs: raw.timeout_s === undefined ? config.defaults.timeoutMs : raw.timeout_s * 1000,
    ...(raw.tool_results ? { toolResults: raw.tool_results } : {}),
    tags: raw.tags ?? [],
  };
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

/** What the schema cannot say: prompts over the length limit, matcher specs, a tool both expected and forbidden. */
function semanticProblems(raw: RawScenario, document: LocatedDocument, limits: Limits): Problem[] {
  const problems: Problem[] = [];
  raw.prompts.forEach((text, index) => {
    const tooLong = promptLengthProblem(text, limits.maxPromptChars, document.locate(['prompts', index]));
    if (tooLong) problems.push(tooLong);
  });
  raw.expect.forEach((call, index) => {
    for (const problem of checkArgumentSpec(call.arguments ?? {})) {
      problems.push({
        ...document.locate(['expect', index, 'arguments', ...problem.path]),
        message: `${call.name}: ${problem.message}`,
        hint: problem.hint,
      });
    }
    if (raw.forbid?.includes(call.name)) {
      problems.push({
        ...document.locate(['forbid', raw.forbid.indexOf(call.name)]),
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

/** A scenario as written in YAML, after schema validation. */
interface RawScenario {
  name: string;
  prompts: string[];
  expect: Array<{ name: string; arguments?: Record<string, unknown> }>;
  forbid?: string[];
  match?: RawMatch;
  runs?: number;
  min_pass_rate?: number;
  timeout_s?: number;
  tool_results?: Record<string, unknown>;
  tags?: string[];
}
