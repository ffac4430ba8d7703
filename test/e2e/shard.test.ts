// A 3-shard matrix simulated on one machine: three `russo run --shard i/3` of the package's CLI, then
// the bundled Action (dist/index.js) in merge mode against the fake GitHub server, as a merge job
// runs it after actions/download-artifact. The verdict must be the unsharded run's; a shard that
// sent no report must fail the merge with the ids of its runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/github/comment.js';
import type { JsonReport } from '../../src/report/json.js';
import { startFakeCacheService } from '../fakes/github-cache-server.js';
import { pullRequestEvent, pushEvent } from '../fakes/github-events.js';
import { runAction } from '../fakes/github-runner.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { project } from '../fixtures/project.js';
import { ensureBundle, russo } from './bundle.js';

const TOKEN = 'ghs_shardworkflowtoken';
const OWNER = 'acme';
const REPO = 'voice';

// A module agent that hears only audio: long clips are bookings, short ones ask for the hours.
const AGENT = `export default function agent(audio) {
  const seconds = audio.pcm.length / audio.sampleRate;
  return [{ name: seconds > 1.8 ? 'book_table' : 'get_opening_hours', arguments: {} }];
}
`;

// Uneven scenarios; "hours" fails on its long prompt, so the gate fails the same way whole and merged.
const FILES = {
  'russo.config.yaml':
    'agent:\n  provider: module\n  module: agent.mjs\nsynthesizer:\n  provider: flite\n  voices: [kal16, slt]\ncache: { enabled: false }\n',
  'agent.mjs': AGENT,
  'scenarios/book.yaml':
    'name: book a table\nprompts: [Book a table for two at seven tonight, A table for two at seven please]\nruns: 3\nexpect:\n  - name: book_table\n',
  'scenarios/hours.yaml':
    'name: opening hours\nprompts: [When are you open, Tell me when the restaurant opens on a Sunday morning]\nruns: 2\nmin_pass_rate: 0.8\nexpect:\n  - name: get_opening_hours\n',
  'scenarios/menu.yaml': 'name: menu\nprompts: [Menu]\nruns: 1\nexpect:\n  - name: get_opening_hours\n',
};

let github: FakeGitHub;
let cwd: string;
let whole: JsonReport;
const shardCodes: number[] = [];

const read = (file: string) => JSON.parse(readFileSync(join(cwd, file), 'utf8')) as JsonReport;

beforeAll(async () => {
  await ensureBundle();
  github = await startFakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO });
  cwd = project(FILES);
  const unsharded = await russo(cwd, 'run', '--json', 'whole.json');
  expect(unsharded.code).toBe(1);
  whole = read('whole.json');
  for (const index of [1, 2, 3]) {
    const { code, stdout, stderr } = await russo(
      cwd,
      'run',
      '--shard',
      `${index}/3`,
      '--json',
      `shards/${index}/report.json`,
    );
    expect(stderr).toMatch(new RegExp(`3 scenarios, shard ${index}/3: \\d+ of 22 runs \\(2 voices\\)`));
    // The verdict says it is a shard's, not the suite's.
    expect(stdout).toMatch(new RegExp(`gate (passed|failed): shard ${index}/3: \\d+/\\d+ runs passed`));
    shardCodes.push(code);
  }
}, 300_000);

afterAll(() => github?.close());

/** The merge job: the Action with `merge`, on a pull request, in the workspace that holds the shards. */
function mergeJob(number: number, merge = 'shards/*/report.json') {
  return runAction({
    workspace: cwd,
    with: { merge, 'report-dir': `merged-${number}` },
    token: TOKEN,
    repository: `${OWNER}/${REPO}`,
    apiUrl: github.url,
    event: { name: 'pull_request', payload: pullRequestEvent({ owner: OWNER, repo: REPO, number }) },
  });
}

const counts = (report: JsonReport) => ({
  summary: { ...report.summary, latency: null },
  gate: report.gate,
  scenarios: report.scenarios.map((s) => [s.name, s.counts, s.passRate, s.interval, s.passed]),
  runs: report.scenarios.flatMap((s) => s.runs.map((run) => `${run.id} ${run.status}`)),
});

describe('a suite in 3 shards', () => {
  it('splits the runs between the shards, each once', () => {
    const shards = [1, 2, 3].map((index) => read(`shards/${index}/report.json`));
    expect(shards.map((shard) => shard.shard && [shard.shard.index, shard.shard.count])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    const ids = shards.flatMap((shard) => counts(shard).runs);
    expect(ids.sort()).toEqual([...counts(whole).runs].sort());
    expect(shards.every((shard) => shard.summary.total > 0)).toBe(true);
    // Each shard gates its own share: the one with the failing prompt fails.
    expect(shardCodes).toContain(1);
  });

  it('merged by the Action, gives the verdict, outputs and comment of the unsharded run', async () => {
    const job = await mergeJob(11);
    expect(job.stdout).toContain(
      'Merging 3 reports: shards/1/report.json, shards/2/report.json, shards/3/report.json',
    );
    expect(job.code).toBe(1);
    const { summary } = whole;
    expect(job.outputs).toEqual({
      result: 'failed',
      'pass-rate': String(summary.passRate),
      passed: String(summary.passed),
      failed: String(summary.failed),
      errored: String(summary.errored),
      total: String(summary.total),
      'report-json': join(cwd, 'merged-11', 'report.json'),
      junit: join(cwd, 'merged-11', 'junit.xml'),
    });
    expect(counts(read('merged-11/report.json'))).toEqual(counts(whole));
    // Published as a run publishes: the summary's verdict and table, an annotation, the sticky comment.
    expect(job.summary.startsWith('<h2>❌ russo: failed</h2>')).toBe(true);
    expect(job.summary).not.toMatch(/shard \d\/3:/);
    expect(job.summary).toContain('opening hours<br><code>scenarios/hours.yaml:1</code>');
    expect(job.stdout).toMatch(/^::error title=russo%3A opening hours.*file=scenarios\/hours.yaml/m);
    const comments = (github.comments.get(11) ?? []).filter((c) => c.body.startsWith(COMMENT_MARKER));
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('opening hours');
  });

  it('fails the merge with error, naming the runs of a shard that sent no report', async () => {
    const lost = read('shards/2/report.json').scenarios.flatMap((s) => s.runs.map((run) => run.id));
    const job = await mergeJob(12, 'shards/1/report.json\nshards/3/report.json');
    expect(job.code).toBe(1);
    expect(job.outputs.result).toBe('error');
    const merged = read('merged-12/report.json');
    expect(merged.missingRuns).toMatchObject({ count: lost.length, shards: [2], shardCount: 3 });
    const message = `${lost.length} of 22 planned runs are in no report (no report of shard 2/3): ${lost.slice(0, 3).join(', ')}`;
    expect(merged.gate.failures.find((f) => f.kind === 'missing_runs')?.message).toContain(message);
    expect(job.summary).toContain(message);
    expect(job.stdout).toMatch(/^::error.*planned runs are in no report/m);
  });

  it('as an Action shard job, runs its share and leaves the annotations and the comment to the merge', async () => {
    // The shard with the failing prompt: a whole run would annotate it and comment.
    const index = shardCodes.indexOf(1) + 1;
    const job = await runAction({
      workspace: cwd,
      with: { shard: `${index}/3`, 'report-dir': 'action-shard' },
      token: TOKEN,
      repository: `${OWNER}/${REPO}`,
      apiUrl: github.url,
      event: { name: 'pull_request', payload: pullRequestEvent({ owner: OWNER, repo: REPO, number: 13 }) },
    });
    const cli = read(`shards/${index}/report.json`);
    const report = read('action-shard/report.json');
    expect(report.shard).toEqual(cli.shard);
    expect(counts(report)).toEqual(counts(cli));
    expect(job.code).toBe(1);
    expect(job.outputs).toMatchObject({ result: 'failed', total: String(cli.summary.total) });
    expect(job.stdout).not.toMatch(/^::error title=russo%3A opening hours/m);
    expect(github.comments.get(13) ?? []).toEqual([]);
    expect(job.summary).toContain(`shard ${index}/3: `);
  });

  it('keeps the baseline in the merge job: a shard stores none, the merge of a push stores the whole suite, a pull request is judged against it', async () => {
    const cache = await startFakeCacheService('runtime-token');
    const env = { ACTIONS_CACHE_URL: cache.url, ACTIONS_RUNTIME_TOKEN: 'runtime-token' };
    const push = { name: 'push', payload: pushEvent({ owner: OWNER, repo: REPO }) };
    const job = (withInputs: Record<string, string>, event: { name: string; payload: unknown }) =>
      runAction({
        workspace: cwd,
        with: { comment: 'false', 'report-dir': 'baseline-job', ...withInputs },
        token: TOKEN,
        repository: `${OWNER}/${REPO}`,
        apiUrl: github.url,
        event,
        env,
      });
    const baselines = () => cache.entries.filter((entry) => entry.key.startsWith('russo-baseline@'));
    try {
      await job({ shard: '1/3' }, push);
      expect(baselines()).toEqual([]);
      const partial = await job({ merge: 'shards/1/report.json\nshards/3/report.json' }, push);
      expect(partial.summary).toMatch(/Baseline: not stored: \d+ planned runs are in no shard report/);
      expect(baselines()).toEqual([]);
      const stored = await job({ merge: 'shards/*/report.json' }, push);
      expect(baselines().map((entry) => entry.key)).toEqual([
        'russo-baseline@main@.@c7d2b7f4a1e9b0f2d5c6e3a8b9f0a1b2c3d4e5f6',
      ]);
      expect(stored.summary).toContain('Baseline: stored as the baseline of main');

      const pullRequest = {
        name: 'pull_request',
        payload: pullRequestEvent({ owner: OWNER, repo: REPO, number: 14 }),
      };
      const judged = await job({ merge: 'shards/*/report.json' }, pullRequest);
      expect(judged.summary).toContain('Against the baseline of main');
      const report = read('baseline-job/report.json');
      expect(report.baseline).toMatchObject({ status: 'compared' });
      // The same runs as the baseline: no change, the thresholds decide as before.
      expect(report.gate).toEqual(whole.gate);
    } finally {
      await cache.close();
    }
  });

  it('refuses, with exit 2, a shard given twice and a --shard that is not i/n', async () => {
    const twice = await russo(
      cwd,
      'merge',
      'shards/1/report.json',
      'shards/2/report.json',
      'shards/1/report.json',
    );
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('shard 1/3 is given twice: reports 1 and 3');
    const baseline = await russo(cwd, 'run', '--shard', '1/3', '--baseline', 'whole.json');
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toContain('russo: --baseline with --shard: a shard holds part of the suite');
    for (const [value, message] of [
      ['0/3', '--shard "0/3": the shard must be from 1 to 3'],
      ['4/3', '--shard "4/3": the shard must be from 1 to 3'],
      ['1/0', '--shard "1/0": the number of shards must be at least 1'],
      ['abc', '--shard "abc" is not i/n'],
    ]) {
      const { code, stderr } = await russo(cwd, 'run', '--shard', value!);
      expect(code, value).toBe(2);
      expect(stderr).toContain(`russo: ${message}\n  fix: write i/n with 1 ≤ i ≤ n, e.g. 1/4`);
    }
  });

  it('merges with the CLI to the same verdict, and fails there too when a shard is missing', async () => {
    const all = await russo(
      cwd,
      'merge',
      ...[3, 1, 2].map((i) => `shards/${i}/report.json`),
      '--json',
      'cli.json',
    );
    expect(all.code).toBe(1);
    expect(counts(read('cli.json'))).toEqual(counts(whole));
    const partial = await russo(cwd, 'merge', 'shards/1/report.json', 'shards/3/report.json');
    expect(partial.code).toBe(1);
    expect(partial.stdout).toContain('planned runs are in no report (no report of shard 2/3)');
  });
});
