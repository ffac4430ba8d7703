import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/scenarios/types.js';
import { ComparisonError } from '../../src/suite/compare.js';
import { consistency } from '../../src/suite/consistency.js';
import type { SuiteRun } from '../../src/suite/types.js';
import { scenarioResult, suiteResult } from '../fixtures/suite-result.js';

type Status = SuiteRun['status'];

function scenario(name: string, prompts: number, runs: number): Scenario {
  const location = { file: 'scenarios/a.yaml', line: 1, column: 1 };
  return {
    name,
    location,
    prompts: Array.from({ length: prompts }, (_, i) => ({ text: `prompt ${i}`, location })),
    expect: [{ name: 'book_table', location }],
    forbid: [],
    match: { order: 'any', extraCalls: 'fail', arguments: 'subset', validateArguments: true },
    runs,
    minPassRate: 0.8,
    timeoutMs: 60_000,
    tags: [],
  };
}

/** A scenario result from its cells: `cells[prompt][voice]` lists the statuses of that cell's runs. */
function result(name: string, cells: Record<string, Status[]>[], runs: number) {
  const suiteRuns: SuiteRun[] = cells.flatMap((voices, promptIndex) =>
    Object.entries(voices).flatMap(([voice, statuses]) =>
      statuses.map((status, runIndex) => ({
        id: `${name}/p${promptIndex}/${voice}/default/r${runIndex}`,
        prompt: `prompt ${promptIndex}`,
        promptIndex,
        runIndex,
        voice,
        variant: 'default',
        status,
        latencyMs: 10,
        ...(status === 'error' ? { error: 'boom' } : {}),
      })),
    ),
  );
  return scenarioResult(scenario(name, cells.length, runs), suiteRuns);
}

const P: Status = 'passed';
const F: Status = 'failed';
const E: Status = 'error';

describe('consistency', () => {
  it('estimates pass^k with k = the runs per prompt and voice, and flags cells that passed and failed', () => {
    const book = result(
      'book',
      [
        { kal16: [P, P, P], slt: [P, F, P] },
        { kal16: [P, P, E], slt: [F, P, P] },
      ],
      3,
    );
    const measured = consistency(suiteResult([book]));
    const [one] = measured.scenarios;
    // 9 of 11 completed runs passed: C(9,3) / C(11,3) = 84 / 165.
    expect(one!.k).toBe(3);
    expect(one!.passHatK).toBeCloseTo(84 / 165, 12);
    expect(one!.cells).toBe(4);
    expect(one!.flaky).toEqual([
      {
        promptIndex: 0,
        prompt: 'prompt 0',
        voice: 'slt',
        variant: 'default',
        passed: 2,
        failed: 1,
        errored: 0,
      },
      {
        promptIndex: 1,
        prompt: 'prompt 1',
        voice: 'slt',
        variant: 'default',
        passed: 2,
        failed: 1,
        errored: 0,
      },
    ]);
    expect(measured).toMatchObject({ cells: 4, flakyCells: 2, flakyRate: 0.5, alpha: 0.05 });
  });

  it('counts each variant as a cell of its own: clean runs that pass and noisy ones that fail are not flaky', () => {
    const base = result('noisy', [{ kal16: [P, P, F, F] }], 4);
    // The same prompt and voice, its first two runs heard clean and the last two under noise.
    const runs = base.runs.map((run) => {
      const variant = run.runIndex < 2 ? 'clean' : 'cafe';
      return {
        ...run,
        variant,
        runIndex: run.runIndex % 2,
        id: `noisy/p0/kal16/${variant}/r${run.runIndex % 2}`,
      };
    });
    const measured = consistency(suiteResult([scenarioResult(base.scenario, runs)]));
    expect(measured).toMatchObject({ cells: 2, flakyCells: 0 });
    // Without the variant in the cell, the same runs are one flaky cell.
    const merged = consistency(suiteResult([base]));
    expect(merged).toMatchObject({ cells: 1, flakyCells: 1 });
  });

  it('does not call a cell flaky for an error: errors are not failures', () => {
    const measured = consistency(suiteResult([result('a', [{ kal16: [P, E, P], slt: [F, F] }], 3)]));
    expect(measured.scenarios[0]!.flaky).toEqual([]);
    expect(measured.flakyRate).toBe(0);
  });

  it('caps the default k at 8 and takes a k for every scenario when given', () => {
    const many = result('many', [{ kal16: Array<Status>(12).fill(P) }], 12);
    expect(consistency(suiteResult([many])).scenarios[0]).toMatchObject({ k: 8, passHatK: 1 });
    const mixed = result('mixed', [{ kal16: [P, P, P, F] }], 4);
    expect(consistency(suiteResult([mixed]), { k: 1 }).scenarios[0]!.passHatK).toBeCloseTo(0.75, 15);
    expect(consistency(suiteResult([mixed]), { k: 2 }).scenarios[0]!.passHatK).toBeCloseTo(0.5, 15);
    // More runs asked for than completed: no estimate.
    expect(consistency(suiteResult([mixed]), { k: 5 }).scenarios[0]!.passHatK).toBeNull();
  });

  it('hints the runs that detect a 10-point drop, in all and per prompt and voice', () => {
    const perfect = result(
      'perfect',
      [
        { kal16: [P, P], slt: [P, P] },
        { kal16: [P, P], slt: [P, P] },
      ],
      2,
    );
    const hint = consistency(suiteResult([perfect])).scenarios[0]!.runsNeeded;
    expect(hint).toEqual({ total: 74, perPromptAndVoice: 19 });
    // A smaller alpha needs more runs.
    expect(
      consistency(suiteResult([perfect]), { alpha: 0.01 }).scenarios[0]!.runsNeeded!.total,
    ).toBeGreaterThan(74);
    const hopeless = result('hopeless', [{ kal16: [F, F, F] }], 3);
    expect(consistency(suiteResult([hopeless])).scenarios[0]!.runsNeeded).toBeNull();
    const errored = result('errored', [{ kal16: [E, E] }], 2);
    expect(consistency(suiteResult([errored])).scenarios[0]).toMatchObject({
      runsNeeded: null,
      passHatK: null,
      cells: 0,
    });
    expect(consistency(suiteResult([errored])).flakyRate).toBeNull();
  });

  it('refuses k < 1 and an alpha outside (0, 0.5]', () => {
    const suite = suiteResult([result('a', [{ kal16: [P] }], 1)]);
    for (const k of [0, -1, 1.5]) expect(() => consistency(suite, { k }), String(k)).toThrow(ComparisonError);
    expect(() => consistency(suite, { k: 0 })).toThrow(/k 0 is not a whole number ≥ 1/);
    expect(() => consistency(suite, { alpha: 0.7 })).toThrow(/alpha 0.7 is outside/);
  });
});
