import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMENT_MARKER, pullRequestOf, upsertStickyComment } from '../../src/github/comment.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';

const TOKEN = 'ghs_faketoken';
const pr = { owner: 'acme', repo: 'voice', number: 7 };
let fake: FakeGitHub | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
  vi.restoreAllMocks();
});

async function start(options: { maxPerPage?: number; denyWrites?: number } = {}) {
  fake = await startFakeGitHub({ token: TOKEN, owner: 'acme', repo: 'voice', ...options });
  return { fake, client: getOctokit(TOKEN, { baseUrl: fake.url }) };
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
    const lists = fake.requests.filter((request) => request.method === 'GET');
    expect(lists.map((request) => new URL(request.path, 'http://x').searchParams.get('page') ?? '1')).toEqual(
      ['1', '2', '3', '1', '2', '3'],
    );
    expect(fake.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(fake.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
  });

  it('does not take a reply that quotes the marker for its own comment', async () => {
    const { fake, client } = await start();
    fake.addComment(7, `> ${COMMENT_MARKER}\n> the agent failed\nwhy?`);
    const outcome = await upsertStickyComment(client, pr, 'verdict');
    expect(outcome.action).toBe('created');
    expect(fake.comments.get(7)![0]!.body).toContain('why?');
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
