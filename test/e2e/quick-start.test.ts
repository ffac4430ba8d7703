import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseReport, type JsonReport, type JsonRun, type JsonScenario } from '../../src/report/json.js';
import { spokenWords, wordErrors } from '../examples/spoken.js';
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

/** The YAML files of a folder, as the report names them. */
const yamlFiles = (folder: string) =>
  readdirSync(folder)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => `${folder}/${file}`);

// The example suite runs once per file, as the quick start runs it: its checks and the sample agent's
// below read the same two runs (each a CLI process with three sample agent processes).
let quick: { code: number; stdout: string; report: JsonReport };
let failing: { code: number; stdout: string; report: JsonReport };

/** Runs `russo run …args --json FILE` and reads the report it wrote. */
async function runWithReport(name: string, ...args: string[]) {
  const file = join(out, name);
  const { code, stdout } = await russo(...args, '--json', file);
  return { code, stdout, report: parseReport(readFileSync(file, 'utf8'), file) };
}

beforeAll(async () => {
  await ensureBundle();
  quick = await runWithReport('quick.json', '--runs', '1', '--quiet');
  failing = await runWithReport('failing.json', 'scenarios/failing', '--quiet');
}, 300_000);

describe('the quick start: real speech to the real offline agent', () => {
  it('passes every example scenario and conversation, with what the agent heard, and shows the variant matrix', () => {
    const { code, stdout, report } = quick;
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
  });

  it('fails the deliberately failing scenarios: the argument diff, and the conversation at turn 2', () => {
    const { code, stdout, report } = failing;
    expect(code).toBe(1);
    expect(stdout).toContain('book_table: party_size expected 2, got 4');
    // The failing turn, then each reason under it.
    expect(stdout).toMatch(
      /✗ turn 2 "Two people please"\n(?: {8}.*\n)*? {8}missing call book_table\(\{party_size: 2\}\)\n {8}the reply does not contain "Booked": "At what time\?"/,
    );
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

describe('the sample agent on the example scenarios (the same two runs)', () => {
  /** The one-turn scenarios of both runs: scenarios/*.yaml and the failing wrong-party-size.yaml. */
  const oneTurn = (): JsonScenario[] =>
    [...quick.report.scenarios, ...failing.report.scenarios].filter((scenario) => scenario.turns === null);
  /** A run that heard the speech as synthesized: no variant, or the robustness example's clean one. */
  const heardClean = (run: JsonRun) => run.variant === 'default' || run.variant === 'clean';
  const passedOf = (runs: JsonRun[]) => runs.filter((run) => run.status === 'passed').length;

  it('hears every in-grammar prompt word for word in each voice', () => {
    const accuracy: Record<string, { words: number; errors: number; ms: number[] }> = {};
    for (const scenario of oneTurn()) {
      if (scenario.name === 'no action on requests it cannot handle') continue;
      // Speech heard as synthesized: the noisy and telephone variants of the robustness example are not word for word.
      for (const run of scenario.runs.filter(heardClean)) {
        const said = spokenWords(run.prompt);
        const heard = (run.transcript ?? '').split(' ').filter(Boolean);
        const entry = (accuracy[run.voice] ??= { words: 0, errors: 0, ms: [] });
        entry.words += said.length;
        entry.errors += wordErrors(said, heard);
        entry.ms.push(run.agentLatencyMs ?? Number.NaN);
        expect.soft(heard.join(' '), `${run.voice}: ${run.prompt}`).toBe(said.join(' '));
      }
    }
    console.log(
      Object.entries(accuracy)
        .map(([voice, { words, errors, ms }]) => {
          const sorted = [...ms].sort((a, b) => a - b);
          return `${voice}: word accuracy ${((100 * (words - errors)) / words).toFixed(1)}% of ${words} words, recognition median ${sorted[Math.floor(sorted.length / 2)]} ms`;
        })
        .join('\n'),
    );
    expect(Object.keys(accuracy).sort()).toEqual(['kal16', 'rms', 'slt']);
  });

  it('passes every scenario of scenarios/*.yaml, and hears nothing it can act on in out-of-domain speech', () => {
    const passing = oneTurn().filter((scenario) => !scenario.file.includes('failing/'));
    expect(passing.map((scenario) => scenario.file).sort()).toEqual(yamlFiles('scenarios').sort());
    // Every clean run passes; the robustness example passes its gate variant by variant.
    const clean = (scenario: JsonScenario) => scenario.runs.filter(heardClean);
    expect(passing.map((scenario) => [scenario.name, scenario.passed, passedOf(clean(scenario))])).toEqual(
      passing.map((scenario) => [scenario.name, true, clean(scenario).length]),
    );
    const outOfDomain = passing.find(
      (scenario) => scenario.name === 'no action on requests it cannot handle',
    );
    expect(outOfDomain?.runs.map((run) => run.transcript)).toEqual(
      outOfDomain?.runs.map(() => '[unintelligible]'),
    );
  });

  it('fails the deliberately failing scenario with a readable argument diff', () => {
    const wrongSize = oneTurn().find((scenario) => scenario.file.includes('failing/'));
    expect(wrongSize?.passed).toBe(false);
    expect(wrongSize?.runs.length).toBeGreaterThan(0);
    for (const run of wrongSize?.runs ?? []) {
      expect(run.status).toBe('failed');
      expect(run.evalResult?.failures[0]).toMatchObject({
        kind: 'wrong_arguments',
        message: 'book_table: party_size expected 2, got 4',
      });
    }
  });
});
