import { describe, expect, it } from 'vitest';
import { ScenarioError, formatProblem } from '../../src/scenarios/errors.js';
import { loadSuite } from '../../src/suite/load.js';
import { planSuite, runId, type PlannedRun } from '../../src/suite/plan.js';
import { project } from '../fixtures/project.js';

const FILES = {
  'russo.config.yaml':
    'agent:\n  provider: module\n  module: agent.mjs\nsynthesizer:\n  provider: flite\n  voices: [kal16, slt]\nmax_concurrency: 6\ndefaults:\n  runs: 2\n',
  'scenarios/a-book.yaml':
    'name: book a table\nprompts: [Book a table, A table please]\nruns: 3\nexpect: []\n',
  'scenarios/b-hours.yaml': 'name: hours/today\nprompts: [When are you open]\nexpect: []\n',
};

const cell = (run: PlannedRun) => `${run.scenario.name}|${run.promptIndex}|${run.voice}|${run.runIndex}`;

describe('planSuite', () => {
  it('counts prompts × voices × runs per scenario and takes the concurrency from the config', async () => {
    const suite = await loadSuite(undefined, { cwd: project(FILES) });
    const plan = planSuite(suite);
    expect(plan.totalRuns).toBe(2 * 2 * 3 + 1 * 2 * 2);
    expect(plan.maxConcurrency).toBe(6);
    expect(plan.voices).toEqual(['kal16', 'slt']);
    expect(plan.scenarios.map((s) => [s.scenario.name, s.runsPerCell, s.totalRuns, s.firstRun])).toEqual([
      ['book a table', 3, 12, 0],
      ['hours/today', 2, 4, 12],
    ]);
    expect([...plan.runs()]).toHaveLength(plan.totalRuns);
  });

  it('lets overrides replace the runs, the concurrency and the voices', async () => {
    const suite = await loadSuite(undefined, { cwd: project(FILES) });
    const plan = planSuite(suite, { runs: 5, maxConcurrency: 2, voices: ['awb'] });
    expect(plan.totalRuns).toBe(3 * 1 * 5);
    expect(plan.maxConcurrency).toBe(2);
    expect([...plan.runs()].every((run) => run.voice === 'awb' && run.voiceIndex === 0)).toBe(true);
    expect(() => planSuite(suite, { runs: 0 })).toThrow('runs must be a positive integer, got 0');
    expect(() => planSuite(suite, { maxConcurrency: 1.5 })).toThrow(
      /maxConcurrency must be a positive integer/,
    );
  });

  it('yields the runs in report order: scenario, prompt, voice, run index', async () => {
    const suite = await loadSuite(undefined, { cwd: project(FILES) });
    expect([...planSuite(suite).runs()].map(cell)).toEqual([
      'book a table|0|kal16|0',
      'book a table|0|kal16|1',
      'book a table|0|kal16|2',
      'book a table|0|slt|0',
      'book a table|0|slt|1',
      'book a table|0|slt|2',
      'book a table|1|kal16|0',
      'book a table|1|kal16|1',
      'book a table|1|kal16|2',
      'book a table|1|slt|0',
      'book a table|1|slt|1',
      'book a table|1|slt|2',
      'hours/today|0|kal16|0',
      'hours/today|0|kal16|1',
      'hours/today|0|slt|0',
      'hours/today|0|slt|1',
    ]);
  });

  it('gives every run a unique id that is the same in every plan of the same files', async () => {
    const first = [...planSuite(await loadSuite(undefined, { cwd: project(FILES) })).runs()];
    const again = [...planSuite(await loadSuite(undefined, { cwd: project(FILES) })).runs()];
    expect(again.map((run) => run.id)).toEqual(first.map((run) => run.id));
    expect(new Set(first.map((run) => run.id)).size).toBe(first.length);
    expect(first[0]?.id).toBe('book a table/p0/kal16/default/r0');
    expect(first.at(-1)?.id).toBe('hours%2Ftoday/p0/slt/default/r1');
    expect(first.every((run) => run.variant === 'default')).toBe(true);
  });

  it('escapes the separator, so names that contain it never collide', () => {
    const base = { promptIndex: 0, variant: 'default', runIndex: 0 };
    const a = runId({ ...base, scenario: 'a/p0', voice: 'x' });
    const b = runId({ ...base, scenario: 'a', voice: 'p0/x' });
    expect(a).not.toBe(b);
    expect(runId({ ...base, scenario: '50%/2F', voice: 'x' })).toBe('50%25%2F2F/p0/x/default/r0');
  });

  it('plans a trillion runs without making one: runs are made as they are pulled', async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({
        ...FILES,
        'russo.config.yaml': `${FILES['russo.config.yaml']}limits: { max_runs: 2000000000000 }\n`,
        'scenarios/a-book.yaml':
          'name: book a table\nprompts: [Book a table]\nruns: 500000000000\nexpect: []\n',
      }),
    });
    const plan = planSuite(suite);
    expect(plan.totalRuns).toBe(2 * 500_000_000_000 + 4);
    const runs = plan.runs();
    expect(runs.next().value?.id).toBe('book a table/p0/kal16/default/r0');
    expect(runs.next().value?.id).toBe('book a table/p0/kal16/default/r1');
  });
});

describe('planSuite: limits.max_runs', () => {
  function problems(plan: () => unknown): string[] {
    try {
      plan();
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      return (error as ScenarioError).problems.map(formatProblem);
    }
    throw new Error('expected the plan to be refused');
  }

  it('names the runs that make the suite too big: only the biggest, as many as the excess needs', async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({
        ...FILES,
        'russo.config.yaml': `${FILES['russo.config.yaml']}limits: { max_runs: 20 }\n`,
        'scenarios/c-more.yaml': 'name: more\nprompts: [a, b, c]\nexpect: []\nruns: 4\n',
      }),
    });
    // book a table: 2 × 2 × 3 = 12 runs, more: 3 × 2 × 4 = 24, hours: 1 × 2 × 2 = 4; 40 in all.
    expect(problems(() => planSuite(suite))).toEqual([
      'scenarios/c-more.yaml:4:7: the suite would make 40 runs: "more" makes 24 of them (3 prompts × 2 voices × 4); the limit is 20 (limits.max_runs)\n' +
        '    fix: lower this `runs`, or raise `limits: {max_runs: N}` in russo.config.yaml',
    ]);
    expect(problems(() => planSuite(suite, { runs: 3 }))).toEqual([
      'command line: --runs 3 makes 36 runs (6 prompts × 2 voices × 3); the limit is 20 (limits.max_runs)\n' +
        '    fix: give --runs 1 or fewer, or raise `limits: {max_runs: N}` in russo.config.yaml',
    ]);
  });

  it('points at the config defaults.runs, or at the scenario when its runs are the built-in default', async () => {
    const files = {
      'russo.config.yaml': 'limits:\n  max_runs: 5\n',
      'scenarios/a.yaml': 'name: a\nprompts: [one, two, three]\nexpect: []\n',
    };
    const suite = await loadSuite(undefined, { cwd: project(files) });
    expect(problems(() => planSuite(suite, { voices: ['kal16'] }))).toEqual([
      'scenarios/a.yaml:1:1: the suite would make 9 runs: "a" makes 9 of them (3 prompts × 1 voice × 3); the limit is 5 (limits.max_runs)\n' +
        '    fix: give this scenario a smaller `runs:`, or raise `limits: {max_runs: N}` in russo.config.yaml',
    ]);
    const withDefaults = await loadSuite(undefined, {
      cwd: project({ ...files, 'russo.config.yaml': 'limits:\n  max_runs: 5\ndefaults:\n  runs: 2\n' }),
    });
    expect(problems(() => planSuite(withDefaults, { voices: ['kal16'] }))).toEqual([
      'russo.config.yaml:4:9: the suite would make 6 runs: "a" makes 6 of them (3 prompts × 1 voice × 2); the limit is 5 (limits.max_runs)\n' +
        '    fix: lower this `runs`, or raise `limits: {max_runs: N}` in russo.config.yaml',
    ]);
  });
});
