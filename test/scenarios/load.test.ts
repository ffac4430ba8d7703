import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/core/errors.js';
import { ScenarioError, formatProblem, type Problem } from '../../src/scenarios/errors.js';
import { loadSuite } from '../../src/suite/load.js';
import { project } from '../fixtures/project.js';

/** Loads and returns the problems (fails the test if loading succeeds). */
async function problemsOf(
  files: Record<string, string>,
  globs?: string[],
  config?: string,
): Promise<Problem[]> {
  const cwd = project(files);
  try {
    await loadSuite(globs, { cwd, ...(config ? { config } : {}) });
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems;
  }
  throw new Error('expected the suite to be rejected');
}

const CONFIG = `agent:
  provider: module
  module: agent.js
`;

const BOOK = `name: book a table
prompts:
  - Book a table for two at seven
  - Can I get a reservation for 2 people at 7pm?
runs: 5
expect:
  - name: book_table
    arguments:
      party_size: 2
      time: { regex: "^19:00" }
forbid: [cancel_reservation]
match: { order: any, extra_calls: fail, arguments: subset }
min_pass_rate: 0.8
`;

describe('loadSuite: valid files', () => {
  it('loads the DESIGN.md sketch with locations of the prompts and expected calls', async () => {
    const cwd = project({ 'russo.config.yaml': CONFIG, 'scenarios/book.yaml': BOOK });
    const suite = await loadSuite(undefined, { cwd });
    expect(suite.scenarios).toHaveLength(1);
    const [scenario] = suite.scenarios;
    expect(scenario).toMatchObject({
      name: 'book a table',
      location: { file: 'scenarios/book.yaml', line: 1, column: 1 },
      runs: 5,
      minPassRate: 0.8,
      forbid: ['cancel_reservation'],
      match: { order: 'any', extraCalls: 'fail', arguments: 'subset' },
    });
    expect(scenario?.prompts.map((p) => [p.text, p.location.line, p.location.column])).toEqual([
      ['Book a table for two at seven', 3, 5],
      ['Can I get a reservation for 2 people at 7pm?', 4, 5],
    ]);
    expect(scenario?.expect[0]).toMatchObject({
      name: 'book_table',
      arguments: { party_size: 2, time: { regex: '^19:00' } },
      location: { file: 'scenarios/book.yaml', line: 7, column: 5 },
    });
  });

  it('applies the config defaults to scenarios that leave them out', async () => {
    const cwd = project({
      'russo.config.yaml': `${CONFIG}defaults: { runs: 7, timeout_s: 12, min_pass_rate: 0.5, match: { order: exact } }\n`,
      'scenarios/hello.yaml': 'name: hello\nprompts: [hello there]\nexpect: []\n',
    });
    const [scenario] = (await loadSuite(undefined, { cwd })).scenarios;
    expect(scenario).toMatchObject({
      runs: 7,
      timeoutMs: 12_000,
      minPassRate: 0.5,
      expect: [],
      match: { order: 'exact', extraCalls: 'fail', arguments: 'subset' },
    });
  });

  it('reads max_concurrency from the top level of the config (8 without one)', async () => {
    const scenario = { 'scenarios/hello.yaml': 'name: hello\nprompts: [hello there]\nexpect: []\n' };
    const set = project({ 'russo.config.yaml': `${CONFIG}max_concurrency: 3\n`, ...scenario });
    expect((await loadSuite(undefined, { cwd: set })).config.maxConcurrency).toBe(3);
    expect((await loadSuite(undefined, { cwd: project(scenario) })).config.maxConcurrency).toBe(8);
  });

  it('reads several scenarios from one file separated by ---, and a folder given on the command line', async () => {
    const cwd = project({
      'more/two.yaml': 'name: one\nprompts: [a]\nexpect: []\n---\nname: two\nprompts: [b]\nexpect: []\n',
    });
    const suite = await loadSuite(['more'], { cwd });
    expect(suite.scenarios.map((s) => [s.name, s.location.line])).toEqual([
      ['one', 1],
      ['two', 5],
    ]);
  });

  it('loads the tool definitions named by the agent, in either shape', async () => {
    const cwd = project({
      'russo.config.yaml': `${CONFIG}  tools: tools.json\n`,
      'tools.json': JSON.stringify([
        { name: 'book_table', description: 'Book', parameters: { type: 'object' } },
        { type: 'function', function: { name: 'cancel_reservation' } },
      ]),
      'scenarios/hello.yaml': 'name: hello\nprompts: [hi]\nexpect: []\n',
    });
    const suite = await loadSuite(undefined, { cwd });
    expect(suite.tools).toEqual([
      { name: 'book_table', description: 'Book', parameters: { type: 'object' } },
      { name: 'cancel_reservation' },
    ]);
  });
});

describe('loadSuite: onConfig', () => {
  it('is told the config before the scenario files are read, and not when the config has a problem', async () => {
    const seen: string[] = [];
    const cwd = project({ 'russo.config.yaml': CONFIG, 'scenarios/book.yaml': BOOK });
    const suite = await loadSuite(undefined, {
      cwd,
      onConfig: (config) => {
        // The scenario file is gone before it is read: loading then finds no scenario.
        seen.push(config.agent?.provider ?? '(none)');
        rmSync(join(cwd, 'scenarios/book.yaml'));
        writeFileSync(join(cwd, 'scenarios/other.yaml'), BOOK.replace('book a table', 'another'));
      },
    });
    expect(seen).toEqual(['module']);
    expect(suite.scenarios.map((scenario) => scenario.name)).toEqual(['another']);
    const broken = project({
      'russo.config.yaml': 'agent: { provider: modul }\n',
      'scenarios/book.yaml': BOOK,
    });
    await expect(loadSuite(undefined, { cwd: broken, onConfig: () => seen.push('told') })).rejects.toThrow(
      ScenarioError,
    );
    expect(seen).toEqual(['module']);
  });
});

describe('loadSuite: cancel', () => {
  it('stops between files when the signal fires, with a CancelledError', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`scenarios/s${i}.yaml`] = `name: s${i}\nprompts: [hi]\nexpect: []\n`;
    const cwd = project(files);
    expect((await loadSuite(undefined, { cwd })).scenarios).toHaveLength(300);
    const controller = new AbortController();
    // Fires on the event loop's first turn, while the files are still being found and read.
    setImmediate(() => controller.abort());
    await expect(loadSuite(undefined, { cwd, signal: controller.signal })).rejects.toThrow(
      new CancelledError('cancelled while loading the scenario files: nothing was run'),
    );
  });
});

describe('loadSuite: every bad input names file:line:col and a fix', () => {
  it('malformed YAML', async () => {
    const [problem] = await problemsOf({
      'scenarios/bad.yaml': 'name: x\nprompts:\n  - Book at: 7pm: two\nexpect: []\n',
    });
    expect(problem).toMatchObject({
      file: 'scenarios/bad.yaml',
      line: 3,
      column: 14,
      message: 'invalid YAML: Nested mappings are not allowed in compact mappings',
    });
    expect(problem?.hint).toContain('quote strings that contain ": "');
  });

  it('an unknown key, with the nearest valid one suggested', async () => {
    const problems = await problemsOf({ 'scenarios/typo.yaml': 'name: x\npromtps: [hi]\nexpect: []\n' });
    expect(problems).toContainEqual(
      expect.objectContaining({
        line: 2,
        column: 1,
        message: 'unknown key "promtps"',
        hint: 'did you mean "prompts"?',
      }),
    );
  });

  it('a wrong type', async () => {
    const [problem] = await problemsOf({ 'scenarios/t.yaml': 'name: x\nprompts: hello\nexpect: []\n' });
    expect(problem).toMatchObject({
      line: 2,
      column: 10,
      message: '"prompts" must be an array, got the text "hello"',
    });
    expect(problem?.hint).toContain('YAML list');
  });

  it('an unknown matcher', async () => {
    const [problem] = await problemsOf({
      'scenarios/m.yaml':
        'name: x\nprompts: [hi]\nexpect:\n  - name: book_table\n    arguments:\n      time: { regexp: "^19" }\n',
    });
    expect(problem).toMatchObject({ file: 'scenarios/m.yaml', line: 6 });
    expect(problem?.message).toContain('regexp');
    expect(problem?.hint).toContain('regex');
  });

  it('a bad regex', async () => {
    const [problem] = await problemsOf({
      'scenarios/r.yaml':
        'name: x\nprompts: [hi]\nexpect:\n  - name: book_table\n    arguments:\n      time: { regex: "([0-9]" }\n',
    });
    expect(problem).toMatchObject({ line: 6 });
    expect(problem?.message).toMatch(/regex/i);
  });

  it('empty prompts', async () => {
    const [problem] = await problemsOf({ 'scenarios/e.yaml': 'name: x\nprompts: []\nexpect: []\n' });
    expect(problem).toMatchObject({ line: 2, column: 10, message: '"prompts" is empty' });
    expect(problem?.hint).toContain('at least one prompt');
  });

  it('a blank prompt or say, and an empty one said once', async () => {
    const [blank, empty] = await problemsOf({
      'scenarios/b.yaml': "name: x\nprompts: ['   ', '']\nexpect: []\n",
    });
    expect(blank).toMatchObject({
      line: 2,
      column: 11,
      message: '"prompts.0" is blank: it holds only spaces',
    });
    expect(empty).toMatchObject({ line: 2, column: 18, message: '"prompts.1" is an empty string' });
    const [say] = await problemsOf({ 'scenarios/t.yaml': "name: t\nturns:\n  - say: ' '\n" });
    expect(say).toMatchObject({
      line: 3,
      column: 10,
      message: '"turns.0.say" is blank: it holds only spaces',
    });
  });

  it('a file that is not UTF-8, at the line of the first byte it cannot read', async () => {
    const cwd = project({ 'russo.config.yaml': CONFIG });
    mkdirSync(join(cwd, 'scenarios'));
    // "Café" in Latin-1: 0xE9 alone is not UTF-8.
    writeFileSync(
      join(cwd, 'scenarios', 'l.yaml'),
      Buffer.from('name: x\nprompts: [Caf\xe9 au lait]\nexpect: []\n', 'latin1'),
    );
    const problems = await loadSuite(undefined, { cwd }).then(
      () => [],
      (error: ScenarioError) => error.problems,
    );
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'scenarios/l.yaml',
        line: 2,
        column: 14,
        message: 'the file is not UTF-8: byte 0xe9 at this position cannot be read',
      }),
    ]);
  });

  it('runs ≤ 0', async () => {
    const [problem] = await problemsOf({
      'scenarios/r.yaml': 'name: x\nprompts: [hi]\nexpect: []\nruns: 0\n',
    });
    expect(problem).toMatchObject({ line: 4, column: 7, message: '"runs" is 0, but must be ≥ 1' });
  });

  it('min_pass_rate outside 0..1', async () => {
    const [problem] = await problemsOf({
      'scenarios/p.yaml': 'name: x\nprompts: [hi]\nexpect: []\nmin_pass_rate: 80\n',
    });
    expect(problem).toMatchObject({ line: 4, message: '"min_pass_rate" is 80, but must be ≤ 1' });
    expect(problem?.hint).toContain('0.8 for 80%');
  });

  it('a missing expect, with the hint for "no call"', async () => {
    const [problem] = await problemsOf({ 'scenarios/x.yaml': 'name: x\nprompts: [hi]\n' });
    expect(problem).toMatchObject({ line: 1, message: 'missing required key "expect"' });
    expect(problem?.hint).toContain('expect: []');
  });

  it('duplicate scenario names across files', async () => {
    const problems = await problemsOf({
      'scenarios/a.yaml': 'name: same\nprompts: [hi]\nexpect: []\n',
      'scenarios/b.yaml': '# another\nname: same\nprompts: [hello]\nexpect: []\n',
    });
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'scenarios/b.yaml',
        line: 2,
        message: 'scenario name "same" is already used at scenarios/a.yaml:1',
      }),
    ]);
  });

  it('a glob that matches nothing', async () => {
    const [problem] = await problemsOf({ 'scenarios/a.yaml': 'name: a\nprompts: [hi]\nexpect: []\n' }, [
      'scenario/*.yaml',
    ]);
    expect(problem).toMatchObject({
      file: 'command line',
      message: 'no scenario file matches "scenario/*.yaml"',
    });
    expect(formatProblem(problem as Problem)).toMatch(/^command line: no scenario file matches/);
  });

  it('a missing config file named on the command line', async () => {
    const [problem] = await problemsOf(
      { 'scenarios/a.yaml': 'name: a\nprompts: [hi]\nexpect: []\n' },
      undefined,
      'ci/russo.yaml',
    );
    expect(problem).toMatchObject({
      file: 'ci/russo.yaml',
      line: 0,
      message: 'config file ci/russo.yaml does not exist',
    });
    expect(problem?.hint).toContain('--config');
  });

  it('an unknown provider, with the nearest id suggested', async () => {
    const problems = await problemsOf({
      'russo.config.yaml': 'agent:\n  provider: modul\n  module: agent.js\n',
      'scenarios/a.yaml': 'name: a\nprompts: [hi]\nexpect: []\n',
    });
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: 'russo.config.yaml',
        line: 2,
        column: 13,
        message: 'unknown provider "modul" for "agent.provider"',
      }),
    );
    expect(problems.find((p) => p.message.startsWith('unknown provider'))?.hint).toMatch(
      /^did you mean "module"\?/,
    );
  });

  it('a secret written in the config, without quoting it', async () => {
    const secret = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';
    const problems = await problemsOf({
      'russo.config.yaml': `agent:\n  provider: module\n  module: agent.js\nsynthesizer:\n  provider: flite\n  api_key: ${secret}\n`,
      'scenarios/a.yaml': 'name: a\nprompts: [hi]\nexpect: []\n',
    });
    const problem = problems.find((p) => p.message.startsWith('a secret is written'));
    expect(problem).toMatchObject({ file: 'russo.config.yaml', line: 6, column: 12 });
    expect(problem?.hint).toContain('${API_KEY}');
    expect(JSON.stringify(problems)).not.toContain(secret.slice(8));
  });

  it('accepts credentials that come from the environment, a scheme word included', async () => {
    const cwd = project({
      'russo.config.yaml':
        'agent:\n  provider: http\n  url: http://127.0.0.1:9/agent\n  headers:\n    Authorization: Bearer ${AGENT_TOKEN}\n    X-Api-Key: ${AGENT_KEY}\n',
      'scenarios/a.yaml': 'name: a\nprompts: [hi]\nexpect: []\n',
    });
    await expect(loadSuite(undefined, { cwd })).resolves.toMatchObject({ scenarios: [{ name: 'a' }] });
    const problems = await problemsOf({
      'russo.config.yaml':
        'agent:\n  provider: http\n  url: http://127.0.0.1:9/agent\n  headers:\n    Authorization: Bearer abcdef0123456789\n',
      'scenarios/a.yaml': 'name: a\nprompts: [hi]\nexpect: []\n',
    });
    expect(problems).toEqual([
      expect.objectContaining({ line: 5, message: expect.stringMatching(/^a secret is written/) }),
    ]);
  });

  it('a key-shaped secret in a scenario file', async () => {
    const problems = await problemsOf({
      'scenarios/a.yaml':
        'name: a\nprompts: [hi]\nexpect: []\ntool_results:\n  auth: "AIzaSyA1234567890abcdefghijklmnopqrstuv"\n',
    });
    expect(problems).toContainEqual(
      expect.objectContaining({ line: 5, message: expect.stringMatching(/^a secret is written/) }),
    );
  });

  it('a tool both expected and forbidden', async () => {
    const [problem] = await problemsOf({
      'scenarios/a.yaml': 'name: a\nprompts: [hi]\nexpect:\n  - name: book_table\nforbid: [book_table]\n',
    });
    expect(problem).toMatchObject({
      line: 5,
      column: 10,
      message: '"book_table" is both expected and forbidden',
    });
  });

  it('the old key defaults.concurrency, saying where it moved', async () => {
    const problems = await problemsOf({
      'russo.config.yaml': `${CONFIG}defaults:\n  runs: 2\n  concurrency: 4\n`,
      'scenarios/hello.yaml': 'name: hello\nprompts: [hello there]\nexpect: []\n',
    });
    expect(problems.map(formatProblem)).toEqual([
      'russo.config.yaml:6:3: `defaults.concurrency` has moved to the top-level key `max_concurrency`\n' +
        '    fix: write `max_concurrency: 4` at the top level of the config (not under `defaults`) and remove this line',
    ]);
  });

  it('a prompt longer than limits.max_prompt_chars, counted in characters, with the limit the config sets', async () => {
    const scenario = (prompt: string) => `name: long\nprompts:\n  - hi\n  - ${prompt}\nexpect: []\n`;
    const problems = await problemsOf({ 'scenarios/long.yaml': scenario('é'.repeat(2_001)) });
    expect(problems.map(formatProblem)).toEqual([
      'scenarios/long.yaml:4:5: the prompt is 2,001 characters long, more than limits.max_prompt_chars (2,000)\n' +
        '    fix: a prompt is what a person says in one turn: shorten it, or raise `limits: {max_prompt_chars: N}` in russo.config.yaml',
    ]);
    // 2,000 emoji are 4,000 UTF-16 units but 2,000 characters: within the limit.
    const cwd = project({ 'scenarios/long.yaml': scenario('🙂'.repeat(2_000)) });
    expect((await loadSuite(undefined, { cwd })).scenarios[0]?.prompts[1]?.text).toHaveLength(4_000);
    const lowered = await problemsOf({
      'russo.config.yaml': 'limits:\n  max_prompt_chars: 10\n',
      'scenarios/long.yaml': scenario('book a table for two'),
    });
    expect(lowered.map((p) => p.message)).toEqual([
      'the prompt is 20 characters long, more than limits.max_prompt_chars (10)',
    ]);
  });

  it('YAML aliases that expand too often, at the first alias', async () => {
    const laughs = ['name: laughs', 'prompts: [hi]', 'expect: []', 'a: &a [x, x, x, x, x, x, x, x, x, x, x]'];
    for (const [index, name] of ['b', 'c', 'd'].entries()) {
      laughs.push(`${name}: &${name} [${Array(11).fill(`*${'abc'[index]}`).join(', ')}]`);
    }
    const problems = await problemsOf({ 'scenarios/laughs.yaml': `${laughs.join('\n')}\n` });
    expect(problems).toHaveLength(1);
    expect(formatProblem(problems[0]!)).toMatch(
      /^scenarios\/laughs\.yaml:5:8: the YAML aliases \(\*name\) expand too often: .*\n {4}fix: write the values out/,
    );
  });

  it('a scenario file over limits.max_file_bytes, and a config file over the default', async () => {
    const valid = 'name: big\nprompts: [hi]\nexpect: []\n';
    const problems = await problemsOf({
      'russo.config.yaml': 'limits: { max_file_bytes: 100 }\n',
      'scenarios/big.yaml': `${valid}# ${'x'.repeat(200)}\n`,
      'scenarios/small.yaml': valid.replace('big', 'small'),
    });
    expect(problems.map(formatProblem)).toEqual([
      'scenarios/big.yaml: the file is 238 bytes, more than limits.max_file_bytes (100 bytes)\n' +
        '    fix: split it into several scenario files, or raise `limits: {max_file_bytes: N}` in russo.config.yaml',
    ]);
    const config = await problemsOf({
      'russo.config.yaml': `# ${'x'.repeat(1_048_576)}\n`,
      'scenarios/small.yaml': valid,
    });
    expect(config.map((p) => p.message)).toEqual([
      'the file is 1 MiB, more than limits.max_file_bytes (1 MiB)',
    ]);
  });

  it('reports every problem of every file at once', async () => {
    const problems = await problemsOf({
      'scenarios/a.yaml': 'name: a\nprompts: []\nexpect: []\nruns: 0\n',
      'scenarios/b.yaml': 'name: b\nprompts: [hi]\nexpec: []\n',
    });
    expect(problems.map((p) => `${p.file}:${p.line}`)).toEqual([
      'scenarios/a.yaml:2',
      'scenarios/a.yaml:4',
      'scenarios/b.yaml:1',
      'scenarios/b.yaml:3',
    ]);
  });
});
