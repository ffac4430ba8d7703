import * as core from '@actions/core';
import * as github from '@actions/github';
import { relative, resolve } from 'node:path';
import { RussoError } from '../core/errors.js';
import { createRedactor, secretsOfEnv } from '../core/redact.js';
import { emitAnnotations, failureAnnotations, problemAnnotation } from '../github/annotations.js';
import { restoreAudioCache } from '../github/cache.js';
import { pullRequestOf, upsertStickyComment } from '../github/comment.js';
import { actionResult } from '../github/outcome.js';
import { noticeSummary, problemsSummary, suiteSummary, writeJobSummary } from '../github/summary.js';
import { markdownFence } from '../report/escape.js';
import { renderMarkdown } from '../report/markdown.js';
import { ScenarioError } from '../scenarios/errors.js';
import { loadSuite } from '../suite/load.js';
import { missingSecrets } from '../suite/providers.js';
import { runSuite } from '../suite/run.js';
import {
  InputError,
  maskSecretInputs,
  providerEnv,
  readInputs,
  secretInputs,
  type ActionInputs,
} from './inputs.js';
import { setSuiteOutputs } from './outputs.js';
import { progressLogger } from './progress.js';
import { writeReports } from './reports.js';

// GitHub refuses comment bodies over 65,536 characters; the margin covers the marker.
const COMMENT_MAX_BYTES = 60_000;

/** The Action: load the suite, run it, report on GitHub (summary, annotations, PR comment), gate the step. */
export async function run(): Promise<void> {
  let inputs: ActionInputs | undefined;
  try {
    maskSecretInputs();
    inputs = readInputs();
    const workspace = process.cwd();
    const cwd = resolve(workspace, inputs.workingDirectory);
    const globs = inputs.scenarios.length > 0 ? inputs.scenarios : undefined;
    const suite = await loadSuite(globs, { cwd, ...(inputs.config ? { config: inputs.config } : {}) });
    const env = providerEnv(inputs, process.env);

    const missing = missingSecrets(suite, env);
    if (missing.length > 0) {
      const error = new InputError(
        `${missing.join(', ')} is not set: the configured providers need it`,
        'pass it as an input, e.g. openai-api-key: ${{ secrets.OPENAI_API_KEY }}; pull requests from forks get no secrets: set on-missing-secrets: skip to skip the suite there',
      );
      if (inputs.onMissingSecrets === 'fail') throw error;
      core.notice(`russo skipped: ${error.message} (on-missing-secrets: skip)`);
      core.setOutput('result', 'skipped');
      await writeJobSummary(
        noticeSummary('skipped', `${error.message}; the suite did not run (on-missing-secrets: skip).`),
      );
      return;
    }

    const audioCache = await restoreAudioCache(suite, { enabled: inputs.cache, prefix: inputs.cacheKey });
    const result = await runSuite(suite, {
      env,
      secrets: secretInputs(),
      signal: abortOnCancel(),
      onProgress: progressLogger(),
      overrides: {
        ...(inputs.runs === undefined ? {} : { runs: inputs.runs }),
        ...(inputs.maxConcurrency === undefined ? {} : { concurrency: inputs.maxConcurrency }),
        ...(inputs.minPassRate === undefined ? {} : { minPassRate: inputs.minPassRate }),
      },
    });
    const cacheNote = await audioCache.save();

    const verdict = actionResult(result);
    const reports =
      inputs.reportDir === '' ? undefined : await writeReports(result, resolve(workspace, inputs.reportDir));
    const annotations = inputs.annotations
      ? emitAnnotations(failureAnnotations(result), {
          cwd,
          workspace,
          reservedErrors: result.gate.passed ? 0 : 1,
        })
      : undefined;
    const reportPath = reports ? relative(workspace, reports.html) : undefined;
    await writeJobSummary(
      suiteSummary(result, {
        cacheNote,
        ...(reportPath ? { reportPath } : {}),
        ...(annotations ? { annotations } : {}),
      }),
    );
    if (inputs.comment)
      await comment(
        inputs,
        renderMarkdown(result, { short: true, maxLength: COMMENT_MAX_BYTES, ...detailsUrl() }),
      );
    setSuiteOutputs(verdict, result, reports);
    if (!result.gate.passed)
      core.setFailed(`russo ${verdict}:\n${result.gate.failures.map((f) => `- ${f.message}`).join('\n')}`);
  } catch (error) {
    core.setOutput('result', 'error');
    await reportError(error, inputs).catch((reportFailure) =>
      core.warning(`Could not report the error: ${reportFailure}`),
    );
    core.setFailed(errorText(error));
  }
}

/** An error before a result: problems annotated at their lines, the summary, and the PR comment (so it is not stale). */
async function reportError(error: unknown, inputs: ActionInputs | undefined): Promise<void> {
  if (error instanceof ScenarioError) {
    if (inputs?.annotations !== false) {
      const workspace = process.cwd();
      const cwd = resolve(workspace, inputs?.workingDirectory ?? '.');
      emitAnnotations(error.problems.map(problemAnnotation), { cwd, workspace, reservedErrors: 1 });
    }
    await writeJobSummary(problemsSummary(error.problems));
  } else {
    await writeJobSummary(noticeSummary('error', errorText(error)));
  }
  if (inputs?.comment) await comment(inputs, `### ⚠️ russo: error\n\n${markdownFence(errorText(error))}`);
}

/** Posts or updates the sticky comment when the event is a pull request; otherwise says why not. */
async function comment(inputs: ActionInputs, body: string): Promise<void> {
  const pr = pullRequestOf(github.context);
  if (!pr) {
    core.info(`No PR comment: the ${github.context.eventName ?? 'current'} event has no pull request.`);
  } else if (inputs.githubToken === '') {
    core.warning('No PR comment: the github-token input is empty.');
  } else {
    const url = detailsUrl().detailsUrl;
    const footer = url ? `\n\n[Job summary and logs of this run](${url})` : '';
    const outcome = await upsertStickyComment(github.getOctokit(inputs.githubToken), pr, `${body}${footer}`);
    if (outcome.action !== 'skipped') core.info(`PR comment ${outcome.action}: ${outcome.url}`);
  }
}

/** Aborts the suite when the runner cancels the job (SIGINT, then SIGTERM): finished runs are still reported. */
function abortOnCancel(): AbortSignal {
  const controller = new AbortController();
  const abort = (): void => controller.abort(new Error('the workflow run was cancelled'));
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return controller.signal;
}

/** This workflow run's page (job summary, logs, artifacts), when the runner says which run it is. */
function detailsUrl(): { detailsUrl?: string } {
  const { serverUrl, runId } = github.context;
  const repository = process.env.GITHUB_REPOSITORY;
  return repository && Number.isFinite(runId)
    ? { detailsUrl: `${serverUrl}/${repository}/actions/runs/${runId}` }
    : {};
}

/** The error as the log, summary and comment show it: the inputs' and the environment's secrets redacted. */
function errorText(error: unknown): string {
  const redact = createRedactor([...secretInputs(), ...secretsOfEnv(process.env)]);
  if (error instanceof ScenarioError) return redact(error.message);
  if (error instanceof RussoError && error.hint) return redact(`${error.message}\nfix: ${error.hint}`);
  return redact(error instanceof Error ? error.message : String(error));
}
