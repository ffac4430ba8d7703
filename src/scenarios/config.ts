import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { MatchOptions, ToolDefinition } from '../core/types.js';
// From its own module, not evaluate/index.ts: reading a config must not load ajv or the evaluator
// before the synthesizer's engine can start (suite/load.ts).
import { DEFAULT_MATCH_OPTIONS } from '../evaluate/match-options.js';
import type { Problem } from './errors.js';
import { DEFAULT_LIMITS, fileSizeProblem } from './limits.js';
import { findSecrets } from './secrets.js';
import { loadTools } from './tools.js';
import { readVariants, type RawVariant } from './variants.js';
import type { ConfigCatalog, ProviderConfig, RussoConfig } from './types.js';
import { schemaChecker } from './validate.js';
import { parseYamlBytes, type LocatedDocument } from './yaml.js';

/** The file names russo looks for in the working directory when no config is named. */
export const CONFIG_FILE_NAMES = ['russo.config.yaml', 'russo.config.yml'];
/** Scenario files run when neither the command line nor the config names any. */
export const DEFAULT_SCENARIO_GLOBS: readonly string[] = ['scenarios/**/*.{yaml,yml}'];

const DEFAULTS = { runs: 3, maxConcurrency: 8, timeoutS: 60, minPassRate: 0.8 };

/** A config as loaded, with its tool definitions and the parsed document (so later checks can point into it). */
export interface LoadedConfig {
  config: RussoConfig;
  /** Tool definitions from the agent's `tools` file; empty when none. */
  tools: ToolDefinition[];
  document?: LocatedDocument;
  problems: Problem[];
}

/**
 * Loads `russo.config.yaml` (or the file named by `configPath`), validates it against the options
 * of the providers (`catalog`'s compiled schema), applies defaults and reads the agent's tools
 * file. A named file that does not exist is a problem; no file at all is fine (defaults, no agent).
 */
export function loadConfig(
  cwd: string,
  configPath: string | undefined,
  catalog: ConfigCatalog,
): LoadedConfig {
  const path = configPath ? resolve(cwd, configPath) : findConfig(cwd);
  const defaultConfig = (baseDir: string) => defaultConfigOf(baseDir, catalog);
  if (path === undefined) return { config: defaultConfig(cwd), tools: [], problems: [] };
  const file = displayPath(cwd, path);
  if (!existsSync(path)) {
    return {
      config: defaultConfig(cwd),
      tools: [],
      problems: [
        {
          file,
          line: 0,
          column: 0,
          message: `config file ${file} does not exist`,
          hint: `check the path given to --config (relative to ${cwd}), or create it: see "Configuration" in the README`,
        },
      ],
    };
  }
  // The config cannot raise the limit for itself: it is read under the default one.
  const tooLarge = fileSizeProblem(file, statSync(path).size, DEFAULT_LIMITS.maxFileBytes, true);
  if (tooLarge) return { config: defaultConfig(cwd), tools: [], problems: [tooLarge] };
  const { documents, problems } = parseYamlBytes(file, readFileSync(path));
  const document = documents[0];
  if (documents.length > 1) {
    problems.push({
      ...(documents[1] as LocatedDocument).locate([]),
      message: 'the config file holds more than one YAML document',
      hint: 'keep one document: remove the "---" separator and merge the settings',
    });
  }
  if (!document) return { config: defaultConfig(cwd), tools: [], problems };
  if (typeof document.value !== 'object' || document.value === null || Array.isArray(document.value)) {
    problems.push({
      ...document.locate([]),
      message: 'the config file must be a YAML mapping (key: value lines)',
      hint: 'start from the example under "Configuration" in the README',
    });
    return { config: defaultConfig(cwd), tools: [], problems };
  }
  const raw = document.value as RawConfig;
  // movedKeys first: it drops the moved key, so that the schema does not also call it unknown.
  const moved = movedKeys(document);
  const schemaProblems = schemaChecker(catalog.validateConfig)(document);
  problems.push(...moved, ...schemaProblems, ...findSecrets(document, true));
  // What the schema cannot see in the variants (a name used twice) is checked on a list it accepted.
  const variants =
    raw.variants && schemaProblems.length === 0
      ? readVariants(raw.variants, document, ['variants'], problems)
      : undefined;
  const config: RussoConfig = {
    ...defaultConfig(dirname(path)),
    file,
    ...(raw.scenarios ? { scenarios: raw.scenarios } : {}),
    ...(raw.agent ? { agent: raw.agent } : {}),
    ...(raw.judge ? { judge: raw.judge } : {}),
    synthesizer: {
      ...raw.synthesizer,
      provider: raw.synthesizer?.provider ?? 'flite',
      voices: raw.synthesizer?.voices ?? [
        ...(catalog.synthesizers[raw.synthesizer?.provider ?? 'flite']?.defaultVoices ?? []),
      ],
    },
    maxConcurrency: raw.max_concurrency ?? DEFAULTS.maxConcurrency,
    defaults: {
      runs: raw.defaults?.runs ?? DEFAULTS.runs,
      timeoutMs: (raw.defaults?.timeout_s ?? DEFAULTS.timeoutS) * 1000,
      match: matchOptions(raw.defaults?.match, DEFAULT_MATCH_OPTIONS),
      minPassRate: raw.defaults?.min_pass_rate ?? DEFAULTS.minPassRate,
    },
    gate: {
      minPassRate: raw.gate?.min_pass_rate ?? null,
      maxErrors: raw.gate?.max_errors ?? 0,
      maxFlakyRate: raw.gate?.max_flaky_rate ?? null,
    },
    cache: {
      enabled: raw.cache?.enabled ?? true,
      dir: resolve(dirname(path), raw.cache?.dir ?? '.russo/cache'),
    },
    limits: {
      maxRuns: raw.limits?.max_runs ?? DEFAULT_LIMITS.maxRuns,
      maxPromptChars: raw.limits?.max_prompt_chars ?? DEFAULT_LIMITS.maxPromptChars,
      maxFileBytes: raw.limits?.max_file_bytes ?? DEFAULT_LIMITS.maxFileBytes,
    },
    ...(variants ? { variants } : {}),
    locations: {
      ...(raw.agent ? { agent: document.locate(['agent']) } : {}),
      ...(raw.synthesizer ? { synthesizer: document.locate(['synthesizer']) } : {}),
      ...(raw.judge ? { judge: document.locate(['judge']) } : {}),
      ...(raw.defaults?.runs === undefined ? {} : { runs: document.locate(['defaults', 'runs']) }),
    },
  };
  const loaded = raw.agent?.tools
    ? loadTools(config.baseDir, raw.agent.tools, document.locate(['agent', 'tools']))
    : { tools: [], problems: [] };
  problems.push(...loaded.problems);
  return { config, tools: loaded.tools, document, problems };
}

/**
 * `defaults.concurrency` became the top-level `max_concurrency` (the name the CLI flag, the Action
 * input and the library option share): a config that still has it gets a problem at its line that
 * says where it went. The key is then dropped, so the schema check does not also call it unknown.
 */
function movedKeys(document: LocatedDocument): Problem[] {
  const defaults = (document.value as { defaults?: unknown }).defaults;
  if (typeof defaults !== 'object' || defaults === null || !('concurrency' in defaults)) return [];
  const { concurrency } = defaults as { concurrency: unknown };
  const problem = {
    ...document.locate(['defaults', 'concurrency'], true),
    message: '`defaults.concurrency` has moved to the top-level key `max_concurrency`',
    hint: `write \`max_concurrency: ${JSON.stringify(concurrency)}\` at the top level of the config (not under \`defaults\`) and remove this line`,
  };
  delete (defaults as { concurrency?: unknown }).concurrency;
  return [problem];
}

/** Match options written in YAML (snake_case), over a base. */
export function matchOptions(raw: RawMatch | undefined, base: MatchOptions): MatchOptions {
  return {
    order: raw?.order ?? base.order,
    extraCalls: raw?.extra_calls ?? base.extraCalls,
    arguments: raw?.arguments ?? base.arguments,
    validateArguments: raw?.validate_arguments ?? base.validateArguments,
  };
}

/** The config of a project without a config file. */
function defaultConfigOf(baseDir: string, catalog: ConfigCatalog): RussoConfig {
  return {
    baseDir,
    scenarios: DEFAULT_SCENARIO_GLOBS,
    synthesizer: { provider: 'flite', voices: [...(catalog.synthesizers.flite?.defaultVoices ?? [])] },
    maxConcurrency: DEFAULTS.maxConcurrency,
    defaults: {
      runs: DEFAULTS.runs,
      timeoutMs: DEFAULTS.timeoutS * 1000,
      match: DEFAULT_MATCH_OPTIONS,
      minPassRate: DEFAULTS.minPassRate,
    },
    gate: { minPassRate: null, maxErrors: 0, maxFlakyRate: null },
    cache: { enabled: true, dir: resolve(baseDir, '.russo/cache') },
    limits: DEFAULT_LIMITS,
    locations: {},
  };
}

function findConfig(cwd: string): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

/** A path as users see it in messages: relative to the working directory, with forward slashes. */
export function displayPath(cwd: string, path: string): string {
  const shown = relative(cwd, path) || '.';
  return shown.split('\\').join('/');
}

/** Match options as written in YAML. */
export interface RawMatch {
  order?: MatchOptions['order'];
  extra_calls?: MatchOptions['extraCalls'];
  arguments?: MatchOptions['arguments'];
  validate_arguments?: boolean;
}

/** The config as written in YAML, after schema validation. */
interface RawConfig {
  scenarios?: string[];
  agent?: ProviderConfig & { tools?: string };
  synthesizer?: ProviderConfig & { voices?: string[] };
  judge?: ProviderConfig;
  max_concurrency?: number;
  defaults?: {
    runs?: number;
    timeout_s?: number;
    match?: RawMatch;
    min_pass_rate?: number;
  };
  gate?: { min_pass_rate?: number; max_errors?: number; max_flaky_rate?: number };
  cache?: { enabled?: boolean; dir?: string };
  limits?: { max_runs?: number; max_prompt_chars?: number; max_file_bytes?: number };
  variants?: RawVariant[];
}
