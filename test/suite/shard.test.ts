import { describe, expect, it } from 'vitest';
import { loadSuite } from '../../src/suite/load.js';
import { planSuite, type SuitePlan } from '../../src/suite/plan.js';
import {
  findMissingRuns,
  parseShard,
  plannedRunIds,
  runCost,
  shardPlan,
  ShardError,
} from '../../src/suite/shard.js';
import { project } from '../fixtures/project.js';

// Uneven cells: a long prompt and a short one, a three-turn conversation, 1 to 7 runs per cell.
const FILES = {
  'russo.config.yaml':
    'agent:\n  provider: module\n  module: agent.mjs\nsynthesizer:\n  provider: flite\n  voices: [kal16, slt]\n',
  'scenarios/a-book.yaml': `name: book a table
prompts:
  - Book a table for two people at seven tonight, by the window if you have one free
  - Table for two
runs: 7
expect: []
`,
  'scenarios/b-hours.yaml': 'name: hours/today\nprompts: [When are you open]\nruns: 1\nexpect: []\n',
  'scenarios/c-talk.yaml': `name: talk
runs: 3
turns:
  - say: I would like a table
  - say: For two at seven
    expect: []
  - say: Thanks, that is all
`,
};

async function plan(): Promise<SuitePlan> {
  return planSuite(await loadSuite(undefined, { cwd: project(FILES) }));
}

const ids = (plan: SuitePlan) => [...plan.runs()].map((run) => run.id);

describe('parseShard', () => {
  it('reads i/n', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard(' 3 / 3 ')).toEqual({ index: 3, count: 3 });
  });

  it.each([
    ['0/3', '"0/3": the shard must be from 1 to 3'],
    ['4/3', '"4/3": the shard must be from 1 to 3'],
    ['1/0', '"1/0": the number of shards must be at least 1'],
    ['abc', '"abc" is not i/n'],
    ['1/2/3', 'is not i/n'],
    ['-1/3', 'is not i/n'],
    ['1.5/3', 'is not i/n'],
    ['', '"" is not i/n'],
  ])('refuses %j, saying why and how to write one', (text, message) => {
    const error = (() => {
      try {
        parseShard(text);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ShardError);
    expect((error as ShardError).message).toContain(message);
    expect((error as ShardError).hint).toContain('e.g. 1/4');
  });
});

describe('shardPlan', () => {
  it('covers the plan exactly once, in report order, for any number of shards', async () => {
    const full = await plan();
    const all = ids(full);
    expect(all).toHaveLength(2 * 2 * 7 + 1 * 2 * 1 + 1 * 2 * 3);
    const cells = new Set(all.map((id) => id.replace(/\/r\d+$/, ''))).size;
    // From one shard to more shards than cells, and more than runs.
    for (const count of [1, 2, 3, 4, 5, cells - 1, cells, cells + 1, all.length, all.length + 3]) {
      const shards = Array.from({ length: count }, (_, i) => shardPlan(full, { index: i + 1, count }));
      const union = shards.flatMap(ids);
      expect(union, `${count} shards`).toEqual(all);
      expect(shards.reduce((sum, shard) => sum + shard.totalRuns, 0)).toBe(all.length);
    }
  });

  it('gives a shard its runs per scenario as the report slices them', async () => {
    const full = await plan();
    for (let index = 1; index <= 3; index++) {
      const shard = shardPlan(full, { index, count: 3 });
      const runs = [...shard.runs()];
      expect(runs).toHaveLength(shard.totalRuns);
      for (const { scenario, firstRun, totalRuns } of shard.scenarios) {
        expect(totalRuns).toBeGreaterThan(0);
        const slice = runs.slice(firstRun, firstRun + totalRuns);
        expect(slice.every((run) => run.scenario === scenario)).toBe(true);
      }
      expect(shard.scenarios.reduce((sum, s) => sum + s.totalRuns, 0)).toBe(runs.length);
      expect(shard.shard).toMatchObject({ index, count: 3 });
    }
  });

  it('balances the shards by expected cost, not by run count', async () => {
    const full = await plan();
    const cost = (p: SuitePlan) =>
      [...p.runs()].reduce((sum, run) => sum + runCost(run.scenario, run.promptIndex), 0);
    const maxRun = Math.max(...[...full.runs()].map((run) => runCost(run.scenario, run.promptIndex)));
    const total = cost(full);
    for (const count of [2, 3, 4]) {
      const costs = Array.from({ length: count }, (_, i) => cost(shardPlan(full, { index: i + 1, count })));
      for (const shardCost of costs) expect(Math.abs(shardCost - total / count)).toBeLessThanOrEqual(maxRun);
    }
    // The long prompt costs more than the short one, a conversation its turns together.
    const [book, , talk] = full.scenarios.map(({ scenario }) => scenario);
    expect(runCost(book!, 0)).toBeGreaterThan(2 * runCost(book!, 1));
    expect(runCost(talk!, 0)).toBe(3 * 20 + 'I would like a tableFor two at sevenThanks, that is all'.length);
    // So the shards do not hold the same number of runs.
    const sizes = [1, 2].map((index) => shardPlan(full, { index, count: 2 }).totalRuns);
    expect(sizes[0]).not.toBe(sizes[1]);
  });

  it('is the same on every runner that plans the same files', async () => {
    const [first, second] = [await plan(), await plan()];
    for (let index = 1; index <= 4; index++) {
      expect(ids(shardPlan(second, { index, count: 4 }))).toEqual(ids(shardPlan(first, { index, count: 4 })));
    }
  });

  it('refuses a shard that is not i/n', async () => {
    const full = await plan();
    expect(() => shardPlan(full, { index: 4, count: 3 })).toThrow(ShardError);
    expect(() => shardPlan(full, { index: 1, count: 0 })).toThrow(ShardError);
  });
});

describe('the plan outline', () => {
  it('gives back every run id of the plan, in order', async () => {
    const full = await plan();
    const { shard } = shardPlan(full, { index: 2, count: 3 });
    expect(shard.plan.totalRuns).toBe(full.totalRuns);
    expect([...plannedRunIds(shard.plan)]).toEqual(ids(full));
    expect(shard.plan.scenarios.map((s) => [s.name, s.conversations, s.variants, s.runsPerCell])).toEqual([
      ['book a table', 2, ['default'], 7],
      ['hours/today', 1, ['default'], 1],
      ['talk', 1, ['default'], 3],
    ]);
  });

  it('names the runs no shard reported and the shards without a report', async () => {
    const full = await plan();
    const shards = [1, 2, 3].map((index) => shardPlan(full, { index, count: 3 }));
    const outline = shards[0]!.shard.plan;
    const all = new Set(ids(full));
    expect(findMissingRuns(outline, all, { count: 3, given: new Set([1, 2, 3]) })).toBeUndefined();

    const reported = new Set([...ids(shards[0]!), ...ids(shards[2]!)]);
    const missing = findMissingRuns(outline, reported, { count: 3, given: new Set([1, 3]) });
    const lost = ids(shards[1]!);
    expect(missing).toEqual({
      count: lost.length,
      planned: full.totalRuns,
      ids: lost.slice(0, 10),
      shards: [2],
      shardCount: 3,
    });
  });
});
