import { parseArgs } from 'node:util';
import { RussoError } from '../core/errors.js';
import { checkAlpha, ComparisonError, type FailOnRegression } from '../suite/compare.js';
import { parseShard, ShardError, type Shard } from '../suite/shard.js';

/** A wrong command line: printed with the usage, exit code 2. */
export class UsageError extends RussoError {}

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
  'max-concurrency': { type: 'string', short: 'j' },
  // The old name, still accepted.
  concurrency: { type: 'string' },
  'min-pass-rate': { type: 'string' },
  shard: { type: 'string' },
  json: { type: 'string' },
  junit: { type: 'string' },
  html: { type: 'string' },
  markdown: { type: 'string' },
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

/** Parses the flags after the command name; a wrong value is a UsageError that names the flag and the fix. */
export function parseRunFlags(argv: string[]): RunFlags & { help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(
      (error as Error).message.replace(/\. To specify a positional.*$/s, ''),
      'see russo --help',
    );
  }
  const { values, positionals } = parsed;
  return {
    globs: positionals,
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...optionalNumber('runs', values.runs, (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1'),
    ...optionalNumber(
      values.concurrency === undefined ? 'max-concurrency' : 'concurrency',
      maxConcurrencyFlag(values['max-concurrency'], values.concurrency),
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
    ...(values.json !== undefined ? { json: values.json } : {}),
    ...(values.junit !== undefined ? { junit: values.junit } : {}),
    ...(values.html !== undefined ? { html: values.html } : {}),
    ...(values.markdown !== undefined ? { markdown: values.markdown } : {}),
    cache: !values['no-cache'],
    ...(values.color ? { color: true } : values['no-color'] ? { color: false } : {}),
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

/** `--max-concurrency` (`-j`), or its old name `--concurrency`; both at once is a usage error. */
function maxConcurrencyFlag(current: string | undefined, old: string | undefined): string | undefined {
  if (current !== undefined && old !== undefined) {
    throw new UsageError(
      '--max-concurrency and --concurrency are the same flag, given twice',
      'keep one: --max-concurrency N (or -j N)',
    );
  }
  return current ?? old;
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
