// No secret reaches a report, the terminal, the job summary, the outputs or the PR comment: agents
// that echo the keys of their environment (raw, base64, URL-encoded, JSON-escaped, cut short by an
// excerpt) run through the package's CLI and the bundled Action, and every file they leave is searched
// for each secret and each of its encodings.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/github/comment.js';
import { pullRequestEvent } from '../fakes/github-events.js';
import { runAction } from '../fakes/github-runner.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { sendJson, startHttpServer } from '../fakes/http-server.js';
import { project } from '../fixtures/project.js';
import { CLI, ensureBundle } from './bundle.js';

const KEY = 'sk-proj-e2eLeakTest0123456789abcdefghijKLMNOP';
// Characters that URL-encoding and base64 change, so each encoding differs from the raw value.
const TOKEN = 'dt/e2e+9f8e7d6c=5b4a3210 x';
// Expanded by the config (`${AGENT_SESSION}`), though its name does not look secret.
const SESSION = 'session-e2e-77f1c2d3';
const SECRETS = [KEY, TOKEN, SESSION];

const base64 = (text: string) => Buffer.from(text).toString('base64');
const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** How an echo may write a secret. */
function encodings(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    base64(secret),
    base64url(secret),
    base64(`Bearer ${secret}`),
    base64(`user:${secret}`),
  ];
}

// Any 12 characters in a row of a secret or of one of its encodings is a leak (a cut key is one too).
const FRAGMENT = 12;
function leaks(text: string): string[] {
  const found = new Set<string>();
  for (const secret of SECRETS) {
    for (const encoded of encodings(secret)) {
      for (let at = 0; at + FRAGMENT <= encoded.length; at++) {
        const fragment = encoded.slice(at, at + FRAGMENT);
        // The characters of "Bearer " or "user:" alone are no leak.
        if (!base64('Bearer ').startsWith(fragment) && !base64('user:').startsWith(fragment)) {
          if (text.includes(fragment)) found.add(fragment);
        }
      }
    }
  }
  return [...found];
}

// A command agent that echoes its secrets. Long clips: an answer with them in every field. Short
// clips: they go to stderr, then exit 1; the key comes first, placed so that the stderr tail russo
// keeps (its last 2,048 characters) starts 12 characters before the key's end.
const LEAKY_AGENT = `import { readFileSync } from 'node:fs';
const wav = readFileSync(0);
const { OPENAI_API_KEY: key, DEPLOY_TOKEN: token, SESSION: session } = process.env;
const b64 = (text) => Buffer.from(text).toString('base64');
const seconds = (wav.length - 44) / 2 / wav.readUInt32LE(24);
if (seconds > 1.8) {
  process.stdout.write(JSON.stringify({
    tool_calls: [
      { name: 'book_table', arguments: { party_size: 2, note: 'key ' + key, [token]: session, auth: b64('Bearer ' + key) } },
      { name: 'send_' + token, arguments: { url: 'https://x.example/?t=' + encodeURIComponent(token) } },
    ],
    transcript: 'I heard ' + key,
    text: 'session ' + session + ' ' + JSON.stringify({ token }),
  }));
} else {
  const rest = [
    'OPENAI_API_KEY=' + key,
    'DEPLOY_TOKEN=' + token + ' url ' + encodeURIComponent(token),
    'SESSION=' + session + ' as JSON ' + JSON.stringify({ session }),
    'Authorization: Bearer ' + key + ' or Basic ' + b64('Bearer ' + key) + ' ' + b64('user:' + token),
    'base64 ' + b64(key) + ' ' + Buffer.from(token).toString('base64url'),
  ].join('\\n');
  process.stderr.write(key + '.'.repeat(2035 - rest.length) + '\\n' + rest + '\\n');
  process.exit(1);
}
`;

const LEAKY_CONFIG = `agent:
  provider: command
  command: [node, leak.mjs]
  env:
    SESSION: \${AGENT_SESSION}
synthesizer:
  provider: flite
  voices: [kal16]
defaults:
  runs: 1
`;

const SCENARIOS = {
  'scenarios/answer.yaml': `name: answer
prompts: [Book a table for two at seven tonight]
expect:
  - name: book_table
    arguments: { party_size: 2, note: none }
match: { arguments: exact, extra_calls: fail }
`,
  'scenarios/crash.yaml': 'name: crash\nprompts: [When are you open]\nexpect: []\n',
};

const REPORTS = ['report.json', 'junit.xml', 'report.html', 'report.md'];
// `[redacted]`, also as markdown (and then JSON) escapes it.
const REDACTED = /\\*\[redacted\\*\]/;

/** Runs the package's CLI with the secrets in its environment; never throws on a non-zero exit. */
async function russo(cwd: string, ...args: string[]) {
  const env = {
    ...process.env,
    NO_COLOR: '1',
    OPENAI_API_KEY: KEY,
    DEPLOY_TOKEN: TOKEN,
    AGENT_SESSION: SESSION,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      cwd,
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

const reportFlags = REPORTS.flatMap((file) => [
  { 'report.json': '--json', 'junit.xml': '--junit', 'report.html': '--html', 'report.md': '--markdown' }[
    file
  ]!,
  `out/${file}`,
]);

beforeAll(ensureBundle, 180_000);

describe('the package CLI keeps secrets out of the terminal and every report', () => {
  it('for a command agent that echoes them in its answer and on stderr', async () => {
    const cwd = project({ 'russo.config.yaml': LEAKY_CONFIG, 'leak.mjs': LEAKY_AGENT, ...SCENARIOS });
    const { code, stdout, stderr } = await russo(cwd, 'run', ...reportFlags);
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(join(cwd, 'out/report.json'), 'utf8'));
    const [answer, crash] = report.scenarios;
    // The agent's texts did come through, redacted.
    expect(answer.runs[0].transcript).toBe('I heard [redacted]');
    expect(answer.runs[0].toolCalls).toEqual([
      {
        name: 'book_table',
        arguments: {
          party_size: 2,
          note: 'key [redacted]',
          '[redacted]': '[redacted]',
          auth: 'QmVhcmVyIH[redacted]A==',
        },
      },
      { name: 'send_[redacted]', arguments: { url: 'https://x.example/?t=[redacted]' } },
    ]);
    expect(crash.runs[0].error).toMatch(
      /^agent: the agent command exited with code 1; stderr:\n…\[redacted\]\.\.\./,
    );
    expect(crash.runs[0].error).toContain(
      'OPENAI_API_KEY=[redacted]\nDEPLOY_TOKEN=[redacted] url [redacted]',
    );
    expect(stdout).toMatch(REDACTED);
    expect(leaks(stdout)).toEqual([]);
    expect(leaks(stderr)).toEqual([]);
    for (const file of REPORTS) {
      const text = readFileSync(join(cwd, 'out', file), 'utf8');
      expect(text, file).toMatch(REDACTED);
      expect(leaks(text), file).toEqual([]);
    }
  });

  it('for an http agent whose server answers 400 echoing the Authorization header', async () => {
    const server = await startHttpServer((request, response) =>
      sendJson(response, 400, {
        error: 'invalid_request',
        received: { authorization: request.headers.authorization },
        as_base64: base64(String(request.headers.authorization)),
      }),
    );
    try {
      const config = `agent:
  provider: http
  url: ${server.url}/agent
  headers:
    Authorization: 'Bearer \${OPENAI_API_KEY}'
synthesizer:
  provider: flite
  voices: [kal16]
defaults:
  runs: 1
`;
      const cwd = project({
        'russo.config.yaml': config,
        'scenarios/crash.yaml': SCENARIOS['scenarios/crash.yaml'],
      });
      const { code, stdout, stderr } = await russo(cwd, 'run', ...reportFlags);
      expect(code).toBe(1);
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
      const report = JSON.parse(readFileSync(join(cwd, 'out/report.json'), 'utf8'));
      expect(report.scenarios[0].runs[0].error).toMatch(
        /answered HTTP 400 Bad Request: \{"error":"invalid_request","received":\{"authorization":"Bearer \[redacted\]"\},"as_base64":"QmVhcmVyIH\[redacted\]A=="\}$/,
      );
      for (const [name, text] of [
        ['stdout', stdout],
        ['stderr', stderr],
        ...REPORTS.map((file) => [file, readFileSync(join(cwd, 'out', file), 'utf8')]),
      ] as const) {
        expect(leaks(text), name).toEqual([]);
      }
    } finally {
      await server.close();
    }
  });
});

const BROKEN_CONFIG =
  'agent:\n  provider: module\n  module: broken.mjs\nsynthesizer:\n  provider: flite\n  voices: [kal16]\n';
// A module agent that cannot start, and says why with the key (the Action's key input is in its process as INPUT_*).
const BROKEN_AGENT = `const key = process.env.OPENAI_API_KEY ?? process.env['INPUT_OPENAI-API-KEY'];
throw new Error('cannot start with OPENAI_API_KEY=' + key);
`;

describe('the package CLI keeps secrets out of the errors it prints', () => {
  it('when a provider cannot be built and its error quotes a key', async () => {
    const cwd = project({
      'russo.config.yaml': BROKEN_CONFIG,
      'broken.mjs': BROKEN_AGENT,
      'scenarios/crash.yaml': SCENARIOS['scenarios/crash.yaml'],
    });
    const { code, stdout, stderr } = await russo(cwd, 'run');
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /russo\.config\.yaml:2:\d+: cannot set up the agent: cannot load agent module .*broken\.mjs: cannot start with OPENAI_API_KEY=\[redacted\]/,
    );
    expect(leaks(stdout + stderr)).toEqual([]);
  });
});

describe('the bundled Action keeps secrets out of the summary, outputs, report files and PR comment', () => {
  const GITHUB_TOKEN = 'ghs_redactiontesttoken0123';
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await startFakeGitHub({ token: GITHUB_TOKEN, owner: 'acme', repo: 'voice' });
  });
  afterAll(() => github?.close());

  it('when the agent echoes the openai-api-key input', async () => {
    const root = project({ 'russo.config.yaml': LEAKY_CONFIG, 'leak.mjs': LEAKY_AGENT, ...SCENARIOS });
    const result = await runAction({
      workspace: root,
      token: GITHUB_TOKEN,
      repository: 'acme/voice',
      apiUrl: github.url,
      event: { name: 'pull_request', payload: pullRequestEvent({ owner: 'acme', repo: 'voice', number: 9 }) },
      with: { 'openai-api-key': KEY },
      env: { DEPLOY_TOKEN: TOKEN, AGENT_SESSION: SESSION },
    });
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ result: 'failed', errored: '1', failed: '1' });
    const comments = (github.comments.get(9) ?? []).map((comment) => comment.body);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.startsWith(COMMENT_MARKER)).toBe(true);
    const sent = github.requests.map((request) => request.body.toString()).join('\n');
    const reportDir = join(root, 'russo-report');
    expect(readdirSync(reportDir).sort()).toEqual([...REPORTS].sort());
    for (const [name, text] of [
      ['summary', result.summary],
      ['outputs', JSON.stringify(result.outputs)],
      ['comment', comments[0]!],
      ['requests to GitHub', sent],
      ...REPORTS.map((file) => [file, readFileSync(join(reportDir, file), 'utf8')]),
    ] as const) {
      if (name !== 'outputs') expect(text, name).toMatch(REDACTED);
      expect(leaks(text), name).toEqual([]);
    }
    // The log: the key only in the line that asks the runner to mask it.
    const log = result.stdout
      .split('\n')
      .filter((line) => line !== `::add-mask::${KEY}`)
      .join('\n');
    expect(result.stdout).toContain(`::add-mask::${KEY}`);
    expect(leaks(log)).toEqual([]);
    expect(leaks(result.stderr)).toEqual([]);
  });

  it('when a provider cannot be built and its error quotes the key input', async () => {
    const root = project({
      'russo.config.yaml': BROKEN_CONFIG,
      'broken.mjs': BROKEN_AGENT,
      'scenarios/crash.yaml': SCENARIOS['scenarios/crash.yaml'],
    });
    const result = await runAction({
      workspace: root,
      token: GITHUB_TOKEN,
      repository: 'acme/voice',
      apiUrl: github.url,
      event: {
        name: 'pull_request',
        payload: pullRequestEvent({ owner: 'acme', repo: 'voice', number: 10 }),
      },
      with: { 'openai-api-key': KEY },
    });
    expect(result.code).toBe(1);
    expect(result.outputs).toEqual({ result: 'error' });
    const comment = github.comments.get(10)?.[0]?.body ?? '';
    expect(comment).toContain('cannot start with OPENAI_API_KEY=[redacted]');
    expect(result.summary).toContain('cannot start with OPENAI_API_KEY=[redacted]');
    const log = result.stdout
      .split('\n')
      .filter((line) => line !== `::add-mask::${KEY}`)
      .join('\n');
    for (const [name, text] of [
      ['summary', result.summary],
      ['comment', comment],
      ['log', log],
      ['stderr', result.stderr],
    ] as const) {
      expect(leaks(text), name).toEqual([]);
    }
  });
});
