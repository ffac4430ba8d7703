import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBundle } from './bundle.js';

const execute = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'russo-quick-start-'));

/** `npx russo run …` in this repository, as the README's quick start runs it: the package's CLI as a process. */
async function russo(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await execute(process.execPath, [CLI, 'run', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

interface Report {
  summary: { gate: string; errored: number };
  scenarios: Array<{ name: string; file: string; runs: Array<{ transcript: string | null; voice: string }> }>;
}

beforeAll(ensureBundle, 180_000);

describe('the quick start: real speech to the real offline agent', () => {
  it('passes every example scenario, with what the agent heard', async () => {
    const { code } = await russo('--runs', '1', '--quiet', '--json', join(out, 'quick.json'));
    const report = JSON.parse(readFileSync(join(out, 'quick.json'), 'utf8')) as Report;
    expect(code).toBe(0);
    expect(report.summary).toMatchObject({ gate: 'passed', errored: 0 });
    const files = readdirSync('scenarios').filter((file) => file.endsWith('.yaml'));
    expect(report.scenarios.map((scenario) => scenario.file).sort()).toEqual(
      files.map((file) => `scenarios/${file}`),
    );
    const runs = report.scenarios.flatMap((scenario) => scenario.runs);
    expect(new Set(runs.map((run) => run.voice))).toEqual(new Set(['kal16', 'slt', 'rms']));
    expect(runs.every((run) => typeof run.transcript === 'string' && run.transcript.length > 0)).toBe(true);
    expect(runs.map((run) => run.transcript)).toContain('book a table for two at seven tonight');
  });

  it('fails the deliberately failing scenario with the argument diff', async () => {
    const { code, stdout } = await russo(
      'scenarios/failing/wrong-party-size.yaml',
      '--quiet',
      '--json',
      join(out, 'failing.json'),
    );
    expect(code).toBe(1);
    expect(stdout).toContain('book_table: party_size expected 2, got 4');
    const report = JSON.parse(readFileSync(join(out, 'failing.json'), 'utf8')) as Report;
    expect(report.summary.gate).toBe('failed');
    expect(report.scenarios[0]?.runs.map((run) => run.transcript)).toContain(
      'book a table for four at eight tonight',
    );
  });
});
