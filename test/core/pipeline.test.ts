import { describe, expect, it } from 'vitest';
import { FunctionAgent } from '../../src/agents/function.js';
import { FatalProviderError } from '../../src/core/errors.js';
import { run, runConcurrent, runPool } from '../../src/core/pipeline.js';
import { createRedactor } from '../../src/core/redact.js';
import type {
  Audio,
  EvalResult,
  Evaluator,
  ExpectedCall,
  RunResult,
  Synthesizer,
  ToolCall,
} from '../../src/core/types.js';

// A synthesizer that encodes the prompt as a tone whose length carries the prompt's identity, so
// the agent can only "understand" it from the audio, never from the text.
const PROMPTS = ['book a table', 'cancel it', 'opening hours'];
const toneSynthesizer: Synthesizer = {
  id: 'tone',
  async synthesize(text) {
    const index = PROMPTS.indexOf(text);
    const pcm = new Int16Array(160 * (index + 1));
    for (let i = 0; i < pcm.length; i++)
      pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000));
    return { pcm, sampleRate: 16000 };
  },
};
const heardIndex = (audio: Audio) => audio.pcm.length / 160 - 1;
const namesEvaluator: Evaluator = {
  evaluate(expected: ExpectedCall[], actual: ToolCall[]): EvalResult {
    const passed =
      expected.length === actual.length && expected.every((call, i) => call.name === actual[i]?.name);
    return { passed, matchRate: passed ? 1 : 0, calls: [], extra: [], forbidden: [], failures: [] };
  },
};
const delay = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

describe('run', () => {
  it('speaks the prompt, plays the audio to the agent and grades the calls', async () => {
    const agent = new FunctionAgent((audio) => [{ name: `tool${heardIndex(audio)}`, arguments: {} }]);
    const result = await run({
      prompt: 'cancel it',
      synthesizer: toneSynthesizer,
      agent,
      evaluator: namesEvaluator,
      expect: [{ name: 'tool1' }],
    });
    expect(result.status).toBe('passed');
    expect(result.response?.toolCalls).toEqual([{ name: 'tool1', arguments: {} }]);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('never gives the agent the prompt text', async () => {
    let seen: unknown[] = [];
    const agent = new FunctionAgent((...args: unknown[]) => {
      seen = args;
      return [];
    });
    await run({
      prompt: 'book a table',
      synthesizer: toneSynthesizer,
      agent,
      evaluator: namesEvaluator,
      expect: [],
    });
    expect(JSON.stringify(seen)).not.toContain('book a table');
  });

  it('records a throwing agent as an error with the stage, not a failure', async () => {
    const agent = new FunctionAgent(() => {
      throw new Error('connection reset');
    });
    const result = await run({
      prompt: 'cancel it',
      synthesizer: toneSynthesizer,
      agent,
      evaluator: namesEvaluator,
      expect: [],
    });
    expect(result).toMatchObject({ status: 'error', error: 'agent: connection reset' });
    expect(result.evalResult).toBeUndefined();
  });

  it('records a failing synthesizer as a synthesize error', async () => {
    const broken: Synthesizer = {
      id: 'broken',
      synthesize: async () => {
        throw new Error('voice not found');
      },
    };
    const agent = new FunctionAgent(() => []);
    const result = await run({
      prompt: 'x',
      synthesizer: broken,
      agent,
      evaluator: namesEvaluator,
      expect: [],
    });
    expect(result).toMatchObject({ status: 'error', error: 'synthesize: voice not found' });
  });

  it('times out an agent that ignores its signal', async () => {
    const agent = new FunctionAgent(() => new Promise(() => undefined));
    const result = await run({
      prompt: 'cancel it',
      synthesizer: toneSynthesizer,
      agent,
      evaluator: namesEvaluator,
      expect: [],
      timeoutMs: 50,
    });
    expect(result).toMatchObject({ status: 'error', error: 'agent: timed out after 50 ms' });
  });

  it('rejects a response without a toolCalls array as an error', async () => {
    const agent = new FunctionAgent(() => ({ calls: [] }) as never);
    const result = await run({
      prompt: 'cancel it',
      synthesizer: toneSynthesizer,
      agent,
      evaluator: namesEvaluator,
      expect: [],
    });
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/^agent: the agent returned .*expected \{toolCalls/);
  });

  it('marks a fatal provider error so the suite can stop', async () => {
    const agent = new FunctionAgent(() => {
      throw new FatalProviderError('401 invalid API key');
    });
    const result = await run({
      prompt: 'cancel it',
      synthesizer: toneSynthesizer,
      agent,
      evaluator: namesEvaluator,
      expect: [],
    });
    expect(result).toMatchObject({ status: 'error', fatal: true, error: 'agent: 401 invalid API key' });
  });
});

describe('runConcurrent', () => {
  it('runs every prompt × runs and returns results in input order', async () => {
    const agent = new FunctionAgent(async (audio) => {
      await delay(5 * (3 - heardIndex(audio)));
      return [{ name: `tool${heardIndex(audio)}`, arguments: {} }];
    });
    const batch = await runConcurrent({
      prompts: PROMPTS,
      synthesizer: toneSynthesizer,
      agent,
      evaluator: namesEvaluator,
      expect: [{ name: 'tool0' }],
      runs: 2,
      maxConcurrency: 4,
    });
    expect(batch.runs.map((r) => [r.prompt, r.runIndex])).toEqual([
      ['book a table', 0],
      ['book a table', 1],
      ['cancel it', 0],
      ['cancel it', 1],
      ['opening hours', 0],
      ['opening hours', 1],
    ]);
    expect(batch.summary).toEqual({
      total: 6,
      passed: 2,
      failed: 4,
      errored: 0,
      passRate: 2 / 6,
      matchRate: 2 / 6,
    });
    expect(batch.prompts[0]?.summary.passRate).toBe(1);
    expect(batch.prompts[1]?.summary.passRate).toBe(0);
  });

  it('keeps going when some runs throw, and excludes errors from the pass rate', async () => {
    let calls = 0;
    const agent = new FunctionAgent(() => {
      calls++;
      if (calls % 2 === 0) throw new Error('429 rate limited');
      return [{ name: 'tool0', arguments: {} }];
    });
    const batch = await runConcurrent({
      prompts: ['book a table'],
      synthesizer: toneSynthesizer,
      agent,
      evaluator: namesEvaluator,
      expect: [{ name: 'tool0' }],
      runs: 10,
      maxConcurrency: 1,
    });
    expect(batch.summary).toMatchObject({ total: 10, passed: 5, failed: 0, errored: 5, passRate: 1 });
    expect(
      batch.runs.filter((r) => r.status === 'error').every((r) => r.error === 'agent: 429 rate limited'),
    ).toBe(true);
  });

  it('never has more than maxConcurrency runs in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const agent = new FunctionAgent(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await delay(5);
      inFlight--;
      return [];
    });
    await runConcurrent({
      prompts: PROMPTS,
      synthesizer: toneSynthesizer,
      agent,
      evaluator: namesEvaluator,
      expect: [],
      runs: 10,
      maxConcurrency: 3,
    });
    expect(peak).toBe(3);
  });

  it('reports progress after every run', async () => {
    const seen: number[] = [];
    await runConcurrent({
      prompts: PROMPTS,
      synthesizer: toneSynthesizer,
      agent: new FunctionAgent(() => []),
      evaluator: namesEvaluator,
      expect: [],
      runs: 2,
      maxConcurrency: 2,
      onProgress: (progress) => {
        seen.push(progress.done);
        expect(progress.total).toBe(6);
        expect(progress.passed + progress.failed + progress.errored).toBe(progress.done);
      },
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('on cancel stops scheduling, aborts runs in flight and returns what finished', async () => {
    const controller = new AbortController();
    let started = 0;
    const agent = new FunctionAgent(async (_audio, { signal }) => {
      started++;
      if (started === 5) controller.abort();
      await delay(started <= 2 ? 1 : 1000, signal);
      return [];
    });
    const batch = await runConcurrent({
      prompts: ['book a table'],
      synthesizer: toneSynthesizer,
      agent,
      evaluator: namesEvaluator,
      expect: [],
      runs: 100,
      maxConcurrency: 3,
      signal: controller.signal,
    });
    expect(batch.cancelled).toBe(true);
    expect(started).toBe(5);
    expect(batch.runs.filter((r) => r.status === 'passed')).toHaveLength(2);
    expect(batch.runs.filter((r) => r.status === 'error').map((r) => r.error)).toEqual([
      'agent: cancelled',
      'agent: cancelled',
      'agent: cancelled',
    ]);
  });

  it('stops at a fatal error and keeps every run that finished', async () => {
    let calls = 0;
    const agent = new FunctionAgent(async () => {
      calls++;
      if (calls === 4) throw new FatalProviderError('429 insufficient_quota: add credit');
      return [];
    });
    const batch = await runConcurrent({
      prompts: ['book a table'],
      synthesizer: toneSynthesizer,
      agent,
      evaluator: namesEvaluator,
      expect: [],
      runs: 50,
      maxConcurrency: 1,
    });
    expect(batch.stoppedBy).toBe('agent: 429 insufficient_quota: add credit');
    expect(batch.runs).toHaveLength(4);
    expect(batch.summary).toMatchObject({ passed: 3, errored: 1 });
  });

  it('rejects runs and concurrency that are not positive integers', async () => {
    const base = {
      prompts: PROMPTS,
      synthesizer: toneSynthesizer,
      agent: new FunctionAgent(() => []),
      evaluator: namesEvaluator,
      expect: [],
    };
    await expect(runConcurrent({ ...base, runs: 0 })).rejects.toThrow(
      'runs must be a positive integer, got 0',
    );
    await expect(runConcurrent({ ...base, maxConcurrency: 0 })).rejects.toThrow(
      'concurrency must be a positive integer',
    );
  });
});

describe('runPool', () => {
  const result = (index: number): RunResult => ({
    prompt: `p${index}`,
    runIndex: index,
    status: 'passed',
    latencyMs: 0,
  });

  it('handles zero tasks', async () => {
    expect(await runPool([], { concurrency: 2 })).toEqual({ results: [], cancelled: false });
  });

  it('starts nothing when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    let started = 0;
    const outcome = await runPool(
      [1, 2, 3].map((i) => async () => {
        started++;
        return result(i);
      }),
      { concurrency: 2, signal: controller.signal },
    );
    expect(started).toBe(0);
    expect(outcome).toEqual({ results: [undefined, undefined, undefined], cancelled: true });
  });

  it('tells each task how many tasks have not started yet, and 0 once the pool stops', async () => {
    const seen: Array<[number, number]> = [];
    let upcoming: (() => number) | undefined;
    const tasks = [1, 2, 3, 4, 5].map((i) => async (_signal: AbortSignal, upcomingRuns: () => number) => {
      upcoming = upcomingRuns;
      const atStart = upcomingRuns();
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push([atStart, upcomingRuns()]);
      // The third task is fatal: the pool stops, and two tasks never start.
      return i === 3 ? { ...result(i), status: 'error' as const, error: 'no quota', fatal: true } : result(i);
    });
    const outcome = await runPool(tasks, { concurrency: 1 });
    // At the start and at the end of each task: the next one starts only after it ends.
    expect(seen).toEqual([
      [4, 4],
      [3, 3],
      [2, 2],
    ]);
    expect(outcome.stoppedBy).toBe('no quota');
    expect(upcoming?.()).toBe(0);
  });
});

describe('run with a redactor', () => {
  const SECRET = 'sk-pipeline-0123456789';
  const redact = createRedactor([SECRET]);

  it('redacts every string of the answer before grading and storing it', async () => {
    const graded: ToolCall[][] = [];
    const evaluator: Evaluator = {
      evaluate(expected, actual) {
        graded.push(actual);
        return namesEvaluator.evaluate(expected, actual);
      },
    };
    const agent = new FunctionAgent(() => ({
      toolCalls: [
        { name: 'tool0', arguments: { [SECRET]: [`Bearer ${SECRET}`], n: 1 } },
        { name: `leak_${SECRET}`, arguments: {}, argumentsError: `not JSON: ${SECRET}` },
      ],
      transcript: `heard ${SECRET}`,
      text: `said ${SECRET}`,
      usage: { input_tokens: 3 },
    }));
    const result = await run({
      prompt: 'book a table',
      synthesizer: toneSynthesizer,
      agent,
      evaluator,
      expect: [{ name: 'tool0' }],
      redact,
    });
    expect(result.response).toEqual({
      toolCalls: [
        { name: 'tool0', arguments: { '[redacted]': ['Bearer [redacted]'], n: 1 } },
        { name: 'leak_[redacted]', arguments: {}, argumentsError: 'not JSON: [redacted]' },
      ],
      transcript: 'heard [redacted]',
      text: 'said [redacted]',
      usage: { input_tokens: 3 },
    });
    expect(graded).toEqual([result.response?.toolCalls]);
  });

  it('redacts the error of a failed run', async () => {
    const agent = new FunctionAgent(() => {
      throw new Error(`401 for key ${SECRET}`);
    });
    const result = await run({
      prompt: 'book a table',
      synthesizer: toneSynthesizer,
      agent,
      evaluator: namesEvaluator,
      expect: [],
      redact,
    });
    expect(result.error).toBe('agent: 401 for key [redacted]');
  });
});
