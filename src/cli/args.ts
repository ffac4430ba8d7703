import { extname } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checkAlpha, ComparisonError, type FailOnRegression } from '../suite/compare.js';
import { parseShard, ShardError, type Shard } from '../suite/shard.js';
import { nearest } from '../core/suggest.js';
import { UsageError } from './io.js';
import type { ReportFiles, ReportFormat } from '../report/files.js';

/** What a suite is judged with besides its thresholds (`--baseline`, `--alpha`, `--fail-on-regression`, `--pass-k`). */
export interface JudgeFlags {
  /** Path of the baseline's JSON report. */
  baseline?: string;
  alpha?: number;
  /** Absent: `significant`. */
  failOn?: FailOnRegression;
  passK?: number;
}

/** Flags of `russo run`, `russo grade` and `russo merge`. */
export interface RunFlags {
  globs: string[];
  config?: string;
  runs?: number;
  maxConcurrency?: number;
  minPassRate?: number;
  /** `--shard i/n`: run only this share of the plan. */
  shard?: Shard;
  json?: string;
  junit?: string;
  html?: string;
  markdown?: string;
  cache: boolean;
  color?: boolean;
  quiet: boolean;
  judging: JudgeFlags;
}

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  runs: { type: 'string', short: 'n' },
  // promptfoo's name for it.
  repeat: { type: 'string' },
  'max-concurrency': { type: 'string', short: 'j' },
  // The old name, still accepted.
  concurrency: { type: 'string' },
  'min-pass-rate': { type: 'string' },
  shard: { type: 'string' },
  json: { type: 'string' },
  junit: { type: 'string' },
  html: { type: 'string' },
  markdown: { type: 'string' },
  output: { type: 'string', short: 'o', multiple: true },
  'no-cache': { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  baseline: { type: 'string' },
  alpha: { type: 'string' },
  'fail-on-regression': { type: 'string' },
  'pass-k': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type FlagName = keyof typeof OPTIONS;
const REPORT_FLAGS: readonly FlagName[] = ['json', 'junit', 'html', 'markdown', 'output'];
const COLOR_FLAGS: readonly FlagName[] = ['color', 'no-color'];
const JUDGING_FLAGS: readonly FlagName[] = ['baseline', 'alpha', 'fail-on-regression', 'pass-k'];

/**
 * The flags of `run` that the other commands take, and why they refuse the rest: a flag that would
 * be ignored is refused, so nobody believes `russo merge --runs 10` or `russo validate --json` did
 * something.
 */
const OTHER_COMMANDS = {
  validate: {
    takes: ['config', 'runs', 'repeat', 'help'],
    why: 'it checks the scenario and config files and runs nothing',
    fix: 'give it to russo run',
  },
  merge: {
    takes: [...REPORT_FLAGS, ...COLOR_FLAGS, 'help'],
    why: 'it keeps how each shard was run and judged',
    fix: 'merge first (russo merge shard-*.json --json merged.json), then compare the merged report with a baseline: russo compare baseline.json merged.json',
  },
  grade: {
    takes: ['config', 'min-pass-rate', ...JUDGING_FLAGS, ...REPORT_FLAGS, ...COLOR_FLAGS, 'help'],
    why: 'it runs nothing, it grades the answers a report holds',
    fix: 'grade the runs a report holds, or make new ones with russo run',
  },
} satisfies Record<string, { takes: readonly FlagName[]; why: string; fix: string }>;

/** The commands that take `run`'s flags, or some of them. */
export type RunLikeCommand = 'run' | keyof typeof OTHER_COMMANDS;

/** Parses the flags after the command name; a wrong value is a UsageError that names the flag and the fix. */
export function parseRunFlags(argv: string[], command: RunLikeCommand = 'run'): RunFlags & { help: boolean } {
  const parsed = parseFlags(argv, OPTIONS, command);
  const { values, positionals } = parsed;
  if (command !== 'run') refuseOtherFlags(command, Object.keys(values) as FlagName[]);
  return {
    globs: positionals,
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...optionalNumber(
      values.repeat === undefined ? 'runs' : 'repeat',
      aliasedFlag('runs', 'n', values.runs, 'repeat', values.repeat),
      (n) => Number.isInteger(n) && n >= 1,
      'a whole number ≥ 1',
    ),
    ...optionalNumber(
      values.concurrency === undefined ? 'max-concurrency' : 'concurrency',
      aliasedFlag('max-concurrency', 'j', values['max-concurrency'], 'concurrency', values.concurrency),
      (n) => Number.isInteger(n) && n >= 1,
      'a whole number ≥ 1',
    ),
    ...optionalNumber(
      'min-pass-rate',
      values['min-pass-rate'],
      (n) => n >= 0 && n <= 1,
      'a share between 0 and 1, e.g. 0.8',
    ),
    ...(values.shard !== undefined ? { shard: shardFlag(values.shard) } : {}),
    ...reportFlags(values),
    cache: !values['no-cache'],
    ...colorFlag(values),
    quiet: values.quiet ?? false,
    judging: {
      ...(values.baseline === undefined ? {} : { baseline: values.baseline }),
      ...(values.alpha === undefined ? {} : { alpha: parseAlpha(values.alpha) }),
      ...(values['fail-on-regression'] === undefined
        ? {}
        : { failOn: parseFailOn(values['fail-on-regression']) }),
      ...optionalNumber(
        'pass-k',
        values['pass-k'],
        (n) => Number.isInteger(n) && n >= 1,
        'a whole number ≥ 1',
      ),
    },
    help: values.help ?? false,
  };
}

/** A UsageError for the first flag given that `command` does not take. */
function refuseOtherFlags(command: keyof typeof OTHER_COMMANDS, given: readonly FlagName[]): void {
  const { takes, why, fix } = OTHER_COMMANDS[command];
  const refused = given.find((flag) => !(takes as readonly FlagName[]).includes(flag));
  if (refused !== undefined) throw new UsageError(`russo ${command} takes no --${refused}: ${why}`, fix);
}

const POLICIES: readonly FailOnRegression[] = ['significant', 'any', 'off'];

/** `--alpha`: a number in (0, 0.5]; anything else is a usage error. */
export function parseAlpha(raw: string): number {
  const alpha = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(alpha)) {
    throw new UsageError(`--alpha ${JSON.stringify(raw)} is not a number`, 'write e.g. --alpha 0.05');
  }
  try {
    return checkAlpha(alpha);
  } catch (error) {
    if (error instanceof ComparisonError) throw new UsageError(`--${error.message}`, error.hint);
    throw error;
  }
}

/** `--fail-on-regression`: significant, any or off. */
export function parseFailOn(raw: string): FailOnRegression {
  const policy = POLICIES.find((one) => one === raw);
  if (policy === undefined) {
    throw new UsageError(
      `--fail-on-regression ${JSON.stringify(raw)} is not one of ${POLICIES.join(', ')}`,
      'write e.g. --fail-on-regression significant',
    );
  }
  return policy;
}

/**
 * Parses a command's flags with node's parseArgs; a wrong flag is a UsageError, and an unknown one
 * names the known flag nearest to it.
 */
export function parseFlags<Options extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: Options,
  command: string,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const help = `see russo ${command} --help`;
    const unknown = unknownFlag(argv, options, error);
    if (unknown !== undefined) {
      const guess = unknown.startsWith('--') ? nearest(unknown.slice(2), Object.keys(options)) : undefined;
      throw new UsageError(`unknown flag ${unknown}${guess ? ` (did you mean --${guess}?)` : ''}`, help);
    }
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''), help);
  }
}

/** The flag that parseArgs refused as unknown, as the user wrote it (`--colour`), if that was the error. */
function unknownFlag(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  error: unknown,
): string | undefined {
  if ((error as { code?: string }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return undefined;
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  const token = tokens.find((candidate) => candidate.kind === 'option' && !(candidate.name in options));
  return token?.kind === 'option' ? token.rawName : undefined;
}

/** A flag given by its name or by its alias (`--runs` or `--repeat`); both at once is a usage error. */
function aliasedFlag(
  name: string,
  short: string,
  value: string | undefined,
  alias: string,
  aliasValue: string | undefined,
): string | undefined {
  if (value !== undefined && aliasValue !== undefined) {
    throw new UsageError(
      `--${name} and --${alias} are the same flag, given twice`,
      `keep one: --${name} N (or -${short} N)`,
    );
  }
  return value ?? aliasValue;
}

/** `--color` or `--no-color`; neither leaves colour to the terminal and the environment. */
export function colorFlag(values: { color?: boolean; 'no-color'?: boolean }): { color?: boolean } {
  if (values.color && values['no-color']) {
    throw new UsageError(
      '--color and --no-color contradict each other',
      'give one of them, or neither to colour only on a terminal',
    );
  }
  return values.color ? { color: true } : values['no-color'] ? { color: false } : {};
}

/** The format of each report file extension that `-o FILE` understands. */
const EXTENSIONS: Record<string, ReportFormat> = {
  '.json': 'json',
  '.xml': 'junit',
  '.html': 'html',
  '.md': 'markdown',
};

const FORMAT_NAMES: Record<ReportFormat, string> = {
  json: 'JSON',
  junit: 'JUnit XML',
  html: 'HTML',
  markdown: 'Markdown',
};

/**
 * The reports to write: `--json FILE`, `--junit FILE`, `--html FILE`, `--markdown FILE`, and each
 * `-o FILE` in the format its extension names. Each format is written once, so a format given twice
 * is a usage error.
 */
function reportFlags(values: Partial<Record<ReportFormat, string>> & { output?: string[] }): ReportFiles {
  const files: ReportFiles = {};
  const flags: Partial<Record<ReportFormat, string>> = {};
  const add = (format: ReportFormat, file: string, flag: string) => {
    if (flags[format] !== undefined) {
      throw new UsageError(
        `${flags[format]} and ${flag} ${file} both ask for the ${FORMAT_NAMES[format]} report`,
        'russo writes one report of each format: keep one',
      );
    }
    files[format] = file;
    flags[format] = `${flag} ${file}`;
  };
  for (const format of Object.keys(FORMAT_NAMES) as ReportFormat[]) {
    const file = values[format];
    if (file !== undefined) add(format, file, `--${format}`);
  }
  for (const file of values.output ?? []) add(outputFormat(file), file, '-o');
  return files;
}

/** The report format that `-o FILE` names by its extension. */
function outputFormat(file: string): ReportFormat {
  const extension = extname(file).toLowerCase();
  const format = EXTENSIONS[extension];
  if (format === undefined) {
    const known = Object.entries(EXTENSIONS).map(([ending, name]) => `${ending} (${FORMAT_NAMES[name]})`);
    throw new UsageError(
      `-o ${file}: ${extension === '' ? 'a file name without an extension' : `"${extension}"`} names no report format`,
      `end the file name with ${known.slice(0, -1).join(', ')} or ${known.at(-1)}`,
    );
  }
  return format;
}

/** `--shard i/n`; a wrong value is a usage error. */
function shardFlag(raw: string): Shard {
  try {
    return parseShard(raw);
  } catch (error) {
    if (!(error instanceof ShardError)) throw error;
    throw new UsageError(`--shard ${error.message}`, error.hint);
  }
}

const KEYS = {
  runs: 'runs',
  repeat: 'runs',
  'max-concurrency': 'maxConcurrency',
  concurrency: 'maxConcurrency',
  'min-pass-rate': 'minPassRate',
  'pass-k': 'passK',
} as const;

function optionalNumber(
  flag: keyof typeof KEYS,
  raw: string | undefined,
  valid: (n: number) => boolean,
  expected: string,
): Partial<Pick<RunFlags, 'runs' | 'maxConcurrency' | 'minPassRate'> & Pick<JudgeFlags, 'passK'>> {
  if (raw === undefined) return {};
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !valid(value)) {
    throw new UsageError(
      `--${flag} ${JSON.stringify(raw)} is not ${expected}`,
      `write e.g. --${flag} ${flag === 'min-pass-rate' ? '0.8' : flag === 'pass-k' ? '3' : '5'}`,
    );
  }
  return { [KEYS[flag]]: value };
}
