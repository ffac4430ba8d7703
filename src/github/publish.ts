/**
 * Publishing on GitHub: everything a finished suite (or a run that could not finish) tells the
 * workflow: annotations, the job summary, the PR comment, the outputs and the step's verdict.
 */
import * as core from '@actions/core';
import * as github from '@actions/github';
import type { ReportWrite } from '../report/files.js';
import { markdownFence } from '../report/escape.js';
import { renderMarkdown } from '../report/markdown.js';
import { plural } from '../report/numbers.js';
import { ScenarioError } from '../scenarios/errors.js';
import type { SuiteResult } from '../suite/types.js';
import { emitAnnotations, failureAnnotations, problemAnnotation, workspacePath } from './annotations.js';
import { pullRequestOf, upsertStickyComment } from './comment.js';
import { actionResult } from './outcome.js';
import { setSuiteOutputs } from './outputs.js';
import { noticeSummary, problemsSummary, suiteSummary, writeJobSummary } from './summary.js';

// GitHub refuses comment bodies over 65,536 characters; the margin covers the marker.
const COMMENT_MAX_BYTES = 60_000;

/** Where and what to publish. */
export interface PublishTarget {
  /** The workspace: annotation and report paths are shown relative to it. */
  workspace: string;
  /** The folder scenario paths are relative to (the working-directory input). */
  cwd: string;
  annotations: boolean;
  comment: boolean;
  /** The token for the PR comment. */
  githubToken: string;
}

/** What a finished suite adds: the audio cache's and the stored baseline's lines, the reports written (none without report-dir). */
export interface SuiteExtras {
  cacheNote: string;
  /** What happened to the baseline this run stores; absent when it stores none. */
  baselineNote?: string;
  reports: readonly ReportWrite[];
}

/**
 * Publishes a finished suite: annotations, summary, PR comment and outputs, then fails the step
 * when the gate failed or a report could not be written (naming each one and why). Outputs follow
 * the verdict either way; a report that was not written has an empty path.
 */
export async function publishResult(
  result: SuiteResult,
  target: PublishTarget,
  extras: SuiteExtras,
): Promise<void> {
  const missing = extras.reports
    .filter((write) => write.error !== undefined)
    .map((write) => ({ file: workspacePath(write.path, target), error: write.error as string }));
  const failure = stepFailure(result, missing);
  const annotations = target.annotations
    ? emitAnnotations(failureAnnotations(result), { ...target, reservedErrors: failure ? 1 : 0 })
    : undefined;
  const html = extras.reports.find((write) => write.format === 'html' && write.error === undefined);
  await writeJobSummary(
    suiteSummary(result, {
      cacheNote: extras.cacheNote,
      ...(extras.baselineNote ? { baselineNote: extras.baselineNote } : {}),
      ...(html ? { reportPath: workspacePath(html.path, target) } : {}),
      ...(missing.length > 0 ? { missingReports: missing } : {}),
      ...(annotations ? { annotations } : {}),
    }),
  );
  if (target.comment) {
    await postComment(
      target,
      renderMarkdown(result, { short: true, maxLength: COMMENT_MAX_BYTES, ...detailsUrl() }),
    );
  }
  setSuiteOutputs(actionResult(result), result, extras.reports);
  if (failure) core.setFailed(failure);
}

/** Why the step fails, in one message (one annotation): the gate's failures, then each report not written. */
function stepFailure(
  result: SuiteResult,
  missing: ReadonlyArray<{ file: string; error: string }>,
): string | undefined {
  const parts: string[] = [];
  if (!result.gate.passed) {
    const lines = result.gate.failures.map((failure) => `- ${failure.message}`);
    parts.push(`russo ${actionResult(result)}:\n${lines.join('\n')}`);
  }
  if (missing.length > 0) {
    const lines = missing.map((report) => `- ${report.file}: ${report.error}`);
    parts.push(`russo could not write ${plural(missing.length, 'report')}:\n${lines.join('\n')}`);
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** Publishes a suite that did not run because a key is missing and the workflow chose to skip. */
export async function publishSkipped(reason: string): Promise<void> {
  core.notice(`russo skipped: ${reason}`);
  core.setOutput('result', 'skipped');
  await writeJobSummary(noticeSummary('skipped', `The suite did not run: ${reason}.`));
}

/**
 * Publishes an error before a result (bad input, a config that cannot be loaded): problems annotated
 * at their lines, the summary, and the PR comment (so it is not stale); then fails the step with
 * `text`. Without a target (the inputs could not be read), only annotations and the summary.
 */
export async function publishError(
  error: unknown,
  text: string,
  target: PublishTarget | undefined,
): Promise<void> {
  core.setOutput('result', 'error');
  try {
    if (error instanceof ScenarioError) {
      if (target?.annotations !== false) {
        const where = target ?? { workspace: process.cwd(), cwd: process.cwd() };
        emitAnnotations(error.problems.map(problemAnnotation), { ...where, reservedErrors: 1 });
      }
      await writeJobSummary(problemsSummary(error.problems));
    } else {
      await writeJobSummary(noticeSummary('error', text));
    }
    if (target?.comment) await postComment(target, `### ⚠️ russo: error\n\n${markdownFence(text)}`);
  } catch (reportFailure) {
    core.warning(`Could not report the error: ${reportFailure}`);
  }
  core.setFailed(text);
}

/** Posts or updates the sticky comment when the event is a pull request; otherwise says why not. */
async function postComment(target: PublishTarget, body: string): Promise<void> {
  const pr = pullRequestOf(github.context);
  if (!pr) {
    core.info(`No PR comment: the ${github.context.eventName ?? 'current'} event has no pull request.`);
  } else if (target.githubToken === '') {
    core.warning('No PR comment: the github-token input is empty.');
  } else {
    const url = detailsUrl().detailsUrl;
    const footer = url ? `\n\n[Job summary and logs of this run](${url})` : '';
    const outcome = await upsertStickyComment(github.getOctokit(target.githubToken), pr, `${body}${footer}`);
    if (outcome.action !== 'skipped') core.info(`PR comment ${outcome.action}: ${outcome.url}`);
  }
}

/** This workflow run's page (job summary, logs, artifacts), when the runner says which run it is. */
function detailsUrl(): { detailsUrl?: string } {
  const { serverUrl, runId } = github.context;
  const repository = process.env.GITHUB_REPOSITORY;
  return repository && Number.isFinite(runId)
    ? { detailsUrl: `${serverUrl}/${repository}/actions/runs/${runId}` }
    : {};
}
