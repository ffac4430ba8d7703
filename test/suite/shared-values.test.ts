import { describe, expect, it } from 'vitest';
import { FunctionAgent } from '../../src/agents/function.js';
import type { RunResult } from '../../src/core/types.js';
import { loadSuite } from '../../src/suite/load.js';
import { runSuite } from '../../src/suite/run.js';
import { SharedValues } from '../../src/suite/shared-values.js';
import { CachedSynthesizer } from '../../src/synthesize/cached.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import { project } from '../fixtures/project.js';

describe('SharedValues', () => {
  it('hands back the value it keeps when an equal one comes', () => {
    const shared = new SharedValues();
    const first = { toolCalls: [{ name: 'book_table', arguments: { party_size: 2 } }] };
    const again = { toolCalls: [{ name: 'book_table', arguments: { party_size: 2 } }] };
    const other = { toolCalls: [{ name: 'book_table', arguments: { party_size: 3 } }] };
    expect(shared.share(first)).toBe(first);
    expect(shared.share(again)).toBe(first);
    expect(shared.share(other)).toBe(other);
  });

  it('never shares values that only their JSON makes equal', () => {
    const shared = new SharedValues();
    for (const [kept, came] of [
      [{ value: null }, { value: Number.NaN }],
      [{ value: 0 }, { value: -0 }],
      [{}, { value: undefined }],
      [{ at: '2026-11-30T00:00:00.000Z' }, { at: new Date('2026-11-30T00:00:00.000Z') }],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [[1, 2], { 0: 1, 1: 2 }],
    ]) {
      expect(shared.share(kept)).toBe(kept);
      expect(shared.share(came)).toBe(came);
    }
  });

  it('keeps a value JSON cannot write as it is', () => {
    const shared = new SharedValues();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(shared.share(cyclic)).toBe(cyclic);
    const big = { value: 1n };
    expect(shared.share(big)).toBe(big);
  });

  it('swaps a run’s response and verdict, and each turn’s, for equal ones, and nothing else', () => {
    const shared = new SharedValues();
    const run = (runIndex: number): RunResult => ({
      prompt: 'p',
      runIndex,
      status: 'passed',
      latencyMs: runIndex,
      response: { toolCalls: [] },
      evalResult: { passed: true, matchRate: 1, calls: [], extra: [], forbidden: [], failures: [] },
      turns: [{ index: 0, say: 'p', status: 'passed', latencyMs: runIndex, response: { toolCalls: [] } }],
    });
    const first = run(0);
    const second = run(1);
    shared.shareParts(first);
    shared.shareParts(second);
    expect(second).toEqual(run(1));
    expect(second.response).toBe(first.response);
    expect(second.evalResult).toBe(first.evalResult);
    expect(second.turns?.[0]?.response).toBe(first.turns?.[0]?.response);
    expect(second.turns?.[0]).not.toBe(first.turns?.[0]);
  });
});

describe('runSuite keeps a large suite small', () => {
  it('gives runs that answered alike one response and one verdict', async () => {
    const cwd = project({
      'scenarios/book.yaml': `name: book
prompts: [Book a table for two]
runs: 4
expect: [{ name: book_table, arguments: { party_size: 2 } }]
`,
    });
    const suite = await loadSuite(undefined, { cwd });
    let calls = 0;
    // A fresh object every time, as a real agent's parsed answer is; the third run answers otherwise.
    const agent = new FunctionAgent(() => [
      { name: 'book_table', arguments: { party_size: ++calls === 3 ? 3 : 2 } },
    ]);
    const voices = [
      { voice: 'kal16', synthesizer: new CachedSynthesizer(new FliteSynthesizer(), { dir: false }) },
    ];
    const result = await runSuite(suite, { agent, voices });
    const runs = result.scenarios[0]!.runs;
    expect(runs.map((run) => run.status)).toEqual(['passed', 'passed', 'failed', 'passed']);
    expect(runs[1]!.response).toBe(runs[0]!.response);
    expect(runs[3]!.evalResult).toBe(runs[0]!.evalResult);
    expect(runs[2]!.response?.toolCalls[0]?.arguments).toEqual({ party_size: 3 });
    expect(new Set(runs.map((run) => run.id)).size).toBe(4);
  });
});
