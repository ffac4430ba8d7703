/**
 * The sticky pull request comment: one comment carrying a hidden marker, created on the first run
 * and edited in place on every later one, so a PR shows the latest verdict instead of a pile.
 * Anyone can write the marker: only a comment by the account the token acts for is edited, so a
 * verdict planted by someone else is never taken for russo's.
 */
import * as core from '@actions/core';
import type { getOctokit } from '@actions/github';
import { tokenIdentity } from './identity.js';

/** The hidden line that identifies russo's comment among a PR's comments. */
export const COMMENT_MARKER = '<!-- russo -->';

/** An authenticated REST client, as `@actions/github` makes it. */
export type GitHubClient = ReturnType<typeof getOctokit>;

/** Which pull request to comment on. */
export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

/** What happened to the comment. */
export type CommentOutcome =
  { action: 'created' | 'updated'; id: number; url: string } | { action: 'skipped'; reason: string };

/**
 * Creates or updates the sticky comment. Every page of comments is searched (a busy PR has more
 * than one), and the marker must start the body, so a quote of it in someone's reply is no match.
 * When marked comments exist, the one written by the token's account is updated; when that account
 * cannot be told, a new comment is made rather than editing one that may be someone else's.
 * Any failure (a read-only token on a fork, no `pull-requests: write`, GitHub down) is a warning,
 * never a failed step: the verdict is in the check and the summary anyway.
 */
export async function upsertStickyComment(
  client: GitHubClient,
  pr: PullRequestRef,
  body: string,
): Promise<CommentOutcome> {
  const text = `${COMMENT_MARKER}\n${body}`;
  const where = { owner: pr.owner, repo: pr.repo };
  try {
    const comments = await client.paginate(client.rest.issues.listComments, {
      ...where,
      issue_number: pr.number,
      per_page: 100,
    });
    const marked = comments.filter((comment) => comment.body?.startsWith(COMMENT_MARKER));
    const existing = marked.length === 0 ? undefined : await ownComment(client, marked);
    if (existing) {
      const { data } = await client.rest.issues.updateComment({
        ...where,
        comment_id: existing.id,
        body: text,
      });
      return { action: 'updated', id: data.id, url: data.html_url };
    }
    const { data } = await client.rest.issues.createComment({
      ...where,
      issue_number: pr.number,
      body: text,
    });
    return { action: 'created', id: data.id, url: data.html_url };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const reason =
      status === 403 || status === 404
        ? `GitHub refused the PR comment (HTTP ${status}): give the job \`permissions: pull-requests: write\`; ` +
          'pull requests from forks get a read-only token, so they get no comment'
        : `the PR comment could not be written: ${(error as Error).message}`;
    core.warning(reason);
    return { action: 'skipped', reason };
  }
}

/** The marked comment that the token's account wrote, if any; the others are left alone, and the log says so. */
async function ownComment<T extends { user?: { login: string } | null }>(
  client: GitHubClient,
  marked: T[],
): Promise<T | undefined> {
  const identity = await tokenIdentity(client);
  if (identity.login === undefined) {
    core.info(
      `Posting a new PR comment: russo edits only a comment its own account wrote, and ${identity.reason}.`,
    );
    return undefined;
  }
  const others = marked.filter((comment) => comment.user?.login !== identity.login);
  if (others.length > 0) {
    const authors = [...new Set(others.map((comment) => comment.user?.login ?? 'a deleted account'))];
    core.info(
      `Left ${others.length === 1 ? '1 comment' : `${others.length} comments`} with russo's marker alone ` +
        `(by ${authors.join(', ')}): russo edits only comments by ${identity.login}.`,
    );
  }
  return marked.find((comment) => comment.user?.login === identity.login);
}

/** The pull request of the triggering event (`pull_request`, `pull_request_target`); none on push, schedule, dispatch. */
export function pullRequestOf(context: {
  payload: { pull_request?: { number: number } };
  repo: { owner: string; repo: string };
}): PullRequestRef | undefined {
  const number = context.payload.pull_request?.number;
  return number === undefined ? undefined : { ...context.repo, number };
}
