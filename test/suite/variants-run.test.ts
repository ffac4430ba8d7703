// Variants through the real suite: real Flite speech perturbed by the real audio code, heard by an
// agent that sees only the audio. Run ids, cells that hear the same bytes, speech requests that stay
// one per text and voice, the breakdown per variant and voice, and the gate per variant.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FunctionAgent } from '../../src/agents/function.js';
import type { Audio, ToolCall } from '../../src/core/types.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { loadSuite } from '../../src/suite/load.js';
import { runSuite } from '../../src/suite/run.js';
import { CachedSynthesizer } from '../../src/synthesize/cached.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import { project } from '../fixtures/project.js';

const AGENT = 'agent:\n  provider: module\n  module: agent.js\n';

const CONFIG = `${AGENT}variants:
  - name: clean
  - name: fast
    speed: 2
  - name: cafe
    noise: { type: white, snr_db: 10 }
`;

const BOOK = `name: book
prompts: [Book a table for two at seven, A table for two at seven please]
runs: 2
expect:
  - name: book_table
    arguments: { party_size: 2 }
`;

const HOURS = `name: hours
prompts: [When are you open]
runs: 2
expect:
  - name: get_opening_hours
`;

function voices() {
  return ['kal16', 'slt'].map((voice) => ({
    voice,
    synthesizer: new CachedSynthesizer(new FliteSynthesizer({ voice }), { dir: false }),
  }));
}

// The agent knows only the clip: long clips are bookings. Spoken twice as fast, a booking is short.
const byLength = (audio: Audio): ToolCall[] =>
  audio.pcm.length / audio.sampleRate > 1.5
    ? [{ name: 'book_table', arguments: { party_size: 2 } }]
    : [{ name: 'get_opening_hours', arguments: {} }];

const digest = (audio: Audio) => createHash('sha256').update(audio.pcm).digest('hex');

describe('runSuite with variants', () => {
  it('runs prompts × voices × variants × runs, each cell hearing its own audio, synthesized once per text and voice', async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({ 'russo.config.yaml': CONFIG, 'scenarios/book.yaml': BOOK }),
    });
    const heard: Audio[] = [];
    const agent = new FunctionAgent((audio) => {
      heard.push(audio);
      return byLength(audio);
    });
    const result = await runSuite(suite, { agent, voices: voices(), overrides: { maxConcurrency: 1 } });
    const [book] = result.scenarios;
    // 2 prompts × 2 voices × 3 variants × 2 runs, in plan order.
    expect(book!.runs.map((run) => run.id).slice(0, 6)).toEqual([
      'book/p0/kal16/clean/r0',
      'book/p0/kal16/clean/r1',
      'book/p0/kal16/fast/r0',
      'book/p0/kal16/fast/r1',
      'book/p0/kal16/cafe/r0',
      'book/p0/kal16/cafe/r1',
    ]);
    expect(book!.runs).toHaveLength(24);
    expect(book!.runs.every((run) => run.id.split('/')[3] === run.variant)).toBe(true);

    // Both runs of a cell hear the same bytes; every cell hears other bytes than every other cell.
    const byCell = new Map<string, Set<string>>();
    book!.runs.forEach((run, index) => {
      const cell = run.id.replace(/\/r\d+$/, '');
      byCell.set(cell, (byCell.get(cell) ?? new Set()).add(digest(heard[index]!)));
    });
    expect([...byCell.values()].every((digests) => digests.size === 1)).toBe(true);
    expect(new Set([...byCell.values()].map((digests) => [...digests][0])).size).toBe(12);

    // The clean variant is the speech as synthesized; the fast one half as long; the noisy one as long, at 16 kHz.
    const seconds = (index: number) => heard[index]!.pcm.length / heard[index]!.sampleRate;
    expect(seconds(2) / seconds(0)).toBeCloseTo(0.5, 1);
    expect(heard[4]!.pcm.length).toBe(heard[0]!.pcm.length);
    expect(heard.every((audio) => audio.sampleRate === 16000)).toBe(true);

    // Speech: 2 texts × 2 voices synthesized; perturbed: 2 texts × 2 voices × 2 variants that change something.
    expect(result.providers?.synthesis.requests).toBe(4);
    expect(result.providers?.perturbed).toEqual({ made: 8, cacheHits: 8 });
    expect(renderTerminal(result, { color: false })).toContain(
      'speech: 4 synthesized, 12 from cache · variants: 8 perturbed, 8 from cache',
    );

    // The fast variant fails (its bookings are too short), the others pass: the gate fails on that variant alone.
    expect(
      book!.breakdown.variants.map(({ name, summary, passed }) => [name, summary.passRate, passed]),
    ).toEqual([
      ['clean', 1, true],
      ['fast', 0, false],
      ['cafe', 1, true],
    ]);
    expect(book!.breakdown.voices.map(({ name, summary }) => [name, summary.passed, summary.total])).toEqual([
      ['kal16', 8, 12],
      ['slt', 8, 12],
    ]);
    expect(book!.passed).toBe(false);
    expect(result.gate.failures).toEqual([
      {
        kind: 'variant_pass_rate',
        scenario: 'book',
        variant: 'fast',
        message: 'book, variant fast: pass rate 0% (0/8) is under 80%',
      },
    ]);
    expect(result.breakdown.variants.map(({ name, summary }) => [name, summary.passed])).toEqual([
      ['clean', 8],
      ['fast', 0],
      ['cafe', 8],
    ]);
    expect(result.breakdown.clean?.name).toBe('clean');
  });

  it("judges each variant at its own min_pass_rate, and lets a scenario's list replace the config's", async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({
        'russo.config.yaml': CONFIG.replace('speed: 2\n', 'speed: 2\n    min_pass_rate: 0\n'),
        'scenarios/book.yaml': BOOK,
        'scenarios/hours.yaml': `${HOURS}variants:\n  - name: quiet\n    gain_db: -20\n`,
      }),
    });
    const agent = new FunctionAgent(byLength);
    const result = await runSuite(suite, { agent, voices: voices().slice(0, 1) });
    const [book, hours] = result.scenarios;
    expect(
      book!.breakdown.variants.map(({ name, minPassRate, passed }) => [name, minPassRate, passed]),
    ).toEqual([
      ['clean', 0.8, true],
      ['fast', 0, true],
      ['cafe', 0.8, true],
    ]);
    expect(hours!.runs.map((run) => run.id)).toEqual(['hours/p0/kal16/quiet/r0', 'hours/p0/kal16/quiet/r1']);
    expect(result.gate).toMatchObject({ passed: true, failures: [] });
    expect(result.breakdown.variants.map(({ name }) => name)).toEqual(['clean', 'fast', 'cafe', 'quiet']);
  });

  it('caches perturbed speech like speech, on disk: a second suite makes none and hears the same bytes', async () => {
    const cwd = project({ 'russo.config.yaml': CONFIG, 'scenarios/book.yaml': BOOK });
    const suite = await loadSuite(undefined, { cwd });
    const cacheDir = join(cwd, 'cache');
    const heard = async () => {
      const digests: string[] = [];
      const agent = new FunctionAgent((audio) => {
        digests.push(digest(audio));
        return byLength(audio);
      });
      const speech = ['kal16'].map((voice) => ({
        voice,
        synthesizer: new CachedSynthesizer(new FliteSynthesizer({ voice }), { dir: cacheDir }),
      }));
      const result = await runSuite(suite, {
        agent,
        voices: speech,
        cacheDir,
        overrides: { maxConcurrency: 1 },
      });
      return { digests, providers: result.providers };
    };
    const first = await heard();
    expect(first.providers?.synthesis.requests).toBe(2);
    expect(first.providers?.perturbed).toEqual({ made: 4, cacheHits: 4 });
    const second = await heard();
    expect(second.providers?.synthesis.requests).toBe(0);
    expect(second.providers?.perturbed).toEqual({ made: 0, cacheHits: 8 });
    expect(second.digests).toEqual(first.digests);
    // Two WAV files of speech and four of perturbed speech, each sealed.
    expect(readdirSync(cacheDir).filter((file) => file.endsWith('.wav'))).toHaveLength(6);
  });

  it('perturbs a text once per voice and conditions: two names for the same noise share their audio', async () => {
    const scenario = (name: string, variant: string) =>
      `name: ${name}\nprompts: [Book a table for two at seven]\nruns: 2\nexpect: []\nvariants:\n  - name: ${variant}\n    noise: { type: white, snr_db: 10 }\n`;
    const suite = await loadSuite(undefined, {
      cwd: project({
        'russo.config.yaml': AGENT,
        'scenarios/a.yaml': scenario('book', 'cafe'),
        'scenarios/b.yaml': scenario('book again', 'noisy'),
      }),
    });
    const heard: string[] = [];
    const agent = new FunctionAgent((audio) => {
      heard.push(digest(audio));
      return [];
    });
    const result = await runSuite(suite, {
      agent,
      voices: voices().slice(0, 1),
      overrides: { maxConcurrency: 1 },
    });
    expect(result.providers?.perturbed).toEqual({ made: 1, cacheHits: 3 });
    expect(new Set(heard).size).toBe(1);
    expect(result.scenarios.map((scenario) => scenario.runs[0]!.variant)).toEqual(['cafe', 'noisy']);
  });

  it('runs a shard with the variants of its own scenarios, when earlier scenarios fall in another shard', async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({
        'russo.config.yaml': AGENT,
        'scenarios/a.yaml': HOURS.replace('name: hours', 'name: a plain one'),
        'scenarios/b.yaml': `${BOOK}variants:\n  - name: clean\n  - name: fast\n    speed: 2\n`,
      }),
    });
    const shards = await Promise.all(
      [1, 2].map((index) =>
        runSuite(suite, {
          agent: new FunctionAgent(byLength),
          voices: voices().slice(0, 1),
          shard: { index, count: 2 },
        }),
      ),
    );
    const runs = shards.flatMap((result) => result.scenarios.flatMap((scenario) => scenario.runs));
    // Every planned run once, each heard under its own variant: the fast bookings fail, the clean pass.
    expect(runs).toHaveLength(2 + 2 * 2 * 2);
    const book = runs.filter((run) => run.id.startsWith('book/'));
    expect(book.filter((run) => run.variant === 'fast').every((run) => run.status === 'failed')).toBe(true);
    expect(book.filter((run) => run.variant === 'clean').every((run) => run.status === 'passed')).toBe(true);
  });

  it('leaves a suite without variants as it was: one default variant, nothing perturbed', async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({ 'russo.config.yaml': AGENT, 'scenarios/hours.yaml': HOURS }),
    });
    const result = await runSuite(suite, { agent: new FunctionAgent(byLength), voices: voices() });
    expect(result.scenarios[0]!.runs.map((run) => run.id)).toEqual([
      'hours/p0/kal16/default/r0',
      'hours/p0/kal16/default/r1',
      'hours/p0/slt/default/r0',
      'hours/p0/slt/default/r1',
    ]);
    expect(result.providers?.perturbed).toBeUndefined();
    expect(result.breakdown.sweeps).toEqual([]);
  });
});
