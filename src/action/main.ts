import * as core from '@actions/core';
import { resolve } from 'node:path';
import { RussoError } from '../core/errors.js';
import { createRedactor, secretsOfEnv } from '../core/redact.js';
import type { PublishTarget } from '../github/publish.js';
import { ScenarioError } from '../scenarios/errors.js';
import { loadSuite } from '../suite/load.js';
import { prepareSynthesizer } from '../suite/prepare.js';
import type { SuiteResult } from '../suite/types.js';
import { InputError, maskSecretInputs, providerEnv, readInputs, secretInputs } from './inputs.js';
import { progressLogger } from './progress.js';

/**
 * The Action: read the inputs, load and run the suite (or one shard of it), write the reports,
 * publish on GitHub. A merge job (input `merge`) runs nothing: it publishes the shards' merged result.
 *
 * As in the CLI, little is loaded before the config is read, when Flite's worker starts: the
 * providers, the runner and the baseline and cache steps (with @actions/github) are imported after
 * it; what only runs after the suite (the report writers, publishing) or in a merge job, when its
 * step comes; the Actions cache only where the service is (github/actions-cache.ts).
 */
export async function run(): Promise<void> {
  let target: PublishTarget | undefined;
  try {
    maskSecretInputs();
    const inputs = readInputs();
    const workspace = process.cwd();
    const cwd = resolve(workspace, inputs.workingDirectory);
    target = {
      workspace,
      cwd,
      // A shard's verdict covers its share only: the annotations and the PR comment are the merge job's.
      annotations: inputs.annotations && !inputs.shard,
      comment: inputs.comment && !inputs.shard,
      githubToken: inputs.githubToken,
    };
    if (inputs.merge.length > 0) {
      const { mergeJob } = await import('./merge.js');
      const { result, baselineNote } = await mergeJob(inputs, workspace);
      const reports = await writeReports(result, inputs.reportDir, workspace);
      const cacheNote = 'not used: this job merged the shards’ reports and ran nothing';
      const { publishResult } = await import('../github/publish.js');
      return await publishResult(result, target, {
        cacheNote,
        reports,
        ...(baselineNote ? { baselineNote } : {}),
      });
    }
    const globs = inputs.scenarios.length > 0 ? inputs.scenarios : undefined;
    const suite = await loadSuite(globs, {
      cwd,
      ...(inputs.config ? { config: inputs.config } : {}),
      // Flite's worker starts while the scenario files load, when no cached audio serves the first runs.
      onConfig: (config) => prepareSynthesizer(config),
    });
    // What runs the suite is imported once the config is read: Flite's worker boots meanwhile.
    const [{ missingSecrets }, { baselineStep }, { restoreAudioCache }, { runSuite }] = await Promise.all([
      import('../suite/providers.js'),
      import('../github/baseline.js'),
      import('../github/cache.js'),
      import('../suite/run.js'),
    ]);
    const env = providerEnv(inputs, process.env);

    const missing = missingSecrets(suite, env);
    if (missing.length > 0) {
      const error = missingSecretsError(missing);
      if (inputs.onMissingSecrets === 'fail') throw error;
      const { publishSkipped } = await import('../github/publish.js');
      return await publishSkipped(`${error.message} (on-missing-secrets: skip)`);
    }

    // A shard sees part of the suite: it neither compares with the baseline nor stores one (the merge job does).
    const baseline = await baselineStep({
      mode: inputs.shard ? 'off' : inputs.baseline,
      failOn: inputs.failOnRegression,
      workspace,
      workingDirectory: inputs.workingDirectory,
      scenarios: suite.scenarios.map((scenario) => scenario.name),
    });
    // Each shard speaks its own prompts, so each keeps its own audio cache.
    const cachePrefix = inputs.shard
      ? `${inputs.cacheKey}-shard-${inputs.shard.index}-of-${inputs.shard.count}`
      : inputs.cacheKey;
    const audioCache = await restoreAudioCache(suite, { enabled: inputs.cache, prefix: cachePrefix });
    const result = await runSuite(suite, {
      env,
      secrets: secretInputs(),
      signal: abortOnCancel(),
      onProgress: progressLogger(),
      onWarning: (message) => core.warning(message),
      ...(inputs.shard ? { shard: inputs.shard } : {}),
      overrides: {
        ...(inputs.runs === undefined ? {} : { runs: inputs.runs }),
        ...(inputs.maxConcurrency === undefined ? {} : { maxConcurrency: inputs.maxConcurrency }),
        ...(inputs.minPassRate === undefined ? {} : { minPassRate: inputs.minPassRate }),
      },
      judging: { alpha: inputs.alpha, ...(baseline.baseline ? { baseline: baseline.baseline } : {}) },
    });
    const cacheNote = await audioCache.save();
    const baselineNote = await baseline.store(result);
    const reports = await writeReports(result, inputs.reportDir, workspace);
    const { publishResult } = await import('../github/publish.js');
    await publishResult(result, target, { cacheNote, reports, ...(baselineNote ? { baselineNote } : {}) });
  } catch (error) {
    const { publishError } = await import('../github/publish.js');
    await publishError(error, errorText(error), target);
  }
}

/** The four reports in `reportDir` (none when it is empty). */
async function writeReports(result: SuiteResult, reportDir: string, workspace: string) {
  if (reportDir === '') return [];
  const { reportFolder, writeReportFiles } = await import('../report/files.js');
  return await writeReportFiles(result, reportFolder(reportDir), workspace);
}

function missingSecretsError(missing: string[]): InputError {
  return new InputError(
    `${missing.join(', ')} is not set: the configured providers need it`,
    'pass it as an input, e.g. openai-api-key: ${{ secrets.OPENAI_API_KEY }}; pull requests from forks get no secrets: set on-missing-secrets: skip to skip the suite there',
  );
}

/** Aborts the suite when the runner cancels the job (SIGINT, then SIGTERM): finished runs are still reported. */
function abortOnCancel(): AbortSignal {
  const controller = new AbortController();
  const abort = (): void => controller.abort(new Error('the workflow run was cancelled'));
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return controller.signal;
}

/** The error as the log, summary and comment show it: the inputs' and the environment's secrets redacted. */
function errorText(error: unknown): string {
  const redact = createRedactor([...secretInputs(), ...secretsOfEnv(process.env)]);
  if (error instanceof ScenarioError) return redact(error.message);
  if (error instanceof RussoError && error.hint) return redact(`${error.message}\nfix: ${error.hint}`);
  return redact(error instanceof Error ? error.message : String(error));
}
