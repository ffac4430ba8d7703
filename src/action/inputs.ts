import * as core from '@actions/core';
import { RussoError } from '../core/errors.js';
import { parseShard, ShardError, type Shard } from '../suite/shard.js';
import type { FailOnRegression } from '../suite/compare.js';

/** The Action's inputs, parsed and checked (action.yml describes each). */
export interface ActionInputs {
  /** Globs of scenario files, one per line; empty: the config's `scenarios`. */
  scenarios: string[];
  config?: string;
  runs?: number;
  maxConcurrency?: number;
  minPassRate?: number;
  /** `auto`, `off`, or the path of a baseline report (relative to the workspace). */
  baseline: string;
  failOnRegression: FailOnRegression;
  alpha: number;
  openaiApiKey: string;
  geminiApiKey: string;
  githubToken: string;
  comment: boolean;
  annotations: boolean;
  cache: boolean;
  cacheKey: string;
  /** Folder for the report files; empty: none are written. */
  reportDir: string;
  workingDirectory: string;
  onMissingSecrets: 'skip' | 'fail';
  /** Run only this shard of the suite (`1/4`). */
  shard?: Shard;
  /** Globs of shard JSON reports: merge them and run nothing. Empty: run the suite. */
  merge: string[];
}

/** An Action input with a value the Action cannot use. */
export class InputError extends RussoError {}

const SECRET_INPUTS = ['openai-api-key', 'gemini-api-key', 'github-token'];

/** Registers every secret input with the runner's log masking; called before anything else runs. */
export function maskSecretInputs(): void {
  for (const value of secretInputs()) core.setSecret(value);
}

/** The values of the secret inputs (keys and GitHub token) that are set; the runner masks only its log, russo redacts them everywhere else. */
export function secretInputs(): string[] {
  return SECRET_INPUTS.map((name) => core.getInput(name)).filter((value) => value !== '');
}

/** Reads and checks every input; a bad value throws an InputError naming the input and the fix. */
export function readInputs(): ActionInputs {
  const runs = optionalNumber('runs', { integer: true, min: 1 });
  const maxConcurrency = optionalNumber('max-concurrency', { integer: true, min: 1 });
  const minPassRate = optionalNumber('min-pass-rate', { min: 0, max: 1 });
  const config = core.getInput('config');
  const cacheKey = core.getInput('cache-key');
  if (cacheKey === '' || cacheKey.includes(',') || cacheKey.length > 200) {
    throw new InputError(
      `input cache-key is "${cacheKey}"`,
      'use a short prefix without commas, such as russo-audio',
    );
  }
  const onMissingSecrets = core.getInput('on-missing-secrets');
  if (onMissingSecrets !== 'skip' && onMissingSecrets !== 'fail') {
    throw new InputError(`input on-missing-secrets is "${onMissingSecrets}"`, 'use skip or fail');
  }
  const shard = shardInput();
  const merge = core.getMultilineInput('merge');
  if (shard && merge.length > 0) {
    throw new InputError(
      'inputs shard and merge are both set',
      'a shard job runs its share (shard), one merge job after them runs nothing and merges their reports (merge)',
    );
  }
  const baseline = core.getInput('baseline');
  if (baseline === '') {
    throw new InputError('input baseline is empty', 'use auto, off, or the path of a JSON report');
  }
  const failOnRegression = core.getInput('fail-on-regression');
  if (failOnRegression !== 'significant' && failOnRegression !== 'any' && failOnRegression !== 'off') {
    throw new InputError(
      `input fail-on-regression is "${failOnRegression}"`,
      'use significant (a significant drop fails), any (any drop fails) or off',
    );
  }
  const alpha = optionalNumber('alpha', { min: 0, max: 0.5, exclusiveMin: true });
  if (alpha === undefined) throw new InputError('input alpha is empty', 'use a number such as 0.05 or 0.01');
  return {
    scenarios: core.getMultilineInput('scenarios'),
    ...(config === '' ? {} : { config }),
    ...(runs === undefined ? {} : { runs }),
    ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
    ...(minPassRate === undefined ? {} : { minPassRate }),
    baseline,
    failOnRegression,
    alpha,
    openaiApiKey: core.getInput('openai-api-key'),
    geminiApiKey: core.getInput('gemini-api-key'),
    githubToken: core.getInput('github-token'),
    comment: booleanInput('comment'),
    annotations: booleanInput('annotations'),
    cache: booleanInput('cache'),
    cacheKey,
    reportDir: core.getInput('report-dir'),
    workingDirectory: core.getInput('working-directory'),
    onMissingSecrets,
    ...(shard ? { shard } : {}),
    merge,
  };
}

function shardInput(): Shard | undefined {
  const raw = core.getInput('shard');
  if (raw === '') return undefined;
  try {
    return parseShard(raw);
  } catch (error) {
    if (!(error instanceof ShardError)) throw error;
    throw new InputError(`input shard ${error.message}`, error.hint);
  }
}

/**
 * The environment providers read their keys from, and that a command agent inherits: the job's,
 * plus the key inputs, minus what only this Action may hold: its inputs (the GitHub token among
 * them) and the runner's service tokens and URLs, which `run:` steps do not get either.
 */
export function providerEnv(inputs: ActionInputs, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => !name.startsWith('INPUT_') && !/^ACTIONS_.*(TOKEN|URL)$/.test(name),
    ),
  );
  return {
    ...clean,
    ...(inputs.openaiApiKey === '' ? {} : { OPENAI_API_KEY: inputs.openaiApiKey }),
    ...(inputs.geminiApiKey === '' ? {} : { GEMINI_API_KEY: inputs.geminiApiKey }),
  };
}

// The defaults live in action.yml only: a runner passes them for every input not set in the workflow.
function booleanInput(name: string): boolean {
  try {
    return core.getBooleanInput(name);
  } catch {
    throw new InputError(`input ${name} is "${core.getInput(name)}"`, 'use true or false');
  }
}

function optionalNumber(
  name: string,
  rule: { integer?: boolean; min: number; max?: number; exclusiveMin?: boolean },
): number | undefined {
  const raw = core.getInput(name);
  if (raw === '') return undefined;
  const value = Number(raw);
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.exclusiveMin ? value > rule.min : value >= rule.min) &&
    value <= (rule.max ?? Infinity);
  if (!ok) {
    const range =
      rule.max === undefined
        ? `${rule.integer ? 'a whole number ' : ''}≥ ${rule.min}`
        : rule.exclusiveMin
          ? `a number over ${rule.min} and at most ${rule.max}`
          : `a number from ${rule.min} to ${rule.max}`;
    const hint = name === 'alpha' ? 'such as 0.05 or 0.01' : "or leave it empty for the config's value";
    throw new InputError(
      `input ${name} is "${raw}"`,
      `use ${range}${name === 'min-pass-rate' ? ' (0.8 means 80%)' : ''}, ${hint}`,
    );
  }
  return value;
}
