import { describe, expect, it } from 'vitest';
import { FunctionAgent } from '../../src/agents/function.js';
import type { AgentRunOptions, Audio, ToolCall } from '../../src/core/types.js';
import { ScenarioError } from '../../src/scenarios/errors.js';
import { loadSuite } from '../../src/suite/load.js';
import { CachedSynthesizer } from '../../src/synthesize/cached.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import { runSuite } from '../../src/suite/run.js';
import { project } from '../fixtures/project.js';

const SCENARIOS = {
  'scenarios/book.yaml': `name: book
prompts: [Book a table for two at seven, A table for two at seven please]
runs: 3
expect:
  - name: book_table
    arguments: { party_size: 2 }
`,
  'scenarios/hours.yaml': `name: hours
prompts: [When are you open]
runs: 4
min_pass_rate: 0.75
expect:
  - name: get_opening_hours
`,
};

// Real speech from Flite: the agent below only sees its audio. It answers by the clip's length
// (the only thing it can know without speech recognition): long clips are bookings.
const voices = ['kal16', 'slt'].map((voice) => ({
  voice,
  synthesizer: new CachedSynthesizer(new FliteSynthesizer({ voice }), { dir: false }),
}));
const byLength = (audio: Audio): ToolCall[] =>
  audio.pcm.length / audio.sampleRate > 1.8
    ? [{ name: 'book_table', arguments: { party_size: 2, time: '19:00' } }]
    : [{ name: 'get_opening_hours', arguments: {} }];

describe('runSuite', () => {
  it('runs scenarios × prompts × voices × runs in report order, with real audio', async () => {
    const suite = await loadSuite(undefined, { cwd: project(SCENARIOS) });
    const heard: number[] = [];
    const agent = new FunctionAgent((audio) => {
      heard.push(audio.sampleRate);
      return byLength(audio);
    });
    const result = await runSuite(suite, { agent, voices });
    expect(heard).toHaveLength(2 * 2 * 3 + 1 * 2 * 4);
    expect(heard.every((rate) => rate === 16000)).toBe(true);
    const [book, hours] = result.scenarios;
    expect(book?.runs.map((r) => `${r.promptIndex}/${r.voice}/${r.runIndex}`)).toEqual([
      '0/kal16/0',
      '0/kal16/1',
      '0/kal16/2',
      '0/slt/0',
      '0/slt/1',
      '0/slt/2',
      '1/kal16/0',
      '1/kal16/1',
      '1/kal16/2',
      '1/slt/0',
      '1/slt/1',
      '1/slt/2',
    ]);
    const ids = result.scenarios.flatMap((scenario) => scenario.runs.map((run) => run.id));
    expect(new Set(ids).size).toBe(20);
    expect(book?.runs[4]?.id).toBe('book/p0/slt/default/r1');
    expect(book?.summary).toMatchObject({ total: 12, passed: 12, passRate: 1 });
    expect(hours?.summary).toMatchObject({ total: 8, passed: 8 });
    expect(result.gate).toMatchObject({ passed: true, failures: [] });
    expect(result.voices).toEqual(['kal16', 'slt']);
    expect(result.summary.interval?.low).toBeGreaterThan(0.8);
    // 3 prompts × 2 voices spoken once each; the other 14 runs reuse that audio.
    expect(result.providers).toEqual({
      requests: 0,
      retries: 0,
      throttles: 0,
      estimatedCostUsd: 0,
      synthesis: { requests: 6, cacheHits: 14 },
      concurrency: { max: 8, lowest: 8 },
    });
  });

  it('bounds concurrency across the whole suite, not per scenario', async () => {
    const suite = await loadSuite(undefined, { cwd: project(SCENARIOS) });
    let inFlight = 0;
    let peak = 0;
    const agent = new FunctionAgent(async (audio) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      return byLength(audio);
    });
    await runSuite(suite, { agent, voices: voices.slice(0, 1), overrides: { maxConcurrency: 5 } });
    expect(peak).toBe(5);
  });

  it('catches uncaught exceptions and unhandled rejections only while the suite runs', async () => {
    const suite = await loadSuite(undefined, { cwd: project(SCENARIOS) });
    const listeners = () => [
      process.listenerCount('uncaughtException'),
      process.listenerCount('unhandledRejection'),
    ];
    const before = listeners();
    const during: number[][] = [];
    const agent = new FunctionAgent((audio) => {
      during.push(listeners());
      return byLength(audio);
    });
    await runSuite(suite, { agent, voices: voices.slice(0, 1), overrides: { runs: 1 } });
    expect(during[0]).toEqual(before.map((count) => count + 1));
    expect(listeners()).toEqual(before);
  });

  it('tells the agent how many runs of the suite have not started yet', async () => {
    const suite = await loadSuite(undefined, { cwd: project(SCENARIOS) });
    const upcoming: Array<number | undefined> = [];
    const agent = {
      id: 'counting',
      run: async (audio: Audio, options?: AgentRunOptions) => {
        upcoming.push(options?.upcomingRuns?.());
        return { toolCalls: byLength(audio) };
      },
    };
    await runSuite(suite, { agent, voices: voices.slice(0, 1), overrides: { maxConcurrency: 1 } });
    // 2 prompts × 3 runs + 1 prompt × 4 runs, one at a time, across both scenarios.
    expect(upcoming).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('fails the gate per scenario, and reports errors apart from failures', async () => {
    const suite = await loadSuite(undefined, { cwd: project(SCENARIOS) });
    let hoursCalls = 0;
    const agent = new FunctionAgent((audio) => {
      const calls = byLength(audio);
      if (calls[0]?.name === 'get_opening_hours' && hoursCalls++ % 2 === 0)
        throw new Error('503 upstream down');
      return calls[0]?.name === 'book_table' ? [{ name: 'book_table', arguments: { party_size: 3 } }] : calls;
    });
    const result = await runSuite(suite, { agent, voices: voices.slice(0, 1) });
    const [book, hours] = result.scenarios;
    expect(book).toMatchObject({ passed: false, summary: { passed: 0, failed: 6, errored: 0, passRate: 0 } });
    expect(hours).toMatchObject({ passed: true, summary: { passed: 2, failed: 0, errored: 2, passRate: 1 } });
    expect(result.gate.passed).toBe(false);
    expect(result.gate.failures.map((f) => f.kind)).toEqual(['scenario_pass_rate', 'errors']);
    expect(result.gate.failures[0]).toMatchObject({
      scenario: 'book',
      message: 'book: pass rate 0% (0/6) is under 80%',
    });
    expect(result.gate.failures[1]?.message).toBe('2 runs errored: agent: 503 upstream down (×2)');
    expect(result.errors).toEqual([{ message: 'agent: 503 upstream down', count: 2 }]);
    const failure = book?.runs[0]?.evalResult?.failures[0];
    expect(failure).toMatchObject({ kind: 'wrong_arguments' });
    expect(failure?.diffs).toContainEqual(expect.objectContaining({ path: 'party_size', actual: 3 }));
  });

  it('applies the suite threshold and the runs override', async () => {
    const suite = await loadSuite(undefined, { cwd: project(SCENARIOS) });
    let calls = 0;
    const agent = new FunctionAgent((audio) => (calls++ % 4 === 0 ? [] : byLength(audio)));
    const result = await runSuite(suite, {
      agent,
      voices: voices.slice(0, 1),
      overrides: { runs: 4, minPassRate: 0.9, maxConcurrency: 1 },
    });
    expect(result.summary).toMatchObject({ total: 12, passed: 9, failed: 3 });
    expect(result.gate.failures.map((f) => f.kind)).toContain('suite_pass_rate');
    expect(result.gate.minPassRate).toBe(0.9);
  });

  it('closes the agent when the suite ends, and keeps finished runs on cancel', async () => {
    const suite = await loadSuite(undefined, { cwd: project(SCENARIOS) });
    const controller = new AbortController();
    let closed = 0;
    let calls = 0;
    const agent = Object.assign(
      new FunctionAgent((audio) => {
        if (++calls === 3) controller.abort();
        return byLength(audio);
      }),
      { close: async () => void closed++ },
    );
    const result = await runSuite(suite, {
      agent,
      voices: voices.slice(0, 1),
      signal: controller.signal,
      overrides: { maxConcurrency: 1 },
    });
    expect(closed).toBe(1);
    expect(result.cancelled).toBe(true);
    expect(result.summary.total).toBe(3);
    expect(result.gate.failures.map((f) => f.kind)).toContain('cancelled');
  });

  it('names the config line when no agent is configured', async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({ ...SCENARIOS, 'russo.config.yaml': 'defaults: { runs: 1 }\n' }),
    });
    await expect(runSuite(suite, { voices })).rejects.toThrow(ScenarioError);
    await expect(runSuite(suite, { voices })).rejects.toThrow(/no agent is configured/);
  });
});
