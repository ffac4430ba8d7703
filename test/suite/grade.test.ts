import { describe, expect, it } from 'vitest';
import type { ToolCall } from '../../src/core/types.js';
import { gradeReport } from '../../src/suite/grade.js';
import { loadSuite } from '../../src/suite/load.js';
import type { SuiteRun } from '../../src/suite/types.js';
import { project } from '../fixtures/project.js';
import { scenarioResult, suiteResult } from '../fixtures/suite-result.js';

const FILES = {
  'russo.config.yaml': 'defaults:\n  runs: 2\n',
  'scenarios/book.yaml':
    'name: book\nprompts: [Book a table for two]\nexpect:\n  - name: book_table\n    arguments: { party_size: 2 }\n',
  'tools.json': '[]',
};

const two: ToolCall = { name: 'book_table', arguments: { party_size: 2 } };
const three: ToolCall = { name: 'book_table', arguments: { party_size: 3 } };

/** A recorded run of `book` as a report holds it: the agent's answer, graded by whatever held then. */
function recorded(runIndex: number, calls: ToolCall[] | 'error', extra: Partial<SuiteRun> = {}): SuiteRun {
  return {
    id: `book/p0/kal16/default/r${runIndex}`,
    prompt: 'Book a table for two',
    promptIndex: 0,
    runIndex,
    voice: 'kal16',
    latencyMs: 900 + runIndex,
    ...(calls === 'error'
      ? { status: 'error', error: 'agent: timed out after 60 s' }
      : { status: 'failed', response: { toolCalls: calls, transcript: 'book a table for two' } }),
    ...extra,
  };
}

async function load() {
  const suite = await loadSuite(undefined, { cwd: project(FILES) });
  return { suite, book: suite.scenarios[0]! };
}

describe('gradeReport', () => {
  it('grades each recorded answer with the current expectation and keeps everything else of the run', async () => {
    const { suite, book } = await load();
    const runs = [recorded(0, [two]), recorded(1, [three]), recorded(2, 'error')];
    const result = gradeReport(suite, suiteResult([scenarioResult(book, runs)]), { source: 'old.json' });
    const [graded] = result.scenarios;
    expect(graded!.runs.map((run) => run.status)).toEqual(['passed', 'failed', 'error']);
    expect(graded!.runs[1]!.evalResult!.failures[0]!.message).toBe(
      'book_table: party_size expected 2, got 3',
    );
    expect(graded!.runs[0]).toMatchObject({
      id: 'book/p0/kal16/default/r0',
      latencyMs: 900,
      response: { toolCalls: [two] },
    });
    // The errored run recorded no answer: it stays an error, and the gate counts it.
    expect(graded!.runs[2]).toEqual(runs[2]);
    expect(result.gate.failures.map((failure) => failure.kind)).toEqual(['scenario_pass_rate', 'errors']);
    expect(result.replay).toEqual({ source: 'old.json', regraded: 2, notReplayable: [] });
  });

  it('does not grade a conversation run, nor a run of a scenario that is now a conversation', async () => {
    const { suite, book } = await load();
    const turn = { index: 0, say: 'Book a table for two', status: 'passed' as const, latencyMs: 10 };
    const runs = [recorded(0, [two], { turns: [turn] }), recorded(1, [two])];
    const result = gradeReport(suite, suiteResult([scenarioResult(book, runs)]), { source: 'old.json' });
    expect(result.replay!.notReplayable).toEqual([
      { id: 'book/p0/kal16/default/r0', scenario: 'book', reason: 'conversation runs are not re-graded yet' },
    ]);
    expect(result.scenarios[0]!.runs.map((run) => run.id)).toEqual(['book/p0/kal16/default/r1']);

    const location = book.location;
    const now = {
      ...suite,
      scenarios: [{ ...book, turns: [{ say: 'Book a table for two', location, forbid: [] }] }],
    };
    const again = gradeReport(now, suiteResult([scenarioResult(book, [recorded(1, [two])])]), {
      source: 'old.json',
    });
    expect(again.replay!.notReplayable.map((run) => run.reason)).toEqual([
      'conversation runs are not re-graded yet',
    ]);
    expect(again.scenarios).toEqual([]);
  });

  it('judges with the current thresholds and the options it is given', async () => {
    const { suite, book } = await load();
    const runs = [recorded(0, [two], { status: 'passed' }), recorded(1, [three])];
    const old = suiteResult([scenarioResult({ ...book, minPassRate: 0.5 }, runs)]);
    expect(old.gate.passed).toBe(true);
    // The file now asks for 80% (the default): 1 of 2 fails it.
    const result = gradeReport(suite, old, { source: 'old.json', minPassRate: 0.4, judging: { passK: 1 } });
    expect(result.gate.failures.map((failure) => failure.kind)).toEqual(['scenario_pass_rate']);
    expect(result.gate.minPassRate).toBe(0.4);
    expect(result.consistency.scenarios[0]).toMatchObject({ k: 1, passHatK: 0.5 });
  });
});
