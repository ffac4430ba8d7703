import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
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

describe('russo run (bundled CLI)', () => {
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

  it('exits 2 with file:line:col and a fix for a bad scenario', async () => {
    const cwd = project({ ...FILES, 'scenarios/bad.yaml': 'name: bad\nprompts: []\nexpect: []\nruns: 0\n' });
    const { code, stderr, stdout } = await russo(cwd, 'run');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('scenarios/bad.yaml:2:10: "prompts" is empty');
    expect(stderr).toContain('scenarios/bad.yaml:4:7: "runs" is 0, but must be ≥ 1');
    expect(stderr).toContain('fix: ');
  });

  it('exits 2 for a bad flag, naming it', async () => {
    const { code, stderr } = await russo(project(FILES), 'run', '--runs', 'many');
    expect(code).toBe(2);
    expect(stderr).toContain('--runs "many" is not a whole number ≥ 1');
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
