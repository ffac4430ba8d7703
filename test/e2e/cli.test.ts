import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CLI, ensureBundle, russo } from './bundle.js';
import { project } from '../fixtures/project.js';

// A module agent that hears only audio: long clips are bookings, short ones ask for the hours.
// It books for three people, so the booking scenario fails with a readable diff.
const AGENT = `export default function agent(audio) {
  const seconds = audio.pcm.length / audio.sampleRate;
  return seconds > 1.8
    ? { toolCalls: [{ name: 'book_table', arguments: { party_size: 3, time: '19:00' } }], transcript: 'heard ' + seconds.toFixed(1) + ' s' }
    : [{ name: 'get_opening_hours', arguments: { day: 'today' } }];
}
`;
const FILES = {
  'russo.config.yaml':
    'agent:\n  provider: module\n  module: agent.mjs\nsynthesizer:\n  provider: flite\n  voices: [kal16]\ndefaults:\n  runs: 2\n',
  'agent.mjs': AGENT,
  'scenarios/hours.yaml':
    'name: opening hours\nprompts: [When are you open]\nexpect:\n  - name: get_opening_hours\n',
  'scenarios/book.yaml':
    'name: book a table\nprompts:\n  - Book a table for two at seven tonight\nexpect:\n  - name: book_table\n    arguments:\n      party_size: 2\n      time: { regex: "^19:00" }\n',
};

beforeAll(ensureBundle, 180_000);

describe('russo run (the package CLI)', () => {
  it('passes with exit 0 and writes all four reports', async () => {
    const cwd = project({
      ...FILES,
      'scenarios/book.yaml': FILES['scenarios/book.yaml'].replace('party_size: 2', 'party_size: 3'),
    });
    const { code, stdout, stderr } = await russo(
      cwd,
      'run',
      '--json',
      'out/report.json',
      '--junit',
      'out/junit.xml',
      '--html',
      'out/report.html',
      '--markdown',
      'out/report.md',
    );
    expect(stderr).toContain('2 scenarios, 4 runs (1 voice) at concurrency 8');
    expect(code).toBe(0);
    expect(stdout).toContain('opening hours');
    expect(stdout).toContain('book a table');
    for (const file of ['report.json', 'junit.xml', 'report.html', 'report.md']) {
      expect(existsSync(join(cwd, 'out', file))).toBe(true);
    }
    const report = JSON.parse(readFileSync(join(cwd, 'out/report.json'), 'utf8'));
    expect(report.version).toBe(1);
    expect(report.summary).toMatchObject({ total: 4, passed: 4, failed: 0, errored: 0, gate: 'passed' });
    expect(
      report.scenarios.map((s: { name: string; file: string; line: number }) => [s.name, s.file, s.line]),
    ).toEqual([
      ['book a table', 'scenarios/book.yaml', 1],
      ['opening hours', 'scenarios/hours.yaml', 1],
    ]);
    expect(report.scenarios[0].runs[0].transcript).toMatch(/^heard \d\.\d s$/);
    expect(readFileSync(join(cwd, 'out/junit.xml'), 'utf8')).toMatch(/<testsuites[^>]* tests="2"/);
  });

  it('fails the gate with exit 1 and shows the argument diff', async () => {
    const cwd = project(FILES);
    const { code, stdout } = await russo(cwd, 'run', '--json', 'report.json');
    expect(code).toBe(1);
    expect(stdout).toMatch(/party_size/);
    expect(stdout).toMatch(/expected 2/);
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8'));
    expect(report.summary.gate).toBe('failed');
    const failure = report.scenarios[0].runs[0].evalResult.failures[0];
    expect(failure.kind).toBe('wrong_arguments');
  });

  it('overrides runs and concurrency from flags', async () => {
    const cwd = project(FILES);
    const { stderr } = await russo(cwd, 'run', '--runs', '3', '-j', '2', 'scenarios/hours.yaml');
    expect(stderr).toContain('1 scenario, 3 runs (1 voice) at concurrency 2');
  });

  it('takes the max concurrency as --max-concurrency, its old name --concurrency, or max_concurrency', async () => {
    const cwd = project({
      ...FILES,
      'russo.config.yaml': `${FILES['russo.config.yaml']}max_concurrency: 5\n`,
    });
    const hours = ['run', '--runs', '1', 'scenarios/hours.yaml'];
    expect((await russo(cwd, ...hours)).stderr).toContain('at concurrency 5');
    expect((await russo(cwd, ...hours, '--max-concurrency', '3')).stderr).toContain('at concurrency 3');
    expect((await russo(cwd, ...hours, '--concurrency', '4')).stderr).toContain('at concurrency 4');
    const both = await russo(cwd, ...hours, '--concurrency', '4', '-j', '2');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--max-concurrency and --concurrency are the same flag, given twice');
  });

  it('exits 2 with file:line:col and a fix for a bad scenario', async () => {
    const cwd = project({ ...FILES, 'scenarios/bad.yaml': 'name: bad\nprompts: []\nexpect: []\nruns: 0\n' });
    const { code, stderr, stdout } = await russo(cwd, 'run');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('scenarios/bad.yaml:2:10: "prompts" is empty');
    expect(stderr).toContain('scenarios/bad.yaml:4:7: "runs" is 0, but must be ≥ 1');
    expect(stderr).toContain('fix: ');
  });

  it('exits 2 for bad variants, each at its file:line with a fix, before anything runs', async () => {
    const cwd = project({
      ...FILES,
      'russo.config.yaml': `${FILES['russo.config.yaml']}variants:\n  - name: cafe\n    noise: { type: babbel, snr_db: 70 }\n  - name: cafe\n    speed: 3\n    packet_loss: { rate: 0.6 }\n`,
    });
    const { code, stderr, stdout } = await russo(cwd, 'run');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('russo.config.yaml:11:20: unknown value "babbel" for "variants.0.noise.type"');
    expect(stderr).toContain('fix: did you mean "babble"?');
    expect(stderr).toContain('russo.config.yaml:11:36: "variants.0.noise.snr_db" is 70, but must be ≤ 60');
    expect(stderr).toContain('russo.config.yaml:13:12: "variants.1.speed" is 3, but must be ≤ 2');
    expect(stderr).toContain(
      'russo.config.yaml:14:26: "variants.1.packet_loss.rate" is 0.6, but must be ≤ 0.5',
    );
    // A name used twice is checked once the list is otherwise valid.
    const twice = project({
      ...FILES,
      'russo.config.yaml': `${FILES['russo.config.yaml']}variants:\n  - name: cafe\n  - name: cafe\n`,
    });
    const named = await russo(twice, 'validate');
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(
      'russo.config.yaml:11:11: variant name "cafe" is used twice (items 1 and 2)',
    );
  });

  it('exits 2 for a bad flag, naming it', async () => {
    const { code, stderr } = await russo(project(FILES), 'run', '--runs', 'many');
    expect(code).toBe(2);
    expect(stderr).toContain('--runs "many" is not a whole number ≥ 1');
  });

  it('exits 2 for runs: 1e9 before planning anything, naming the line the runs come from', async () => {
    const cwd = project({
      ...FILES,
      'scenarios/hours.yaml': 'name: opening hours\nprompts: [When are you open]\nruns: 1e9\nexpect: []\n',
    });
    const { code, stderr, stdout } = await russo(cwd, 'run');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'scenarios/hours.yaml:3:7: the suite would make 1,000,000,002 runs: "opening hours" makes 1,000,000,000 of them (1 prompt × 1 voice × 1,000,000,000); the limit is 100,000 (limits.max_runs)',
    );
    expect(stderr).toContain('fix: lower this `runs`, or raise `limits: {max_runs: N}` in russo.config.yaml');
    expect(stderr).not.toContain('internal error');
  });

  it('exits 2 for --runs 1000000000, with the largest --runs that fits', async () => {
    const { code, stderr } = await russo(project(FILES), 'run', '--runs', '1000000000');
    expect(code).toBe(2);
    expect(stderr).toContain(
      'command line: --runs 1,000,000,000 makes 2,000,000,000 runs (2 prompts × 1 voice × 1,000,000,000); the limit is 100,000 (limits.max_runs)',
    );
    expect(stderr).toContain('fix: give --runs 50,000 or fewer');
  });

  it('holds the suite to the limits the config sets', async () => {
    const cwd = project({
      ...FILES,
      'russo.config.yaml': `${FILES['russo.config.yaml']}limits:\n  max_runs: 3\n`,
    });
    const { code, stderr } = await russo(cwd, 'validate');
    expect(code).toBe(2);
    expect(stderr).toContain(
      'russo.config.yaml:8:9: the suite would make 4 runs: the 2 scenarios that take `runs: 2` from here make 4 of them; the limit is 3 (limits.max_runs)',
    );
  });

  it('exits 2 for a prompt over limits.max_prompt_chars, at its line', async () => {
    const long = Array(7_700).fill('book a table').join(' ');
    const cwd = project({
      ...FILES,
      'scenarios/hours.yaml': `name: long\nprompts:\n  - When are you open\n  - ${long}\nexpect: []\n`,
    });
    const { code, stderr } = await russo(cwd, 'run');
    expect(code).toBe(2);
    expect(stderr).toContain(
      `scenarios/hours.yaml:4:5: the prompt is ${long.length.toLocaleString('en-US')} characters long, more than limits.max_prompt_chars (2,000)`,
    );
  });

  it('exits 2 for a YAML alias bomb, at the first alias, without a stack trace', async () => {
    const bomb = [
      'name: laughs',
      'prompts: [hello]',
      'expect: []',
      'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      ...['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map(
        (name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[index]}`).join(', ')}]`,
      ),
    ].join('\n');
    const cwd = project({ ...FILES, 'scenarios/hours.yaml': `${bomb}\n` });
    const { code, stderr } = await russo(cwd, 'run');
    expect(code).toBe(2);
    expect(stderr).toContain('scenarios/hours.yaml:5:8: the YAML aliases (*name) expand too often');
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('exits 2 for a scenario file over limits.max_file_bytes, before reading it', async () => {
    const filler = `# ${'x'.repeat(100)}\n`.repeat(11_000);
    const cwd = project({ ...FILES, 'scenarios/hours.yaml': `${FILES['scenarios/hours.yaml']}${filler}` });
    const { code, stderr } = await russo(cwd, 'run');
    expect(code).toBe(2);
    expect(stderr).toContain(
      'scenarios/hours.yaml: the file is 1.1 MiB, more than limits.max_file_bytes (1 MiB)',
    );
  });

  it('exits 2 for a missing config file', async () => {
    const { code, stderr } = await russo(project(FILES), 'run', '--config', 'nope.yaml');
    expect(code).toBe(2);
    expect(stderr).toContain('nope.yaml: config file nope.yaml does not exist');
  });

  it('validates without running', async () => {
    const { code, stdout } = await russo(project(FILES), 'validate');
    expect(code).toBe(0);
    expect(stdout).toContain('2 scenarios with 2 prompts are valid (config russo.config.yaml)');
  });

  it('on SIGTERM stops, and still prints and writes what finished', async () => {
    const cwd = project({
      ...FILES,
      'agent.mjs': `let calls = 0;
export default async function agent(audio, { signal }) {
  if (++calls > 2) await new Promise((resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  return [{ name: 'get_opening_hours', arguments: {} }];
}
`,
    });
    const child = spawn(
      process.execPath,
      [CLI, 'run', '-j', '1', '--runs', '5', 'scenarios/hours.yaml', '--json', 'r.json'],
      {
        cwd,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('[2/5]') && !child.killed) child.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('russo: cancelling');
    expect(stdout).toContain('the suite was cancelled before every run started');
    const report = JSON.parse(readFileSync(join(cwd, 'r.json'), 'utf8'));
    expect(report.cancelled).toBe(true);
    expect(report.summary).toMatchObject({ total: 3, passed: 2, errored: 1 });
    expect(report.scenarios[0].runs[2].error).toBe('agent: cancelled');
  });

  it('a second signal ends the process at once, even while the event loop is busy', async () => {
    const cwd = project({
      ...FILES,
      // On cancel this agent blocks the event loop for good: only the signal's default action ends it.
      'agent.mjs': `export default async function agent(audio, { signal }) {
  signal.addEventListener('abort', () => {
    process.stderr.write('agent: spinning\\n');
    for (;;);
  });
  process.stderr.write('agent: started\\n');
  return new Promise(() => {});
}
`,
    });
    const child = spawn(process.execPath, [CLI, 'run', '-j', '1', 'scenarios/hours.yaml'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    // Runs even when the test times out: never leave a spinning process behind.
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    let stderr = '';
    let sent = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // The first once a run is in flight, the second once the cancel has made the agent spin.
      if (sent === 0 && stderr.includes('agent: started')) sent = Number(child.kill('SIGINT'));
      if (sent === 1 && stderr.includes('agent: spinning')) sent += Number(child.kill('SIGINT'));
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    expect(stderr).toContain(
      'russo: cancelling; the results so far will be reported (SIGINT again to quit now)',
    );
    expect([code, signal]).toEqual([null, 'SIGINT']);
  });

  it('on SIGTERM right after planning a huge suite, stops at once and reports the runs in flight', async () => {
    const cwd = project({
      ...FILES,
      'russo.config.yaml': `${FILES['russo.config.yaml']}limits:\n  max_runs: 100000000\n`,
      // Runs that wait for the cancel: the report holds exactly the runs in flight.
      'agent.mjs':
        'export default (audio, { signal }) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));\n',
    });
    const child = spawn(
      process.execPath,
      [CLI, 'run', '--runs', '10000000', 'scenarios/hours.yaml', '--json', 'r.json', '--no-cache'],
      { cwd, env: { ...process.env, NO_COLOR: '1' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('10000000 runs') && !child.killed) child.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toContain('russo: 1 scenario, 10000000 runs (1 voice) at concurrency 8');
    expect(code).toBe(1);
    expect(stdout).toContain('the suite was cancelled before every run started');
    const report = JSON.parse(readFileSync(join(cwd, 'r.json'), 'utf8'));
    expect(report.cancelled).toBe(true);
    // Only the runs in flight were ever started; each ended as cancelled.
    expect(report.summary.total).toBeLessThanOrEqual(8);
    expect(report.summary.errored).toBe(report.summary.total);
  });

  it('keeps every run when an agent throws from a timer: the run in flight errors, the suite is reported', async () => {
    const cwd = project({
      ...FILES,
      'agent.mjs': `let calls = 0;
export default async function agent() {
  calls++;
  if (calls === 2) {
    setTimeout(() => { throw new Error('boom from a timer'); }, 0);
    return new Promise(() => {});
  }
  if (calls === 4) {
    setTimeout(() => Promise.reject(new Error('rejected in a timer')), 0);
    return new Promise(() => {});
  }
  return [{ name: 'get_opening_hours', arguments: {} }];
}
`,
    });
    const { code, stdout } = await russo(
      cwd,
      'run',
      '-j',
      '1',
      '--runs',
      '5',
      'scenarios/hours.yaml',
      '--json',
      'r.json',
      '--junit',
      'j.xml',
    );
    expect(code).toBe(1);
    expect(stdout).toContain('boom from a timer');
    const report = JSON.parse(readFileSync(join(cwd, 'r.json'), 'utf8'));
    expect(report.summary).toMatchObject({ total: 5, passed: 3, errored: 2 });
    expect(report.cancelled).toBe(false);
    const runs = report.scenarios[0].runs as Array<{ status: string; error: string | null }>;
    expect(runs.map((run) => run.status)).toEqual(['passed', 'error', 'passed', 'error', 'passed']);
    expect(runs[1]?.error).toBe('agent: uncaught exception while this run was in flight: boom from a timer');
    expect(runs[3]?.error).toBe(
      'agent: unhandled promise rejection while this run was in flight: rejected in a timer',
    );
    expect(existsSync(join(cwd, 'j.xml'))).toBe(true);
  });

  it('merges shard reports into one and judges the gate again', async () => {
    const cwd = project(FILES);
    await russo(cwd, 'run', 'scenarios/hours.yaml', '--json', 'a.json');
    await russo(cwd, 'run', 'scenarios/book.yaml', '--json', 'b.json');
    const { code, stdout } = await russo(cwd, 'merge', 'a.json', 'b.json', '--json', 'merged.json');
    expect(code).toBe(1);
    expect(stdout).toContain('book a table');
    const merged = JSON.parse(readFileSync(join(cwd, 'merged.json'), 'utf8'));
    expect(merged.summary).toMatchObject({ total: 4, passed: 2, failed: 2, gate: 'failed' });
  });
});

// With a tools file, typos in tool names and expected values are load errors (exit 2) at their
// file:line with a did-you-mean, and a call whose arguments break the tool's schema fails its run as
// invalid_arguments (exit 1), unless match.validate_arguments is false.

// A module agent that hears only audio and books "two" as a word, where the schema wants an integer.
const TWO_AGENT = `export default function agent(audio) {
  return [{ name: 'book_table', arguments: { party_size: 'two', time: '19:00' } }];
}
`;
const TOOL_FILES = {
  'russo.config.yaml': [
    'agent:',
    '  provider: module',
    '  module: agent.mjs',
    '  tools: tools/restaurant.json',
    'synthesizer: { provider: flite, voices: [kal16] }',
    'defaults: { runs: 2 }',
    'cache: { enabled: false }',
    '',
  ].join('\n'),
  'agent.mjs': TWO_AGENT,
  'tools/restaurant.json': readFileSync('tools/restaurant.json', 'utf8'),
};

const TYPOS = [
  'name: typos',
  'prompts: [Book a table for two at seven]',
  'expect:',
  '  - name: book_tabel',
  '  - name: book_table',
  '    arguments:',
  '      party_size: two',
  '      tiem: "19:00"',
  'forbid: [cancel_reservaton]',
  'tool_results:',
  '  get_opening_hour: { open: "12:00" }',
  '',
].join('\n');

describe('russo validate and run with a tools file (the package CLI)', () => {
  it.each(['validate', 'run'])(
    '%s: every typo is a load error at its line with a did-you-mean, exit 2',
    async (command) => {
      const cwd = project({ ...TOOL_FILES, 'scenarios/typos.yaml': TYPOS });
      const { code, stdout, stderr } = await russo(cwd, command);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('5 problems in the scenario or config files');
      const expected = [
        'scenarios/typos.yaml:4:11: unknown tool "book_tabel": tools/restaurant.json defines no tool of that name\n    fix: did you mean "book_table"?',
        'scenarios/typos.yaml:7:19: book_table: party_size must be integer, got "two" (tools/restaurant.json)',
        'scenarios/typos.yaml:8:7: book_table: tiem is not a parameter in tools/restaurant.json\n    fix: did you mean "time"?',
        'scenarios/typos.yaml:9:10: unknown tool "cancel_reservaton": tools/restaurant.json defines no tool of that name\n    fix: did you mean "cancel_reservation"?',
        'scenarios/typos.yaml:11:3: unknown tool "get_opening_hour": tools/restaurant.json defines no tool of that name\n    fix: did you mean "get_opening_hours"?',
      ];
      for (const line of expected) expect(stderr).toContain(line);
    },
  );

  it('fails a run whose call breaks the schema as invalid_arguments, in the terminal and the JSON report', async () => {
    const scenario =
      'name: book\nprompts: [Book a table for two at seven]\nexpect:\n  - name: book_table\n    arguments: { time: "19:00" }\n';
    const cwd = project({ ...TOOL_FILES, 'scenarios/book.yaml': scenario });
    const { code, stdout } = await russo(cwd, 'run', '--json', 'report.json', '--markdown', 'report.md');
    expect(code).toBe(1);
    expect(stdout).toContain('invalid arguments for book_table: party_size must be integer, got "two"');
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8'));
    const failures = report.scenarios[0].runs.map(
      (run: { evalResult: { failures: unknown[] } }) => run.evalResult.failures,
    );
    expect(failures).toEqual([
      [
        expect.objectContaining({
          kind: 'invalid_arguments',
          schemaErrors: [{ path: 'party_size', message: 'must be integer, got "two"' }],
        }),
      ],
      [expect.objectContaining({ kind: 'invalid_arguments' })],
    ]);
    expect(readFileSync(join(cwd, 'report.md'), 'utf8')).toContain(
      'invalid arguments for book_table: party_size must be integer, got "two"',
    );

    const off = project({
      ...TOOL_FILES,
      'scenarios/book.yaml': `${scenario}match: { validate_arguments: false }\n`,
    });
    const unchecked = await russo(off, 'run');
    expect(unchecked.stdout).not.toContain('invalid arguments');
    expect(unchecked.code).toBe(0);
  });
});
