/**
 * Baselines across workflow runs, kept with the Actions cache. On `push` to the default branch and
 * on `schedule`, the finished suite's JSON report is saved as that branch's baseline under
 * `russo-baseline@<branch>@<working-directory>@<commit>` (cache keys are immutable: one per commit).
 * On `pull_request`, the newest baseline of the base branch is restored by the key's prefix (a pull
 * request may read its base branch's caches) and the suite is judged against it.
 *
 * What is restored is untrusted data: it is used only when it is at most MAX_BASELINE_BYTES, a valid
 * report of this russo's version, and of this suite (a scenario in common); otherwise, and when
 * there is none, the suite is gated on thresholds alone and a notice or warning says why.
 */
import * as core from '@actions/core';
import * as github from '@actions/github';
import { existsSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { writeFileAtomic } from '../core/files.js';
import { checkSameSuite, type FailOnRegression } from '../suite/compare.js';
import { availableActionsCache } from './actions-cache.js';
import type { Baseline } from '../suite/result.js';
import type { SuiteResult } from '../suite/types.js';

/**
 * Where the baseline is written and restored, relative to the folder the Action runs in (the
 * workspace). Relative, because the cache version hashes the path as given: any runner restores it.
 */
export const BASELINE_FILE = '.russo/baseline/report.json';

/** The largest restored baseline russo reads; a larger one is ignored with a warning. */
export const MAX_BASELINE_BYTES = 100 * 1024 * 1024;

/** The Action's baseline inputs and what the keys and checks need to know. */
export interface BaselineSettings {
  /** `auto` (restore on pull requests, store on the default branch and on schedule), `off`, or a report's path. */
  mode: string;
  failOn: FailOnRegression;
  /** The workspace: a path given as `mode` is relative to it. */
  workspace: string;
  /** The working-directory input, part of the key so that two suites of one repository keep two baselines. */
  workingDirectory: string;
  /** The suite's scenario names: a baseline with none of them belongs to another suite. */
  scenarios: readonly string[];
  /** The largest restored baseline read (default MAX_BASELINE_BYTES; tests lower it). */
  maxBytes?: number;
}

/** What the baseline step gives the run, and what it does after. */
export interface BaselineStep {
  /** What to judge the suite against; absent when this event compares with nothing. */
  baseline?: Baseline;
  /** Saves the result as the branch's baseline when this event stores one; returns a line for the summary. */
  store(result: SuiteResult): Promise<string | undefined>;
}

/**
 * The baseline step: restores (on a pull request, `auto`) or reads (a path) the baseline before the
 * suite runs, and stores the result after it (on the default branch or a schedule, `auto`). Problems
 * with a cached baseline are notices and warnings, never a failed step; a path that is not a valid
 * report is bad input and throws.
 */
export async function baselineStep(settings: BaselineSettings): Promise<BaselineStep> {
  const none: BaselineStep = { store: async () => undefined };
  if (settings.mode === 'off') return none;
  if (settings.mode !== 'auto') return { ...none, baseline: await readGiven(settings) };
  const { eventName, payload } = github.context;
  if (eventName === 'pull_request') {
    const base = payload.pull_request?.base?.ref as string | undefined;
    return base === undefined ? none : { ...none, baseline: await restore(base, settings) };
  }
  const branch = storedBranch();
  return branch === undefined ? none : { store: (result) => store(result, branch, settings) };
}

/** The branch whose baseline this run stores: the default branch on a push to it, the branch of a scheduled run. */
function storedBranch(): string | undefined {
  const { eventName, payload, ref } = github.context;
  const branch = (fullRef: string | undefined) => fullRef?.match(/^refs\/heads\/(.+)$/)?.[1];
  if (eventName === 'schedule') return branch(ref);
  if (eventName !== 'push') return undefined;
  const pushed = branch((payload.ref as string | undefined) ?? ref);
  const defaultBranch = payload.repository?.default_branch as string | undefined;
  return pushed !== undefined && pushed === defaultBranch ? pushed : undefined;
}

/** `russo-baseline@main@.@`: each part encoded, so that no branch's prefix is another's. */
function keyPrefix(branch: string, settings: BaselineSettings): string {
  return `russo-baseline@${encodeURIComponent(branch)}@${encodeURIComponent(settings.workingDirectory)}@`;
}

async function readGiven(settings: BaselineSettings): Promise<Baseline> {
  const path = resolve(settings.workspace, settings.mode);
  if (!existsSync(path)) {
    const missing = `${settings.mode} does not exist`;
    core.notice(`No baseline: ${missing}. The suite is gated on thresholds alone.`);
    return { missing };
  }
  const result = await readReport(path, settings.mode);
  return { result, source: settings.mode, failOn: settings.failOn };
}

// The report's reader and writer (with the report schema's validator: 0.22 MB of minified code) load
// only when a baseline is read or stored, not before every job's first run.
async function readReport(path: string, label: string): Promise<SuiteResult> {
  const { fromJsonReport, parseReport } = await import('../report/json.js');
  return fromJsonReport(parseReport(await readFile(path, 'utf8'), label));
}

async function restore(base: string, settings: BaselineSettings): Promise<Baseline> {
  const missing = (reason: string, log: (message: string) => void = core.notice): Baseline => {
    log(`No baseline: ${reason}. The suite is gated on thresholds alone.`);
    return { missing: reason };
  };
  const cache = await availableActionsCache();
  if (cache === undefined) return missing('the Actions cache service is not available here');
  const prefix = keyPrefix(base, settings);
  const path = resolve(BASELINE_FILE);
  let key: string | undefined;
  try {
    await rm(path, { force: true });
    key = await cache.restoreCache([BASELINE_FILE], prefix, [prefix]);
  } catch (error) {
    return missing(`the baseline of ${base} could not be restored (${errorMessage(error)})`, core.warning);
  }
  if (key === undefined) {
    return missing(`no baseline of ${base} is stored yet (one is stored on each push to ${base})`);
  }
  const commit = key.slice(prefix.length, prefix.length + 7);
  try {
    const size = statSync(path).size;
    const limit = settings.maxBytes ?? MAX_BASELINE_BYTES;
    if (size > limit) throw new Error(`it is ${size} bytes, over the ${limit} russo reads`);
    const result = await readReport(path, `the baseline of ${base}`);
    checkSameSuite(
      result.scenarios.map((scenario) => scenario.scenario.name),
      new Set(settings.scenarios),
    );
    core.info(`Baseline: restored ${key}`);
    return { result, source: `the baseline of ${base} at ${commit}`, failOn: settings.failOn };
  } catch (error) {
    return missing(
      `the baseline of ${base} at ${commit} cannot be used: ${errorMessage(error)}`,
      core.warning,
    );
  }
}

async function store(result: SuiteResult, branch: string, settings: BaselineSettings): Promise<string> {
  if (result.cancelled) return `not stored: the suite did not finish`;
  // Merged shards that lost runs are part of a suite: a baseline is always a whole one.
  if (result.missingRuns)
    return `not stored: ${result.missingRuns.count} planned runs are in no shard report`;
  const cache = await availableActionsCache();
  if (cache === undefined) return 'not stored: the Actions cache service is not available here';
  const key = `${keyPrefix(branch, settings)}${github.context.sha}`;
  try {
    const { renderJson } = await import('../report/json.js');
    await writeFileAtomic(resolve(BASELINE_FILE), renderJson(result));
    const id = await cache.saveCache([BASELINE_FILE], key);
    return id === -1
      ? `not stored under ${key} (see the log)`
      : `stored as the baseline of ${branch} under ${key}`;
  } catch (error) {
    core.warning(`The baseline could not be stored: ${errorMessage(error)}`);
    return 'not stored (see the warning)';
  }
}
