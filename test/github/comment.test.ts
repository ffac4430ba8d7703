import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMENT_MARKER, pullRequestOf, upsertStickyComment } from '../../src/github/comment.js';
import { isCommentWrite, startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';

const TOKEN = 'ghs_faketoken';
const PAT = 'ghp_fakepersonaltoken';
const pr = { owner: 'acme', repo: 'voice', number: 7 };
let fake: FakeGitHub | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
  vi.restoreAllMocks();
});

async function start(options: { maxPerPage?: number; denyWrites?: number; graphqlStatus?: number } = {}) {
  fake = await startFakeGitHub({
    token: TOKEN,
    tokens: { [PAT]: { user: 'russo-ci' } },
    owner: 'acme',
    repo: 'voice',
    ...options,
  });
  return {
    fake,
    client: getOctokit(TOKEN, { baseUrl: fake.url }),
    personal: getOctokit(PAT, { baseUrl: fake.url }),
  };
}

/** Captures what @actions/core writes as workflow commands. */
function captureStdout(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

describe('upsertStickyComment', () => {
  it('creates the comment once, then updates it in place, searching every page', async () => {
    const { fake, client } = await start({ maxPerPage: 2 });
    for (let i = 0; i < 5; i++) fake.addComment(7, `review comment ${i}`);

    const first = await upsertStickyComment(client, pr, 'first verdict');
    expect(first.action).toBe('created');
    const second = await upsertStickyComment(client, pr, 'second verdict');
    expect(second).toMatchObject({ action: 'updated', id: first.action === 'created' ? first.id : -1 });

    const ours = fake.comments.get(7)!.filter((comment) => comment.body.startsWith(COMMENT_MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toBe(`${COMMENT_MARKER}\nsecond verdict`);
    // 5 comments at 2 a page: 3 pages before the create, 3 (the 6th comment is ours) before the update.
    const lists = fake.requests.filter(
      (request) => request.method === 'GET' && request.path.includes('/comments'),
    );
    expect(lists.map((request) => new URL(request.path, 'http://x').searchParams.get('page') ?? '1')).toEqual(
      ['1', '2', '3', '1', '2', '3'],
    );
    const writes = fake.requests.filter(isCommentWrite);
    expect(writes.map((request) => request.method)).toEqual(['POST', 'PATCH']);
    // Only the update needed to know who the token is: GET /user is refused to it, GraphQL answers.
    expect(fake.requests.filter((request) => !request.path.includes('/comments')).map((r) => r.path)).toEqual(
      ['/user', '/graphql'],
    );
  });

  it('does not take a reply that quotes the marker for its own comment', async () => {
    const { fake, client } = await start();
    fake.addComment(7, `> ${COMMENT_MARKER}\n> the agent failed\nwhy?`);
    const outcome = await upsertStickyComment(client, pr, 'verdict');
    expect(outcome.action).toBe('created');
    expect(fake.comments.get(7)![0]!.body).toContain('why?');
  });

  it.each([
    ['GITHUB_TOKEN', 'client', 'github-actions[bot]'],
    ['a personal access token', 'personal', 'russo-ci'],
  ] as const)(
    'with %s, leaves a marker comment by someone else alone and keeps its own',
    async (_, which, login) => {
      const started = await start();
      const client = started[which];
      const planted = started.fake.addComment(7, `${COMMENT_MARKER}\n✅ gate passed`, 'octocat');
      const out = captureStdout();

      const first = await upsertStickyComment(client, pr, 'real verdict');
      expect(first.action).toBe('created');
      const second = await upsertStickyComment(client, pr, 'next verdict');
      expect(second).toMatchObject({ action: 'updated', id: first.action === 'created' ? first.id : -1 });

      expect(started.fake.comments.get(7)!.map((comment) => [comment.user.login, comment.body])).toEqual([
        ['octocat', `${COMMENT_MARKER}\n✅ gate passed`],
        [login, `${COMMENT_MARKER}\nnext verdict`],
      ]);
      expect(started.fake.requests.filter((r) => r.path.endsWith(`/comments/${planted.id}`))).toEqual([]);
      expect(out.join('')).toContain(
        `Left 1 comment with russo's marker alone (by octocat): russo edits only comments by ${login}.`,
      );
    },
  );

  it('posts a new comment when it cannot tell whose comments are its own, and says why', async () => {
    const { fake, client } = await start({ graphqlStatus: 502 });
    fake.addComment(7, `${COMMENT_MARKER}\nearlier verdict`, 'github-actions[bot]');
    const out = captureStdout();
    const outcome = await upsertStickyComment(client, pr, 'verdict');
    expect(outcome.action).toBe('created');
    expect(fake.comments.get(7)!.map((comment) => comment.body)).toEqual([
      `${COMMENT_MARKER}\nearlier verdict`,
      `${COMMENT_MARKER}\nverdict`,
    ]);
    expect(out.join('')).toMatch(
      /^Posting a new PR comment: russo edits only a comment its own account wrote, and GET \/user is refused to this token and the GraphQL viewer query failed: .+\.$/m,
    );
  });

  it('warns and goes on when GitHub refuses the write (a fork token)', async () => {
    const { fake, client } = await start({ denyWrites: 403 });
    const out = captureStdout();
    const outcome = await upsertStickyComment(client, pr, 'verdict');
    expect(outcome).toMatchObject({ action: 'skipped' });
    expect(out.join('')).toMatch(
      /^::warning::GitHub refused the PR comment \(HTTP 403\).*pull-requests: write/m,
    );
    expect(fake.comments.get(7)).toBeUndefined();
  });

  it('warns on a bad token instead of failing the step', async () => {
    const { fake } = await start();
    const out = captureStdout();
    const outcome = await upsertStickyComment(getOctokit('wrong', { baseUrl: fake.url }), pr, 'verdict');
    expect(outcome).toMatchObject({ action: 'skipped' });
    expect(out.join('')).toMatch(/::warning::the PR comment could not be written: Bad credentials/);
  });
});

describe('pullRequestOf', () => {
  const repo = { owner: 'acme', repo: 'voice' };

  it('finds the pull request of a pull_request event', () => {
    expect(pullRequestOf({ payload: { pull_request: { number: 12 } }, repo })).toEqual({
      ...repo,
      number: 12,
    });
  });

  it('finds none on push, schedule or workflow_dispatch payloads', () => {
    expect(pullRequestOf({ payload: {}, repo })).toBeUndefined();
  });
});
