import { describe, expect, it } from 'vitest';
import { FunctionAgent } from '../../src/agents/function.js';
import type { Audio, ToolCall } from '../../src/core/types.js';
import { ReportError } from '../../src/report/errors.js';
import {
  fromJsonReport,
  parseReport,
  renderJson,
  toJsonReport,
  type JsonReport,
} from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { mergeReports } from '../../src/report/merge.js';
import { loadSuite } from '../../src/suite/load.js';
import { runSuite } from '../../src/suite/run.js';
import type { Shard } from '../../src/suite/shard.js';
import { CachedSynthesizer } from '../../src/synthesize/cached.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import { project } from '../fixtures/project.js';

// Three scenarios of uneven size; "hours" fails on its long prompt, so the merged gate has work to do.
const FILES = {
  'scenarios/book.yaml': `name: book
prompts: [Book a table for two at seven tonight, A table for two at seven please]
runs: 3
expect:
  - name: book_table
`,
  'scenarios/hours.yaml': `name: hours
prompts: [When are you open, Tell me when the restaurant opens on a Sunday morning]
runs: 2
min_pass_rate: 0.8
expect:
  - name: get_opening_hours
`,
  'scenarios/menu.yaml': `name: menu
prompts: [Menu]
runs: 1
expect:
  - name: get_opening_hours
`,
};

// Real speech from Flite; the agent knows only the audio, and answers by its length.
const voices = ['kal16', 'slt'].map((voice) => ({
  voice,
  synthesizer: new CachedSynthesizer(new FliteSynthesizer({ voice }), { dir: false }),
}));
const agent = new FunctionAgent((audio: Audio): ToolCall[] => [
  audio.pcm.length / audio.sampleRate > 1.8
    ? { name: 'book_table', arguments: {} }
    : { name: 'get_opening_hours', arguments: {} },
]);
const cwd = project(FILES);

async function report(shard?: Shard): Promise<JsonReport> {
  const suite = await loadSuite(undefined, { cwd });
  const result = await runSuite(suite, { agent, voices, ...(shard ? { shard } : {}) });
  return parseReport(renderJson(result));
}

const shards = (count: number) =>
  Promise.all(Array.from({ length: count }, (_, i) => report({ index: i + 1, count })));

/** What must not change between a whole run and its merged shards: everything but times. */
function verdict(report: JsonReport) {
  return {
    summary: { ...report.summary, latency: null },
    gate: report.gate,
    errors: report.errors,
    scenarios: report.scenarios.map((scenario) => ({
      name: scenario.name,
      passRate: scenario.passRate,
      passed: scenario.passed,
      counts: scenario.counts,
      interval: scenario.interval,
      runs: scenario.runs.map((run) => [run.id, run.status]),
    })),
  };
}

describe('merging --shard reports', () => {
  it('gives the verdict of the whole run, whatever order the reports come in', async () => {
    const whole = await report();
    expect(whole.gate.passed).toBe(false);
    const three = await shards(3);
    expect(three.map((shard) => shard.shard?.index)).toEqual([1, 2, 3]);
    expect(three.every((shard) => shard.shard?.plan.totalRuns === whole.summary.total)).toBe(true);
    const merged = mergeReports([three[2]!, three[0]!, three[1]!]);
    expect(verdict(merged)).toEqual(verdict(whole));
    expect(merged.shard).toBeNull();
    expect(merged.missingRuns).toBeNull();
  });

  it('passes a shard that holds no run (more shards than runs)', async () => {
    const whole = await report();
    const many = await shards(whole.summary.total + 2);
    const empty = many.filter((shard) => shard.summary.total === 0);
    expect(empty.length).toBeGreaterThanOrEqual(2);
    expect(empty.every((shard) => shard.gate.passed && shard.scenarios.length === 0)).toBe(true);
    expect(verdict(mergeReports(many))).toEqual(verdict(whole));
  });

  it('fails with the ids of the runs of a shard that sent no report', async () => {
    const [first, second, third] = await shards(3);
    const merged = mergeReports([first!, third!]);
    const lost = second!.scenarios.flatMap((scenario) => scenario.runs.map((run) => run.id));
    expect(merged.missingRuns).toMatchObject({ count: lost.length, shards: [2], shardCount: 3 });
    expect(merged.missingRuns?.ids).toEqual(lost.slice(0, 10));
    const failure = merged.gate.failures.find((f) => f.kind === 'missing_runs');
    expect(failure?.message).toContain(
      `${lost.length} of ${first!.shard!.plan.totalRuns} planned runs are in no report (no report of shard 2/3): ${lost[0]}`,
    );
    expect(merged.gate.passed).toBe(false);
    expect(parseReport(JSON.stringify(merged)).missingRuns?.count).toBe(lost.length);
    // JUnit, as `russo merge --junit` writes it: the gate's testcase says which runs are missing.
    const junit = renderJunit(fromJsonReport(merged));
    expect(junit).toContain(
      `<testcase name="missing_runs" classname="russo gate" time="0.000">\n      <failure message="${failure!.message}" type="missing_runs">`,
    );
  });

  it('fails with the ids of the runs a shard did not finish (its runner died mid-way)', async () => {
    const [first, second] = await shards(2);
    // The runner of shard 2 stopped after its first scenario: its report lacks the rest.
    const cut: JsonReport = { ...second!, scenarios: second!.scenarios.slice(0, 1) };
    const lost = second!.scenarios.slice(1).flatMap((scenario) => scenario.runs.map((run) => run.id));
    expect(lost.length).toBeGreaterThan(0);
    const merged = mergeReports([first!, cut]);
    expect(merged.missingRuns).toMatchObject({ count: lost.length, shards: [] });
    expect(merged.gate.failures.map((f) => f.kind)).toContain('missing_runs');
  });

  it('refuses a shard given twice, shards of two splits, and a mix with an unsharded report', async () => {
    const [first, second] = await shards(2);
    const [ofThree] = await shards(3);
    const whole = await report();
    const refuses = (reports: JsonReport[], message: string) => {
      expect(() => mergeReports(reports)).toThrow(ReportError);
      expect(() => mergeReports(reports)).toThrow(message);
    };
    refuses([first!, second!, first!], 'shard 1/2 is given twice: reports 1 and 3');
    refuses(
      [first!, ofThree!],
      'report 2 is shard 1/3, but report 1 is shard 1/2: the suite was split two ways',
    );
    refuses([whole, second!], 'report 1 is not a shard (its run had no --shard), but report 2 is shard 2/2');
  });

  it('refuses shards of different plans', async () => {
    const [first] = await shards(2);
    const suite = await loadSuite(undefined, { cwd });
    const other = toJsonReport(
      await runSuite(suite, { agent, voices, shard: { index: 2, count: 2 }, overrides: { runs: 1 } }),
    );
    expect(() => mergeReports([first!, other])).toThrow(
      'report 2 (shard 2/2) is of another plan than report 1: scenario "book" has runsPerCell 3 against 1',
    );
    const renamed: JsonReport = {
      ...other,
      shard: { ...first!.shard!, index: 2, plan: { ...first!.shard!.plan, voices: ['kal16'] } },
    };
    expect(() => mergeReports([first!, renamed])).toThrow('voices kal16, slt against kal16');
  });
});
