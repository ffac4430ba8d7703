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
  scenarios: Array<{
    name: string;
    file: string;
    turns: Array<{ say: string; location: { line: number } }> | null;
    runs: Array<{
      transcript: string | null;
      voice: string;
      variant: string;
      status: string;
      turns: Array<{ status: string; transcript: string | null }> | null;
      evalResult: { failures: Array<{ turn?: number; message: string }> } | null;
    }>;
  }>;
}

/** The YAML files of a folder, as the report names them. */
const yamlFiles = (folder: string) =>
  readdirSync(folder)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => `${folder}/${file}`);

beforeAll(ensureBundle, 180_000);

describe('the quick start: real speech to the real offline agent', () => {
  it('passes every example scenario and conversation, with what the agent heard, and shows the variant matrix', async () => {
    const { code, stdout } = await russo('--runs', '1', '--quiet', '--json', join(out, 'quick.json'));
    const report = JSON.parse(readFileSync(join(out, 'quick.json'), 'utf8')) as Report;
    expect(code).toBe(0);
    expect(report.summary).toMatchObject({ gate: 'passed', errored: 0 });
    expect(report.scenarios.map((scenario) => scenario.file).sort()).toEqual(
      [...yamlFiles('scenarios'), ...yamlFiles('scenarios/conversations')].sort(),
    );
    const runs = report.scenarios.flatMap((scenario) => scenario.runs);
    expect(new Set(runs.map((run) => run.voice))).toEqual(new Set(['kal16', 'slt', 'rms']));
    expect(runs.every((run) => typeof run.transcript === 'string' && run.transcript.length > 0)).toBe(true);
    expect(runs.map((run) => run.transcript)).toContain('book a table for two at seven tonight');
    // Every turn of every conversation was played, heard and passed.
    const turns = runs.flatMap((run) => run.turns ?? []);
    expect(turns).toHaveLength(3 * (3 + 2 + 3));
    expect(turns.every((turn) => turn.status === 'passed' && (turn.transcript ?? '') !== '')).toBe(true);
    // The robustness example: its matrix, each variant at its own threshold, every clean run passed.
    expect(stdout).toMatch(/^Scenario × variant +clean +babble 20 dB +babble 10 dB +babble 5 dB +phone$/m);
    expect(stdout).toMatch(/^book through noise and a phone line +100% \[70–100%\] ✓ /m);
    const noisy = report.scenarios.find((scenario) => scenario.file === 'scenarios/book-through-noise.yaml');
    expect(new Set(noisy?.runs.map((run) => run.variant))).toEqual(
      new Set(['clean', 'babble 20 dB', 'babble 10 dB', 'babble 5 dB', 'phone']),
    );
    expect(noisy?.runs.filter((run) => run.variant === 'clean').map((run) => run.status)).toEqual(
      Array(9).fill('passed'),
    );
  }, 300_000);

  it('fails the deliberately failing scenarios: the argument diff, and the conversation at turn 2', async () => {
    const { code, stdout } = await russo('scenarios/failing', '--quiet', '--json', join(out, 'failing.json'));
    expect(code).toBe(1);
    expect(stdout).toContain('book_table: party_size expected 2, got 4');
    // The failing turn, then each reason under it.
    expect(stdout).toMatch(
      /✗ turn 2 "Two people please"\n(?: {8}.*\n)*? {8}missing call book_table\(\{party_size: 2\}\)\n {8}the reply does not contain "Booked": "At what time\?"/,
    );
    const report = JSON.parse(readFileSync(join(out, 'failing.json'), 'utf8')) as Report;
    expect(report.summary.gate).toBe('failed');
    const [conversation, wrongSize] = report.scenarios;
    expect(wrongSize?.runs.map((run) => run.transcript)).toContain('book a table for four at eight tonight');
    // The conversation fails in turn 2 only, and its failures point at that turn's line of the file.
    const lines = readFileSync('scenarios/failing/conversation-books-too-early.yaml', 'utf8').split('\n');
    const turnLine = lines.findIndex((line) => line.includes('say: Two people please')) + 1;
    expect(conversation?.turns?.[1]?.location.line).toBe(turnLine);
    for (const run of conversation?.runs ?? []) {
      expect(run.turns?.map((turn) => turn.status)).toEqual(['passed', 'failed', 'passed']);
      expect(new Set(run.evalResult?.failures.map((failure) => failure.turn))).toEqual(new Set([1]));
    }
  });
});
