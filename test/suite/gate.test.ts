import { describe, expect, it } from 'vitest';
import { FunctionAgent } from '../../src/agents/function.js';
import { actionResult } from '../../src/github/outcome.js';
import type { Scenario } from '../../src/scenarios/types.js';
import { ComparisonError } from '../../src/suite/compare.js';
import { loadSuite } from '../../src/suite/load.js';
import { checkJudgeOptions, suiteResult, type SuiteFacts } from '../../src/suite/result.js';
import { runSuite } from '../../src/suite/run.js';
import type { SuiteRun } from '../../src/suite/types.js';
import { scenarioResult } from '../fixtures/suite-result.js';
import { project } from '../fixtures/project.js';

type Status = SuiteRun['status'];

function scenario(name: string, minPassRate = 0.3, expect = 'book_table'): Scenario {
  const location = { file: `scenarios/${name}.yaml`, line: 1, column: 1 };
  return {
    name,
    location,
    prompts: [
      { text: `${name} one`, location },
      { text: `${name} two`, location },
    ],
    expect: [{ name: expect, location }],
    forbid: [],
    match: { order: 'any', extraCalls: 'fail', arguments: 'subset', validateArguments: true },
    runs: 4,
    minPassRate,
    timeoutMs: 60_000,
    tags: [],
  };
}

/** A scenario of two prompts in one voice; `statuses[prompt]` are that prompt's runs. */
function outcome(
  name: string,
  statuses: Status[][],
  options: { minPassRate?: number; expect?: string } = {},
) {
  const runs: SuiteRun[] = statuses.flatMap((cell, promptIndex) =>
    cell.map((status, runIndex) => ({
      id: `${name}/p${promptIndex}/kal16/default/r${runIndex}`,
      prompt: `${name} ${promptIndex === 0 ? 'one' : 'two'}`,
      promptIndex,
      runIndex,
      voice: 'kal16',
      status,
      latencyMs: 10,
      ...(status === 'error' ? { error: 'agent: timed out' } : {}),
    })),
  );
  return scenarioResult(scenario(name, options.minPassRate, options.expect), runs);
}

const P: Status = 'passed';
const F: Status = 'failed';
const all = (status: Status, n: number) => Array<Status>(n).fill(status);

function facts(scenarios: SuiteFacts['scenarios'], extra: Partial<SuiteFacts> = {}): SuiteFacts {
  return {
    scenarios,
    minPassRate: null,
    maxErrors: 0,
    cancelled: false,
    agent: 'module:agent.mjs',
    voices: ['kal16'],
    startedAt: '2026-12-01T10:00:00.000Z',
    durationMs: 1000,
    ...extra,
  };
}

// The base branch: 8 of 8 runs passed.
const base = { scenarios: [outcome('book', [all(P, 4), all(P, 4)])] };

describe('the gate against a baseline', () => {
  it('fails on a significant drop that still meets the threshold, as a regression', () => {
    // 3 of 8: over min_pass_rate 0.3, and p ≈ 0.007 against 8 of 8.
    const dropped = outcome('book', [
      [P, F, F, P],
      [F, F, P, F],
    ]);
    const result = suiteResult(
      facts([dropped], {
        judging: { baseline: { result: base, source: 'old.json', failOn: 'significant' } },
      }),
    );
    expect(result.scenarios[0]!.passed).toBe(true);
    expect(result.gate.passed).toBe(false);
    expect(result.gate.failures).toEqual([
      {
        kind: 'regression',
        scenario: 'book',
        message:
          'book: pass rate fell from 100% (8/8) to 37.5% (3/8) against the baseline, a significant drop at alpha 0.05',
      },
    ]);
    expect(result.baseline).toMatchObject({ status: 'compared', source: 'old.json', failOn: 'significant' });
    expect(actionResult(result)).toBe('failed');
  });

  it('passes a drop within noise unless fail-on-regression is any; off never fails', () => {
    // 7 of 8 against 8 of 8: p ≈ 0.5.
    const noisy = [outcome('book', [[P, P, F, P], all(P, 4)])];
    const judged = (failOn: 'significant' | 'any' | 'off') =>
      suiteResult(facts(noisy, { judging: { baseline: { result: base, source: 'old.json', failOn } } }));
    expect(judged('significant').gate).toMatchObject({ passed: true, failures: [] });
    expect(judged('any').gate.failures).toEqual([
      {
        kind: 'regression',
        scenario: 'book',
        message:
          'book: pass rate fell from 100% (8/8) to 87.5% (7/8) against the baseline, a drop within noise, failed by fail-on-regression any',
      },
    ]);
    const dropped = [outcome('book', [all(F, 4), all(F, 4)], { minPassRate: 0 })];
    const off = suiteResult(
      facts(dropped, { judging: { baseline: { result: base, source: 'old.json', failOn: 'off' } } }),
    );
    expect(off.gate.passed).toBe(true);
    expect(
      off.baseline?.status === 'compared' && off.baseline.comparison.scenarios[0]!.change!.significant,
    ).toBe(true);
  });

  it('uses the alpha it is given for the comparison, the runs hint and the message', () => {
    // 5 of 8 against 8 of 8: p ≈ 0.06, significant at 0.1 only.
    const current = [
      outcome('book', [
        [P, F, P, F],
        [P, P, F, P],
      ]),
    ];
    const at = (alpha: number) =>
      suiteResult(
        facts(current, {
          judging: { alpha, baseline: { result: base, source: 'old.json', failOn: 'significant' } },
        }),
      );
    expect(at(0.05).gate.passed).toBe(true);
    expect(at(0.1).gate.failures[0]!.message).toMatch(/a significant drop at alpha 0\.1$/);
    expect(at(0.1).consistency.alpha).toBe(0.1);
    expect(at(0.1).consistency.scenarios[0]!.runsNeeded!.total).toBeLessThan(
      at(0.05).consistency.scenarios[0]!.runsNeeded!.total,
    );
  });

  it('does not compare a scenario whose expectation changed, nor a new one', () => {
    const changed = outcome('book', [all(F, 4), all(F, 4)], { minPassRate: 0, expect: 'cancel_reservation' });
    const result = suiteResult(
      facts([changed, outcome('hours', [all(P, 4), all(P, 4)])], {
        judging: { baseline: { result: base, source: 'old.json', failOn: 'any' } },
      }),
    );
    expect(result.gate.passed).toBe(true);
    const rows = result.baseline?.status === 'compared' ? result.baseline.comparison.scenarios : [];
    expect(rows.map((row) => [row.name, row.status])).toEqual([
      ['book', 'changed'],
      ['hours', 'new'],
    ]);
  });

  it('keeps a missing baseline as data and gates on thresholds alone', () => {
    const result = suiteResult(
      facts([outcome('book', [all(F, 4), all(P, 4)], { minPassRate: 0.8 })], {
        judging: { baseline: { missing: 'no baseline stored for main yet' } },
      }),
    );
    expect(result.baseline).toEqual({ status: 'missing', reason: 'no baseline stored for main yet' });
    expect(result.gate.failures.map((failure) => failure.kind)).toEqual(['scenario_pass_rate']);
  });
});

describe('the flaky gate (gate.max_flaky_rate)', () => {
  // Two cells: the first both passed and failed (flaky), the second only passed.
  const flaky = [outcome('book', [[P, F, P, P], all(P, 4)])];

  it('fails when more cells are flaky than allowed, and holds at the limit', () => {
    const over = suiteResult(facts(flaky, { maxFlakyRate: 0.25 }));
    expect(over.consistency).toMatchObject({ cells: 2, flakyCells: 1, flakyRate: 0.5 });
    expect(over.gate.failures).toEqual([
      {
        kind: 'flaky_rate',
        message: '1 of 2 prompt × voice cells are flaky (50%): more than 25%',
      },
    ]);
    expect(over.gate.maxFlakyRate).toBe(0.25);
    expect(actionResult(over)).toBe('failed');
    expect(suiteResult(facts(flaky, { maxFlakyRate: 0.5 })).gate.passed).toBe(true);
    expect(suiteResult(facts(flaky)).gate).toMatchObject({ passed: true, maxFlakyRate: null });
  });

  it('measures pass^k with the k it is given', () => {
    const result = suiteResult(facts(flaky, { judging: { passK: 2 } }));
    expect(result.consistency.k).toBe(2);
    // 7 of 8 passed: C(7,2)/C(8,2) = 21/28.
    expect(result.consistency.scenarios[0]).toMatchObject({ k: 2, passHatK: 0.75 });
  });
});

describe('checkJudgeOptions', () => {
  const names = ['book'];

  it('refuses an alpha outside (0, 0.5], a k under 1 and a baseline of another suite', () => {
    for (const bad of [
      () => checkJudgeOptions({ alpha: 0.6 }, names),
      () => checkJudgeOptions({ alpha: 0 }, names),
      () => checkJudgeOptions({ passK: 0 }, names),
      () => checkJudgeOptions({ passK: 1.5 }, names),
      () =>
        checkJudgeOptions(
          {
            baseline: { result: { scenarios: [outcome('hours', [all(P, 4)])] }, source: 'x', failOn: 'any' },
          },
          names,
        ),
    ]) {
      expect(bad).toThrow(ComparisonError);
    }
    expect(() =>
      checkJudgeOptions(
        { alpha: 0.5, passK: 1, baseline: { result: base, source: 'x', failOn: 'any' } },
        names,
      ),
    ).not.toThrow();
  });

  it('is checked by runSuite before the agent hears anything', async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({
        'scenarios/hours.yaml':
          'name: hours\nprompts: [When are you open]\nexpect:\n  - name: get_opening_hours\n',
      }),
    });
    let calls = 0;
    const agent = new FunctionAgent(() => {
      calls++;
      return [];
    });
    await expect(
      runSuite(suite, {
        agent,
        voices: [],
        judging: { baseline: { result: base, source: 'old.json', failOn: 'significant' } },
      }),
    ).rejects.toThrow(/no scenario in common/);
    await expect(runSuite(suite, { agent, voices: [], judging: { passK: 0 } })).rejects.toThrow(
      /k 0 is not a whole number/,
    );
    expect(calls).toBe(0);
  });
});
