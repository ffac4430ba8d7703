import { describe, expect, it } from 'vitest';
import { barnardTest } from '../../src/core/significance.js';
import type { ExpectedCall } from '../../src/core/types.js';
import type { Scenario } from '../../src/scenarios/types.js';
import { comparedSuiteOf, fromJsonReport, toJsonReport } from '../../src/report/json.js';
import { compare, ComparisonError, regressions } from '../../src/suite/compare.js';
import type { SuiteRun } from '../../src/suite/types.js';
import { scenarioResult, suiteResult } from '../fixtures/suite-result.js';

const book: ExpectedCall = { name: 'book_table', arguments: { party_size: 2 } };

function scenario(name: string, expect: ExpectedCall[] = [book]): Scenario {
  const file = `scenarios/${name.replace(/ /g, '-')}.yaml`;
  return {
    name,
    location: { file, line: 1, column: 1 },
    prompts: [{ text: `say ${name}`, location: { file, line: 2, column: 3 } }],
    expect: expect.map((call) => ({ ...call, location: { file, line: 4, column: 5 } })),
    forbid: [],
    match: { order: 'any', extraCalls: 'fail', arguments: 'subset', validateArguments: true },
    runs: 1,
    minPassRate: 0.8,
    timeoutMs: 60_000,
    tags: [],
  };
}

/** A scenario result with `passed` passes, `failed` failures and `errored` errors, in that order. */
function outcome(name: string, passed: number, failed: number, errored = 0, expect?: ExpectedCall[]) {
  const statuses = [
    ...Array<SuiteRun['status']>(passed).fill('passed'),
    ...Array<SuiteRun['status']>(failed).fill('failed'),
    ...Array<SuiteRun['status']>(errored).fill('error'),
  ];
  const runs: SuiteRun[] = statuses.map((status, runIndex) => ({
    id: `${name}/p0/kal16/default/r${runIndex}`,
    prompt: `say ${name}`,
    promptIndex: 0,
    runIndex,
    voice: 'kal16',
    variant: 'default',
    status,
    latencyMs: 100,
    ...(status === 'error' ? { error: 'agent: timed out' } : {}),
  }));
  return scenarioResult(scenario(name, expect), runs);
}

describe('compare', () => {
  it('calls a drop from 20/20 to 12/20 a significant regression, with its p-value and interval', () => {
    const comparison = compare(suiteResult([outcome('book', 20, 0)]), suiteResult([outcome('book', 12, 8)]));
    const [row] = comparison.scenarios;
    expect(row).toMatchObject({ name: 'book', status: 'compared', file: 'scenarios/book.yaml', line: 1 });
    const change = row!.change!;
    expect(change.base).toEqual({ passed: 20, failed: 0, errored: 0, passRate: 1 });
    expect(change.current).toEqual({ passed: 12, failed: 8, errored: 0, passRate: 0.6 });
    expect(change.delta).toBeCloseTo(-0.4, 12);
    expect(change.pValue).toBe(barnardTest({ passed: 20, n: 20 }, { passed: 12, n: 20 }));
    expect(change.pValue).toBeLessThan(0.01);
    expect(change.significant).toBe(true);
    expect(change.direction).toBe('regression');
    expect(change.interval!.low).toBeLessThan(-0.4);
    expect(change.interval!.high).toBeLessThan(0);
    expect(regressions(comparison, 'significant').map((r) => r.name)).toEqual(['book']);
  });

  it('keeps a drop within noise apart: it fails only the `any` policy', () => {
    const comparison = compare(suiteResult([outcome('book', 10, 0)]), suiteResult([outcome('book', 9, 1)]));
    const change = comparison.scenarios[0]!.change!;
    expect(change.direction).toBe('regression');
    expect(change.significant).toBe(false);
    expect(change.pValue).toBeGreaterThan(0.3);
    expect(change.interval!.low).toBeLessThan(0);
    expect(change.interval!.high).toBeGreaterThan(0);
    expect(regressions(comparison, 'significant')).toEqual([]);
    expect(regressions(comparison, 'any').map((r) => r.name)).toEqual(['book']);
    expect(regressions(comparison, 'off')).toEqual([]);
  });

  it('follows alpha: a p-value of about 0.04 is significant at 0.05 and not at 0.01', () => {
    const base = suiteResult([outcome('book', 12, 0)]);
    const current = suiteResult([outcome('book', 8, 4)]);
    expect(compare(base, current).scenarios[0]!.change!.significant).toBe(true);
    const strict = compare(base, current, { alpha: 0.01 });
    expect(strict.alpha).toBe(0.01);
    expect(strict.scenarios[0]!.change!.significant).toBe(false);
    // The interval is at level 1 − alpha: wider at 0.01.
    expect(strict.scenarios[0]!.change!.interval!.low).toBeLessThan(
      compare(base, current).scenarios[0]!.change!.interval!.low,
    );
  });

  it('marks new, removed and changed scenarios and does not compare them', () => {
    const base = suiteResult([outcome('kept', 5, 0), outcome('dropped', 5, 0), outcome('edited', 5, 0)]);
    const current = suiteResult([
      outcome('kept', 5, 0),
      outcome('edited', 0, 5, 0, [{ name: 'book_table', arguments: { party_size: 4 } }]),
      outcome('added', 1, 4),
    ]);
    const comparison = compare(base, current);
    expect(comparison.scenarios.map((row) => [row.name, row.status, row.change === null])).toEqual([
      ['kept', 'compared', false],
      ['edited', 'changed', true],
      ['added', 'new', true],
      ['dropped', 'removed', true],
    ]);
    const byName = Object.fromEntries(comparison.scenarios.map((row) => [row.name, row]));
    expect(byName.added!.base).toBeNull();
    expect(byName.added!.current).toMatchObject({ passed: 1, failed: 4 });
    expect(byName.dropped!.current).toBeNull();
    expect(byName.edited!.base).toMatchObject({ passed: 5 });
    expect(byName.edited!.current).toMatchObject({ failed: 5 });
    // The 0/5 of the edited scenario is no regression: its expectation changed.
    expect(regressions(comparison, 'any')).toEqual([]);
    // The suite line holds only the compared scenario.
    expect(comparison.suite.base).toEqual({ passed: 5, failed: 0, errored: 0, passRate: 1 });
    expect(comparison.suite.current).toEqual({ passed: 5, failed: 0, errored: 0, passRate: 1 });
    expect(comparison.suite).toMatchObject({ delta: 0, pValue: 1, significant: false, direction: 'same' });
  });

  it('leaves errors out of the rates and marks a side where every run errored', () => {
    const comparison = compare(
      suiteResult([outcome('book', 8, 0, 2), outcome('hours', 4, 0)]),
      suiteResult([outcome('book', 8, 0), outcome('hours', 0, 0, 4)]),
    );
    const [book, hours] = comparison.scenarios;
    expect(book!.change).toMatchObject({ delta: 0, direction: 'same', pValue: 1 });
    expect(book!.change!.base).toEqual({ passed: 8, failed: 0, errored: 2, passRate: 1 });
    expect(hours).toMatchObject({ status: 'no_completed_runs', change: null });
    expect(hours!.current).toEqual({ passed: 0, failed: 0, errored: 4, passRate: null });
    expect(comparison.suite.base).toEqual({ passed: 8, failed: 0, errored: 2, passRate: 1 });
  });

  it('sums the suite over the compared scenarios and tests the sum', () => {
    const comparison = compare(
      suiteResult([outcome('a', 10, 0), outcome('b', 10, 0), outcome('c', 10, 0)]),
      suiteResult([outcome('a', 8, 2), outcome('b', 8, 2), outcome('c', 8, 2)]),
    );
    // No scenario alone is significant, but the suite's 30/30 → 24/30 is.
    expect(regressions(comparison, 'significant')).toEqual([]);
    expect(comparison.suite.base).toEqual({ passed: 30, failed: 0, errored: 0, passRate: 1 });
    expect(comparison.suite.current).toEqual({ passed: 24, failed: 6, errored: 0, passRate: 0.8 });
    expect(comparison.suite.pValue).toBe(barnardTest({ passed: 30, n: 30 }, { passed: 24, n: 30 }));
    expect(comparison.suite).toMatchObject({ significant: true, direction: 'regression' });
  });

  it('lists significant regressions first, then significant improvements, then the rest in order', () => {
    const comparison = compare(
      suiteResult([
        outcome('steady', 10, 0),
        outcome('better', 2, 18),
        outcome('worse', 20, 0),
        outcome('much worse', 20, 0),
        outcome('noisy', 10, 0),
      ]),
      suiteResult([
        outcome('steady', 10, 0),
        outcome('better', 18, 2),
        outcome('worse', 13, 7),
        outcome('much worse', 2, 18),
        outcome('noisy', 9, 1),
      ]),
    );
    expect(comparison.scenarios.map((row) => row.name)).toEqual([
      'much worse',
      'worse',
      'better',
      'steady',
      'noisy',
    ]);
    expect(comparison.scenarios.map((row) => row.change!.direction)).toEqual([
      'regression',
      'regression',
      'improvement',
      'same',
      'regression',
    ]);
  });

  it('refuses a baseline from a different suite', () => {
    expect(() => compare(suiteResult([outcome('a', 1, 0)]), suiteResult([outcome('b', 1, 0)]))).toThrow(
      ComparisonError,
    );
    expect(() => compare(suiteResult([outcome('a', 1, 0)]), suiteResult([outcome('b', 1, 0)]))).toThrow(
      /no scenario in common .* a baseline from a different suite/,
    );
    expect(() => compare(suiteResult([]), suiteResult([]))).toThrow(/different suite/);
  });

  it('refuses an alpha outside (0, 0.5]', () => {
    const result = suiteResult([outcome('a', 1, 0)]);
    for (const alpha of [0, -0.1, 0.51, 1, Number.NaN]) {
      expect(() => compare(result, result, { alpha }), String(alpha)).toThrow(
        /alpha .* is outside \(0, 0\.5\]/,
      );
    }
    expect(compare(result, result, { alpha: 0.5 }).alpha).toBe(0.5);
  });
});

describe('comparedSuiteOf', () => {
  it('compares two JSON reports as their rebuilt results compare, old reports without a hash too', () => {
    const base = toJsonReport(
      suiteResult([outcome('book', 20, 0), outcome('cancel', 8, 2, 1), outcome('gone', 3, 0)]),
    );
    const current = toJsonReport(
      suiteResult([outcome('book', 12, 8), outcome('cancel', 9, 1), outcome('new', 1, 1)]),
    );
    // A report written before scenarios kept their expectation hash: it is computed from the scenario.
    const old = { ...base, scenarios: base.scenarios.map(({ expectationHash: _, ...scenario }) => scenario) };
    for (const baseline of [base, old]) {
      const fast = compare(comparedSuiteOf(baseline), comparedSuiteOf(current));
      expect(fast).toEqual(compare(fromJsonReport(baseline), fromJsonReport(current)));
      expect(fast.scenarios.map((row) => row.status)).toEqual(['compared', 'compared', 'new', 'removed']);
    }
  });
});
