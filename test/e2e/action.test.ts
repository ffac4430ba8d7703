// The bundled Action (dist/index.js) run as a process, as a runner runs it: INPUT_* variables, a
// step summary file, an outputs file, a pull_request event payload, and GITHUB_API_URL pointing at a
// fake GitHub REST server on 127.0.0.1. The prompts are spoken by the real Flite synthesizer; the
// agent under test is a module that checks it heard speech and answers what the test scripted.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/github/comment.js';
import { pullRequestEvent, pushEvent } from '../fakes/github-events.js';
import { runAction, type ActionRun, type RunActionOptions } from '../fakes/github-runner.js';
import { startFakeCacheService } from '../fakes/github-cache-server.js';
import { isCommentWrite, startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { apiError, FAKE_KEY, speechPcm, speechProblem, startOpenAIHttpFake } from '../fakes/openai-http.js';
import { ensureBundle } from './bundle.js';

const TOKEN = 'ghs_e2eworkflowtoken';
// A personal access token of the account `russo-ci`, passed as the github-token input.
const PAT = 'ghp_e2epersonaltoken';
const OWNER = 'acme';
const REPO = 'voice';
const PR = 7;

// The agent under test: it refuses anything that is not speech, then answers as answer.json says.
const AGENT = `import { readFileSync } from 'node:fs';
export default async function agent(audio) {
  const seconds = audio.pcm.length / audio.sampleRate;
  let energy = 0;
  for (const sample of audio.pcm) energy += sample * sample;
  const rms = Math.sqrt(energy / Math.max(1, audio.pcm.length));
  if (audio.sampleRate < 8000 || seconds < 0.5 || seconds > 15 || rms < 200) {
    throw new Error('not speech: ' + seconds + ' s at ' + audio.sampleRate + ' Hz, rms ' + rms);
  }
  const answer = JSON.parse(readFileSync(new URL('./answer.json', import.meta.url), 'utf8'));
  if (answer.error) throw new Error(answer.error);
  return { toolCalls: answer.tool_calls, transcript: answer.transcript };
}
`;

const CONFIG = `synthesizer:
  provider: flite
  voices: [kal16]
agent:
  provider: module
  module: agent.mjs
max_concurrency: 2
defaults:
  runs: 2
`;

// Line numbers matter: annotations must point at line 5 (the expect item) of note.yaml.
const NOTE_SCENARIO = `name: write a note
prompts:
  - Write down a note that says safe
expect:
  - name: note
    arguments:
      text: safe
min_pass_rate: 1
`;

const BOOK_SCENARIO = `name: book a table
prompts:
  - Book a table for two at seven tonight
expect:
  - name: book_table
    arguments:
      party_size: 2
min_pass_rate: 0.5
`;

const HOSTILE_TEXT = '<script>alert(1)</script> | pipe';

let github: FakeGitHub;

beforeAll(async () => {
  await ensureBundle();
  github = await startFakeGitHub({
    token: TOKEN,
    tokens: { [PAT]: { user: 'russo-ci' } },
    owner: OWNER,
    repo: REPO,
    maxPerPage: 2,
  });
  // Someone else's comments come first, over more than one page.
  github.addComment(PR, 'Looks good to me');
  github.addComment(PR, 'Please add a scenario for cancellations');
  github.addComment(PR, `> ${COMMENT_MARKER}\n> quoting the bot`);
}, 300_000);

afterAll(() => github?.close());

/** A workspace with the config, the agent, the given scenarios and the agent's scripted answer. */
function workspace(files: Record<string, string>, answer: unknown): string {
  const root = mkdtempSync(join(tmpdir(), 'russo-action-e2e-'));
  const all = {
    'russo.config.yaml': CONFIG,
    'agent.mjs': AGENT,
    'answer.json': JSON.stringify(answer),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function run(root: string, options: Partial<RunActionOptions> = {}): Promise<ActionRun> {
  return runAction({
    workspace: root,
    token: TOKEN,
    repository: `${OWNER}/${REPO}`,
    apiUrl: github.url,
    event: { name: 'pull_request', payload: pullRequestEvent({ owner: OWNER, repo: REPO, number: PR }) },
    ...options,
  });
}

function russoComments(pr = PR): string[] {
  return (github.comments.get(pr) ?? [])
    .map((comment) => comment.body)
    .filter((body) => body.startsWith(COMMENT_MARKER));
}

const bookTable = { tool_calls: [{ name: 'book_table', arguments: { party_size: 2, time: '19:00' } }] };

describe('the bundled Action on a pull request', () => {
  it('passes: outputs, summary, report files, and a new PR comment', async () => {
    const root = workspace({ 'scenarios/book.yaml': BOOK_SCENARIO }, bookTable);
    const result = await run(root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({
      result: 'passed',
      'pass-rate': '1',
      passed: '2',
      failed: '0',
      errored: '0',
      total: '2',
      'report-json': join(root, 'russo-report', 'report.json'),
      junit: join(root, 'russo-report', 'junit.xml'),
    });
    for (const file of ['report.json', 'junit.xml', 'report.html', 'report.md']) {
      expect(existsSync(join(root, 'russo-report', file)), file).toBe(true);
    }
    expect(JSON.parse(readFileSync(result.outputs['report-json']!, 'utf8')).summary).toMatchObject({
      passed: 2,
      total: 2,
    });
    expect(result.summary.startsWith('<h2>✅ russo: passed</h2>')).toBe(true);
    expect(result.summary).toContain(
      '<td>✅</td><td>book a table<br><code>scenarios/book.yaml:1</code></td><td>100% [34–100%]</td><td>2</td><td>2</td><td>0</td><td>0</td><td>50%</td>',
    );
    expect(result.summary).toContain(
      'Audio cache: kept for this job only: the Actions cache service is not available here',
    );
    expect(result.stdout).not.toMatch(/^::error/m);

    const comments = russoComments();
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain('book a table');
    expect(
      comments[0]!.endsWith(
        '[Job summary and logs of this run](https://github.example/acme/voice/actions/runs/4242)',
      ),
    ).toBe(true);
    expect(result.stdout).toMatch(
      /PR comment created: https:\/\/github\.example\/acme\/voice\/pull\/7#issuecomment-\d+/,
    );
  });

  it('fails on a regression: annotations at the expect line, an inert summary, and the same comment updated', async () => {
    // Comment writes only: finding out who the token is may take a GraphQL query (a POST too).
    const posts = github.requests.filter(
      (request) => isCommentWrite(request) && request.method === 'POST',
    ).length;
    const root = workspace(
      { 'scenarios/note.yaml': NOTE_SCENARIO },
      {
        tool_calls: [{ name: 'note', arguments: { text: HOSTILE_TEXT } }],
        transcript: 'write <b>down</b> a note',
      },
    );
    const result = await run(root);
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({
      result: 'failed',
      'pass-rate': '0',
      passed: '0',
      failed: '2',
      total: '2',
    });

    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(
      /^::error title=russo%3A write a note%3A wrong arguments \(pass rate 0%25\),file=scenarios\/note.yaml,line=5,col=5::/,
    );
    expect(errors[0]).toContain(
      'note: failed in 2 of 2 runs of the prompt at line 3: "Write down a note that says safe"',
    );
    expect(errors[0]).toContain('%0A    actual:   note({text: "<script>alert(1)</script> | pipe"})%0A');
    expect(errors[1]).toMatch(
      /^::error::russo failed:%0A- write a note: pass rate 0%25 \(0\/2\) is under 100%25/,
    );

    expect(result.summary.startsWith('<h2>❌ russo: failed</h2>')).toBe(true);
    expect(result.summary).not.toContain('<script>');
    expect(result.summary).not.toContain('<b>down</b>');
    expect(result.summary).toContain('&lt;script&gt;alert(1)&lt;/script&gt; | pipe');
    expect(result.summary).toContain('<td>write &lt;b&gt;down&lt;/b&gt; a note</td>');
    const row = result.summary.match(/<tr><td>❌<\/td>.*?<\/tr>/)![0];
    expect(row.match(/<td>/g)).toHaveLength(8);

    // Updated, not duplicated: no new POST, one PATCH of the comment the first test created.
    expect(
      github.requests.filter((request) => isCommentWrite(request) && request.method === 'POST'),
    ).toHaveLength(posts);
    expect(github.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
    const comments = russoComments();
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain('write a note');
    expect(comments[0]).not.toContain('<script>');
  });

  it('errors when runs error, with their own message, not as a regression', async () => {
    const root = workspace({ 'scenarios/book.yaml': BOOK_SCENARIO }, { error: '429 rate limited' });
    const result = await run(root, { with: { comment: 'false' } });
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ result: 'error', errored: '2', failed: '0', 'pass-rate': '' });
    expect(result.stdout).toMatch(/^::error::russo error:%0A- 2 runs errored: agent: 429 rate limited/m);
    expect(result.summary.startsWith('<h2>⚠️ russo: error</h2>')).toBe(true);
  });

  it('errors on a bad scenario file, annotated at the line of each problem', async () => {
    const bad = NOTE_SCENARIO.replace('min_pass_rate: 1', 'min_pass_rate: 2').replace(
      '  - name: note',
      '  - nme: note',
    );
    const root = workspace({ 'scenarios/note.yaml': bad }, bookTable);
    const result = await run(root, { with: { comment: 'false' } });
    expect(result.code).toBe(1);
    expect(result.outputs).toEqual({ result: 'error' });
    const problems = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('::error title=russo%3A invalid'));
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems.some((line) => /file=scenarios\/note.yaml,line=5,/.test(line))).toBe(true);
    expect(problems.some((line) => /file=scenarios\/note.yaml,line=8,/.test(line))).toBe(true);
    expect(result.summary.startsWith('<h2>⚠️ russo: error</h2>')).toBe(true);
    expect(result.summary).toContain('<code>scenarios/note.yaml:8:');
  });

  it('skips with a notice when a key is missing and on-missing-secrets is skip, and fails otherwise', async () => {
    const config = CONFIG.replace(
      'provider: flite\n  voices: [kal16]',
      'provider: openai\n  voices: [alloy]',
    );
    const root = workspace({ 'russo.config.yaml': config, 'scenarios/book.yaml': BOOK_SCENARIO }, bookTable);
    const skipped = await run(root, { with: { 'on-missing-secrets': 'skip', comment: 'false' } });
    expect(skipped.code).toBe(0);
    expect(skipped.outputs).toEqual({ result: 'skipped' });
    expect(skipped.stdout).toMatch(/^::notice::russo skipped: OPENAI_API_KEY is not set/m);
    expect(skipped.summary.startsWith('<h2>⏭️ russo: skipped</h2>')).toBe(true);

    const failed = await run(root, { with: { comment: 'false' } });
    expect(failed.code).toBe(1);
    expect(failed.outputs).toEqual({ result: 'error' });
    expect(failed.stdout).toMatch(/^::error::OPENAI_API_KEY is not set.*%0Afix: pass it as an input/m);
  });
});

describe('limits and typos stop the bundled Action before anything runs', () => {
  // The agent would throw if it were ever called with something that is not speech; here it must not
  // be called at all: every case below is an error of the files, annotated where it is.
  it('runs: 1e9 is an error at its line, with the limit and the fix', async () => {
    const hours = 'name: opening hours\nprompts: [When are you open]\nruns: 1e9\nexpect: []\n';
    const root = workspace({ 'scenarios/hours.yaml': hours }, { error: 'the agent must not be called' });
    const result = await run(root, { with: { comment: 'false' } });
    expect(result.code).toBe(1);
    expect(result.outputs).toEqual({ result: 'error' });
    const annotation = result.stdout
      .split('\n')
      .find(
        (line) =>
          line.startsWith('::error title=russo%3A invalid') &&
          line.includes('file=scenarios/hours.yaml,line=3,'),
      );
    expect(annotation).toContain('the limit is 100,000 (limits.max_runs)');
    expect(result.summary).toContain('<code>scenarios/hours.yaml:3:');
    expect(result.stdout).not.toContain('the agent must not be called');
    expect(existsSync(join(root, 'russo-report', 'report.json'))).toBe(false);
  });

  it('a tool name typo is an error at its line with a did-you-mean, when a tools file is configured', async () => {
    const config = CONFIG.replace('  module: agent.mjs\n', '  module: agent.mjs\n  tools: tools.json\n');
    const tools = [
      {
        name: 'book_table',
        description: 'Books a table',
        parameters: {
          type: 'object',
          properties: { party_size: { type: 'integer' }, time: { type: 'string' } },
          required: ['party_size'],
        },
      },
    ];
    const typo = BOOK_SCENARIO.replace('  - name: book_table', '  - name: book_tabel');
    const root = workspace(
      { 'russo.config.yaml': config, 'tools.json': JSON.stringify(tools), 'scenarios/book.yaml': typo },
      { error: 'the agent must not be called' },
    );
    const result = await run(root, { with: { comment: 'false' } });
    expect(result.code).toBe(1);
    expect(result.outputs).toEqual({ result: 'error' });
    const annotation = result.stdout
      .split('\n')
      .find(
        (line) =>
          line.startsWith('::error title=russo%3A invalid') &&
          line.includes('file=scenarios/book.yaml,line=5,'),
      );
    expect(annotation).toContain('unknown tool "book_tabel"');
    expect(annotation).toContain('did you mean "book_table"');
    expect(result.stdout).not.toContain('the agent must not be called');
  });
});

describe("the sticky comment: only russo's own is edited", () => {
  const PLANTED = `${COMMENT_MARKER}\n### ✅ russo: gate passed\n\nEvery scenario passed.`;

  /** The marker comments of a pull request, with who wrote them. */
  function marked(pr: number): Array<{ id: number; login: string; body: string }> {
    return (github.comments.get(pr) ?? [])
      .filter((comment) => comment.body.startsWith(COMMENT_MARKER))
      .map((comment) => ({ id: comment.id, login: comment.user.login, body: comment.body }));
  }

  function edits(id: number): number {
    return github.requests.filter(
      (request) => request.method === 'PATCH' && request.path.endsWith(`/comments/${id}`),
    ).length;
  }

  it.each([
    ['GITHUB_TOKEN', 8, {}, 'github-actions[bot]'],
    ['a personal access token', 9, { 'github-token': PAT }, 'russo-ci'],
  ])(
    'with %s: a marker comment planted by the PR author stays as it is, and russo keeps its own',
    async (_, pr, withInputs, login) => {
      const planted = github.addComment(pr, PLANTED, 'octocat');
      // Another identity's russo comment (an earlier run with the other token) is not ours either.
      const other = github.addComment(pr, `${COMMENT_MARKER}\nolder verdict`, 'someone-else[bot]');
      const root = workspace({ 'scenarios/note.yaml': NOTE_SCENARIO }, { tool_calls: [] });
      const event = {
        name: 'pull_request',
        payload: pullRequestEvent({ owner: OWNER, repo: REPO, number: pr }),
      };

      const first = await run(root, { event, with: withInputs });
      expect(first.code).toBe(1);
      expect(first.stdout).toContain(
        `Left 2 comments with russo's marker alone (by octocat, someone-else[bot]): russo edits only comments by ${login}.`,
      );
      expect(first.stdout).toMatch(/PR comment created: /);
      const ours = marked(pr).find((comment) => comment.login === login)!;
      expect(ours.body).toContain('❌ russo: gate failed');
      expect(marked(pr)).toEqual([
        { id: planted.id, login: 'octocat', body: PLANTED },
        { id: other.id, login: 'someone-else[bot]', body: `${COMMENT_MARKER}\nolder verdict` },
        ours,
      ]);

      writeFileSync(
        join(root, 'answer.json'),
        JSON.stringify({ tool_calls: [{ name: 'note', arguments: { text: 'safe' } }] }),
      );
      const second = await run(root, { event, with: withInputs });
      expect(second.code).toBe(0);
      expect(second.stdout).toContain(
        `PR comment updated: ${`https://github.example/${OWNER}/${REPO}/pull/${pr}#issuecomment-${ours.id}`}`,
      );
      expect(marked(pr).map((comment) => comment.body)).toEqual([
        PLANTED,
        `${COMMENT_MARKER}\nolder verdict`,
        expect.stringContaining('✅ russo: gate passed'),
      ]);
      expect([edits(planted.id), edits(other.id), edits(ours.id)]).toEqual([0, 0, 1]);
    },
  );
});

describe('reports are never lost (the bundled Action)', () => {
  it('a report-dir under a file: the step fails naming each report, and every other output is set', async () => {
    const root = workspace(
      { 'scenarios/book.yaml': BOOK_SCENARIO, afile: 'a file, not a folder' },
      bookTable,
    );
    const result = await run(root, { with: { 'report-dir': 'afile/reports', comment: 'false' } });
    expect(result.code).toBe(1);
    expect(result.outputs).toEqual({
      result: 'passed',
      'pass-rate': '1',
      passed: '2',
      failed: '0',
      errored: '0',
      total: '2',
      'report-json': '',
      junit: '',
    });
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(errors).toEqual([
      '::error::russo could not write 4 reports:' +
        ['report.json', 'junit.xml', 'report.html', 'report.md']
          .map((file) => `%0A- afile/reports/${file}: ENOTDIR (not a directory)`)
          .join(''),
    ]);
    expect(result.summary.startsWith('<h2>✅ russo: passed</h2>')).toBe(true);
    expect(result.summary).toContain(
      '<p><b>Reports not written:</b> <code>afile/reports/report.json</code> (ENOTDIR (not a directory))',
    );
    expect(result.summary).not.toContain('Full report:');
  });

  it('a failed gate and a report that cannot be written: annotations, comment and both reasons', async () => {
    const root = workspace(
      { 'scenarios/note.yaml': NOTE_SCENARIO, afile: '' },
      { tool_calls: [{ name: 'note', arguments: { text: 'unsafe' } }] },
    );
    const event = {
      name: 'pull_request',
      payload: pullRequestEvent({ owner: OWNER, repo: REPO, number: 10 }),
    };
    const result = await run(root, { event, with: { 'report-dir': 'afile/reports' } });
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ result: 'failed', failed: '2', total: '2', 'report-json': '' });
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(errors[0]).toMatch(/^::error title=russo%3A write a note.*,file=scenarios\/note.yaml,line=5,/);
    expect(errors.at(-1)).toMatch(
      /^::error::russo failed:%0A- write a note: pass rate 0%25.*%0Arusso could not write 4 reports:%0A- afile\/reports\/report.json: ENOTDIR/,
    );
    expect(result.summary.startsWith('<h2>❌ russo: failed</h2>')).toBe(true);
    expect(russoComments(10)).toEqual([expect.stringContaining('write a note')]);
  });

  it('an audio cache folder under /proc: one warning, and the suite runs from memory', async () => {
    const config = `${CONFIG}cache:\n  dir: /proc/russo-no-such-folder/cache\n`;
    const twoPrompts = BOOK_SCENARIO.replace(
      '  - Book a table for two at seven tonight\n',
      '  - Book a table for two at seven tonight\n  - Can I get a table for two people at seven\n',
    );
    const root = workspace({ 'russo.config.yaml': config, 'scenarios/book.yaml': twoPrompts }, bookTable);
    const result = await run(root, { with: { comment: 'false' } });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ result: 'passed', total: '4' });
    const warnings = result.stdout.split('\n').filter((line) => line.startsWith('::warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^::warning::the audio cache folder \/proc\/russo-no-such-folder\/cache cannot be used: ENOENT/,
    );
  }, 180_000);
});

describe('the bundled Action elsewhere', () => {
  it('makes no comment on a push', async () => {
    const before = github.requests.length;
    const root = workspace({ 'scenarios/book.yaml': BOOK_SCENARIO }, bookTable);
    const result = await run(root, {
      event: { name: 'push', payload: pushEvent({ owner: OWNER, repo: REPO }) },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No PR comment: the push event has no pull request.');
    expect(github.requests.length).toBe(before);
  });

  it('warns and passes when the token may not comment (a pull request from a fork)', async () => {
    const readOnly = await startFakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO, denyWrites: 403 });
    try {
      const root = workspace({ 'scenarios/book.yaml': BOOK_SCENARIO }, bookTable);
      const result = await run(root, {
        apiUrl: readOnly.url,
        event: {
          name: 'pull_request',
          payload: pullRequestEvent({ owner: OWNER, repo: REPO, number: PR, fork: true }),
        },
      });
      expect(result.code).toBe(0);
      expect(result.outputs.result).toBe('passed');
      expect(result.stdout).toMatch(/^::warning::GitHub refused the PR comment \(HTTP 403\)/m);
      expect(readOnly.requests.map((request) => request.method)).toEqual(['GET', 'POST']);
    } finally {
      await readOnly.close();
    }
  });
});

describe('what the bundled Action loads before its first run', () => {
  // Runs in the Action's process (NODE_OPTIONS=--import): records the URL of every module Node loads,
  // the bundle's lazy chunks (dist/<id>.index.js) among them.
  const HOOK = `import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
registerHooks({
  load(url, context, nextLoad) {
    appendFileSync(process.env.LOADED_LOG, url + '\\n');
    return nextLoad(url, context);
  },
});
`;

  /** The one chunk of dist/ whose code matches `marker`; fails when dist/index.js itself holds it. */
  function chunkHolding(marker: RegExp): string {
    expect(marker.test(readFileSync('dist/index.js', 'utf8')), `${marker} in dist/index.js`).toBe(false);
    const holders = readdirSync('dist')
      .filter((file) => /^\d+\.index\.js$/.test(file))
      .filter((file) => marker.test(readFileSync(join('dist', file), 'utf8')));
    expect(holders, `the chunks holding ${marker}`).toHaveLength(1);
    return holders[0]!;
  }

  it('loads the Actions cache (Azure storage SDK) and the report reader only where they are used', async () => {
    // Class and function names survive minification (scripts/bundle.mjs).
    const storage = chunkHolding(/class BlockBlobClient /);
    const reportReader = chunkHolding(/function parseReport\(/);
    const hook = join(mkdtempSync(join(tmpdir(), 'russo-hook-')), 'hook.mjs');
    writeFileSync(hook, HOOK);
    // The chunks loaded before the agent's module (the first run's first step), and all of them.
    const loadedChunks = async (env: Record<string, string>) => {
      const log = join(dirname(hook), `loaded-${Object.keys(env).length}.txt`);
      writeFileSync(log, '');
      const root = workspace({ 'scenarios/book.yaml': BOOK_SCENARIO }, bookTable);
      const result = await run(root, {
        event: { name: 'push', payload: pushEvent({ owner: OWNER, repo: REPO }) },
        env: { NODE_OPTIONS: `--import ${pathToFileURL(hook).href}`, LOADED_LOG: log, ...env },
      });
      expect(result.code).toBe(0);
      const loaded = readFileSync(log, 'utf8').split('\n');
      const agent = loaded.indexOf(pathToFileURL(join(root, 'agent.mjs')).href);
      expect(agent).toBeGreaterThan(loaded.indexOf(pathToFileURL(resolve('dist/index.js')).href));
      const chunks = (urls: string[]) => urls.map((url) => url.match(/\/dist\/(\d+\.index\.js)$/)?.[1]);
      return { result, beforeRun: chunks(loaded.slice(0, agent)), all: chunks(loaded) };
    };
    // No cache service (a plain shell): the push to main stores no baseline, the storage SDK never
    // loads, and the report reader only to write the reports after the suite.
    const plain = await loadedChunks({});
    expect(plain.result.summary).toContain('not stored: the Actions cache service is not available here');
    expect(plain.all).not.toContain(storage);
    expect(plain.beforeRun).not.toContain(reportReader);
    expect(plain.all).toContain(reportReader);
    // With the service the audio cache is restored before the suite (and saved after it), and the
    // baseline stored after it.
    const service = await startFakeCacheService('runtime-token');
    try {
      const runner = await loadedChunks({
        ACTIONS_CACHE_URL: service.url,
        ACTIONS_RUNTIME_TOKEN: 'runtime-token',
      });
      expect(runner.beforeRun).toContain(storage);
      expect(runner.beforeRun).not.toContain(reportReader);
      expect(service.entries.map((entry) => entry.key)).toEqual([
        expect.stringMatching(/^russo-audio-/),
        expect.stringMatching(/^russo-baseline@main@/),
      ]);
    } finally {
      await service.close();
    }
  });
});

describe('the audio cache across workflow runs', () => {
  it('restores every clip for an unchanged suite, so the next run makes no TTS request', async () => {
    const cache = await startFakeCacheService('runtime-token');
    const openai = await startOpenAIHttpFake((request) => {
      const problem = speechProblem(request);
      if (problem) return apiError(400, 'invalid_request_error', problem);
      return { type: 'bytes', body: speechPcm(String(request.body.input)), contentType: 'audio/pcm' };
    });
    try {
      const config = CONFIG.replace(
        'provider: flite\n  voices: [kal16]',
        `provider: openai\n  voices: [alloy, echo]\n  base_url: ${openai.baseURL}`,
      );
      const twoPrompts = BOOK_SCENARIO.replace(
        '  - Book a table for two at seven tonight\n',
        '  - Book a table for two at seven tonight\n  - Can I get a table for two people at seven\n',
      );
      const root = workspace({ 'russo.config.yaml': config, 'scenarios/book.yaml': twoPrompts }, bookTable);
      const options = {
        with: { 'openai-api-key': FAKE_KEY, comment: 'false' },
        env: { ACTIONS_CACHE_URL: cache.url, ACTIONS_RUNTIME_TOKEN: 'runtime-token' },
      };

      const first = await run(root, options);
      expect(first.code).toBe(0);
      expect(first.outputs).toMatchObject({ result: 'passed', total: '8' });
      // 2 prompts × 2 voices, each spoken once however many runs use it.
      expect(openai.requests).toHaveLength(4);
      expect(cache.entries.map((entry) => entry.key)).toEqual([
        expect.stringMatching(/^russo-audio-[0-9a-f]{32}$/),
      ]);
      const key = cache.entries[0]!.key;
      expect(first.summary).toContain(`Audio cache: no cache for ${key} yet; saved under ${key}`);
      // The key was masked before anything else and never printed.
      expect(first.stdout.split('\n')[0]).toBe(`::add-mask::${FAKE_KEY}`);
      expect(first.stdout.split(FAKE_KEY)).toHaveLength(2);

      // The next workflow run starts on a fresh runner: nothing on disk.
      rmSync(join(root, '.russo'), { recursive: true });
      const second = await run(root, options);
      expect(second.code).toBe(0);
      expect(openai.requests).toHaveLength(4);
      expect(second.summary).toContain(
        `Audio cache: restored ${key} (exact: no prompt is synthesized again); unchanged, not saved again`,
      );
      expect(cache.entries).toHaveLength(1);

      // A changed prompt misses the exact key: the older cache serves the unchanged prompt.
      rmSync(join(root, '.russo'), { recursive: true });
      writeFileSync(
        join(root, 'scenarios/book.yaml'),
        twoPrompts.replace('Can I get a table', 'May I have a table'),
      );
      const third = await run(root, options);
      expect(third.code).toBe(0);
      expect(openai.requests).toHaveLength(6);
      expect(openai.requests.slice(4).map((request) => request.body.input)).toEqual([
        'May I have a table for two people at seven',
        'May I have a table for two people at seven',
      ]);
      expect(cache.entries).toHaveLength(2);
      expect(third.summary).toContain(
        `restored ${key} (an earlier suite: only new or changed prompts are synthesized)`,
      );
    } finally {
      await Promise.all([cache.close(), openai.close()]);
    }
  });
});

describe('baselines across workflow runs (the Actions cache)', () => {
  // An agent that hears only audio (long clips are bookings) and books for three in its first
  // `wrong` bookings, as wrong.json says: the test sets each run's pass rate exactly.
  const COUNTING_AGENT = `import { readFileSync } from 'node:fs';
let bookings = 0;
export default function agent(audio) {
  if (audio.pcm.length / audio.sampleRate <= 1.8) return [{ name: 'get_opening_hours', arguments: {} }];
  const { wrong } = JSON.parse(readFileSync(new URL('./wrong.json', import.meta.url), 'utf8'));
  bookings++;
  return [{ name: 'book_table', arguments: { party_size: bookings <= wrong ? 3 : 2, time: '19:00' } }];
}
`;
  const BOOK = BOOK_SCENARIO.replace('min_pass_rate: 0.5', 'min_pass_rate: 0.3');
  const HOURS = 'name: opening hours\nprompts: [When are you open]\nexpect:\n  - name: get_opening_hours\n';
  const MAIN_SHA = '1111111111111111111111111111111111111111';
  const NEXT_SHA = '2222222222222222222222222222222222222222';
  const PR_NUMBER = 11;

  function suiteWorkspace(wrong: number, files: Record<string, string> = {}): string {
    const root = workspace(
      {
        'russo.config.yaml': CONFIG.replace('runs: 2', 'runs: 8'),
        'agent.mjs': COUNTING_AGENT,
        'scenarios/book.yaml': BOOK,
        'scenarios/hours.yaml': HOURS,
        ...files,
      },
      {},
    );
    writeFileSync(join(root, 'wrong.json'), JSON.stringify({ wrong }));
    return root;
  }

  function pullRequest(base = 'main') {
    const payload = pullRequestEvent({ owner: OWNER, repo: REPO, number: PR_NUMBER });
    payload.pull_request.base.ref = base;
    return { name: 'pull_request', payload };
  }

  it('stores a baseline on push, restores it on a pull request, and fails on a significant drop only', async () => {
    const cache = await startFakeCacheService('runtime-token');
    const onRunner = (sha: string) => ({
      ACTIONS_CACHE_URL: cache.url,
      ACTIONS_RUNTIME_TOKEN: 'runtime-token',
      GITHUB_SHA: sha,
    });
    try {
      // A push to main stores the report as main's baseline: 16 of 16 passed.
      const push = { name: 'push', payload: pushEvent({ owner: OWNER, repo: REPO }) };
      const stored = await run(suiteWorkspace(0), { event: push, env: onRunner(MAIN_SHA) });
      expect(stored.code).toBe(0);
      const key = `russo-baseline@main@.@${MAIN_SHA}`;
      expect(cache.entries.map((entry) => entry.key)).toContain(key);
      expect(stored.summary).toContain(`Baseline: stored as the baseline of main under ${key}`);
      expect(stored.summary).not.toContain('Against');

      // A pull request whose agent fails 1 booking of 8: a drop within noise passes.
      const noisy = await run(suiteWorkspace(1), { event: pullRequest(), env: onRunner(NEXT_SHA) });
      expect(noisy.code).toBe(0);
      expect(noisy.outputs.result).toBe('passed');
      expect(noisy.stdout).toContain(`Baseline: restored ${key}`);
      expect(noisy.summary).toContain(
        '<p>Against the baseline of main at 1111111: Barnard&#39;s exact test at alpha 0.05; a significant drop fails the gate.</p>',
      );
      expect(noisy.summary).toContain(
        '<td>✅</td><td>book a table<br><code>scenarios/book.yaml:1</code></td><td>87.5% [53–98%]</td><td>▼ −12.5 pts from 100%</td>',
      );
      expect(russoComments(PR_NUMBER)[0]).toContain('| ✅ | book a table | 87.5% | ▼ −12.5 pts from 100% |');
      // Pull requests store nothing.
      expect(cache.entries.filter((entry) => entry.key.startsWith('russo-baseline'))).toHaveLength(1);

      // 5 of 8 bookings wrong: 37.5% still meets min_pass_rate 0.3, but the drop is significant.
      const worse = await run(suiteWorkspace(5), { event: pullRequest(), env: onRunner(NEXT_SHA) });
      expect(worse.code).toBe(1);
      expect(worse.outputs).toMatchObject({ result: 'failed', passed: '11', failed: '5' });
      expect(worse.stdout).toMatch(
        /^::error::russo failed:%0A- book a table: pass rate fell from 100%25 \(8\/8\) to 37.5%25 \(3\/8\) against the baseline, a significant drop at alpha 0.05$/m,
      );
      // The regressed scenario's failing expectation is an error at its line, not a warning.
      expect(worse.stdout).toMatch(
        /^::error title=russo%3A book a table%3A wrong arguments \(pass rate 37.5%25\),file=scenarios\/book.yaml,line=5,/m,
      );
      const rows = worse.summary.match(/<tr><td>(?:✅|❌|⚠️)<\/td><td>[^<]*/g)!;
      expect(rows.map((row) => row.replace(/.*<td>/, ''))).toEqual(['book a table', 'opening hours']);
      expect(worse.summary).toContain('<td><b>▼ −62.5 pts from 100%, significant</b></td>');
      const comment = russoComments(PR_NUMBER)[0]!;
      expect(comment).toContain('| ✅ | book a table | 37.5% | **▼ −62.5 pts from 100%, significant** |');
      expect(comment).toContain(
        '- book a table: pass rate fell from 100% (8/8) to 37.5% (3/8) against the baseline',
      );

      // With fail-on-regression off, the same drop passes.
      const off = await run(suiteWorkspace(5), {
        event: pullRequest(),
        env: onRunner(NEXT_SHA),
        with: { 'fail-on-regression': 'off', comment: 'false' },
      });
      expect(off.code).toBe(0);

      // A pull request into a branch with no baseline: a notice, and thresholds alone.
      const release = await run(suiteWorkspace(5), {
        event: pullRequest('release'),
        env: onRunner(NEXT_SHA),
        with: { comment: 'false' },
      });
      expect(release.code).toBe(0);
      expect(release.stdout).toMatch(
        /^::notice::No baseline: no baseline of release is stored yet \(one is stored on each push to release\)\. The suite is gated on thresholds alone\.$/m,
      );
      expect(release.summary).toContain(
        '<p>No baseline: gated on thresholds alone (no baseline of release is stored yet (one is stored on each push to release)).</p>',
      );

      // A baseline of another suite (every scenario renamed) is stored on main: it is refused with a warning.
      const renamed = suiteWorkspace(0, {
        'scenarios/book.yaml': BOOK.replace('name: book a table', 'name: reserve'),
        'scenarios/hours.yaml': HOURS.replace('name: opening hours', 'name: hours'),
      });
      expect((await run(renamed, { event: push, env: onRunner(NEXT_SHA) })).code).toBe(0);
      const other = await run(suiteWorkspace(5), {
        event: pullRequest(),
        env: onRunner(NEXT_SHA),
        with: { comment: 'false' },
      });
      expect(other.code).toBe(0);
      expect(other.stdout).toMatch(
        /^::warning::No baseline: the baseline of main at 2222222 cannot be used: the baseline has no scenario in common/m,
      );
    } finally {
      await cache.close();
    }
  }, 300_000);

  it('reads a baseline from a path, and turns baselines off', async () => {
    const root = suiteWorkspace(0);
    const first = await run(root, { with: { comment: 'false', 'report-dir': 'base' } });
    expect(first.code).toBe(0);
    writeFileSync(join(root, 'wrong.json'), JSON.stringify({ wrong: 5 }));
    const compared = await run(root, { with: { comment: 'false', baseline: 'base/report.json' } });
    expect(compared.code).toBe(1);
    expect(compared.summary).toContain('<p>Against base/report.json: Barnard');
    const off = await run(root, { with: { comment: 'false', baseline: 'off' } });
    expect(off.code).toBe(0);
    expect(off.summary).not.toContain('baseline');
    const missing = await run(root, { with: { comment: 'false', baseline: 'nowhere.json' } });
    expect(missing.code).toBe(0);
    expect(missing.stdout).toMatch(/^::notice::No baseline: nowhere\.json does not exist\./m);
    writeFileSync(join(root, 'corrupt.json'), '{"version": 1,');
    const corrupt = await run(root, { with: { comment: 'false', baseline: 'corrupt.json' } });
    expect(corrupt.code).toBe(1);
    expect(corrupt.outputs).toEqual({ result: 'error' });
    expect(corrupt.stdout).toMatch(/^::error::corrupt\.json is not JSON/m);
  }, 180_000);
});

describe("the bundled Action on this repository's own suite (offline: Flite and the sample agent)", () => {
  const repo = process.cwd();

  it('passes the example scenarios, hearing real speech', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'russo-action-repo-'));
    const result = await run(repo, { with: { runs: '1', comment: 'false', 'report-dir': reports } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ result: 'passed', errored: '0' });
    // Only the noisy and phone variants of the robustness example fail (3 prompts × 3 voices × 4), under their thresholds.
    expect(Number(result.outputs.failed)).toBeGreaterThan(0);
    expect(Number(result.outputs.failed)).toBeLessThanOrEqual(3 * 3 * 4);
    expect(result.summary).toContain('Pass rate by variant');
    expect(Number(result.outputs.total)).toBeGreaterThanOrEqual(8 * 3);
    expect(result.summary.startsWith('<h2>✅ russo: passed</h2>')).toBe(true);
    expect(result.summary).toContain('<code>scenarios/book-table-for-two.yaml:');
  }, 180_000);

  it('fails the deliberately failing scenario, annotated at its expect item', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'russo-action-repo-'));
    const result = await run(repo, {
      with: { scenarios: 'scenarios/failing/wrong-party-size.yaml', comment: 'false', 'report-dir': reports },
    });
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ result: 'failed', passed: '0' });
    const annotation = result.stdout
      .split('\n')
      .find((line) => line.startsWith('::error title=russo%3A deliberately'));
    expect(annotation).toMatch(
      /,file=scenarios\/failing\/wrong-party-size.yaml,line=9,col=5::book_table: failed in 3 of 3 runs/,
    );
    expect(annotation).toContain('party_size expected 2, got 4');
  }, 180_000);
});
