import { describe, expect, it } from 'vitest';
import { ReportError } from '../../src/report/errors.js';
import {
  fromJsonReport,
  jsonReportChunks,
  parseReport,
  renderJson,
  toJsonReport,
  type JsonReport,
} from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { mergeReports } from '../../src/report/merge.js';
import type { SuiteResult } from '../../src/suite/types.js';
import {
  allErroredResult,
  bookTableResult,
  cancelResult,
  comparedSuite,
  emptySuite,
  failingSuite,
  goodbyeResult,
  hostileResult,
  HOSTILE,
  invalidArgumentsSuite,
  passingSuite,
  scenarioResult,
  stoppedSuite,
  suiteResult,
} from '../fixtures/suite-result.js';
import { largeSuite } from '../fixtures/large-suite-result.js';

const fixtures: Record<string, () => SuiteResult> = {
  failingSuite,
  passingSuite,
  stoppedSuite,
  emptySuite,
  invalidArgumentsSuite,
  comparedSuite,
};

describe('renderJson', () => {
  it('writes reports that the published schema accepts', () => {
    for (const [name, make] of Object.entries(fixtures)) {
      const text = renderJson(make());
      expect(text.endsWith('}\n'), name).toBe(true);
      expect(parseReport(text, name)).toEqual(JSON.parse(text));
    }
  });

  it('holds the fields DESIGN.md names, with their values', () => {
    const report = JSON.parse(renderJson(failingSuite())) as JsonReport;
    expect(report.version).toBe(1);
    expect(report.summary).toMatchObject({ total: 22, passed: 11, failed: 7, errored: 4, gate: 'failed' });
    expect(report.summary.passRate).toBeCloseTo(11 / 18, 10);
    expect(
      report.scenarios.map((scenario) => [scenario.name, scenario.file, scenario.line, scenario.passed]),
    ).toEqual([
      ['book a table', 'scenarios/book-table.yaml', 1, true],
      ['cancel reservation', 'scenarios/cancel.yaml', 1, false],
      ['say goodbye', 'scenarios/goodbye.yaml', 1, true],
      ['flaky lookup', 'scenarios/flaky.yaml', 1, false],
      [HOSTILE.scenarioName, HOSTILE.file, 1, false],
    ]);
    const book = report.scenarios[0]!;
    expect(book.passRate).toBe(0.875);
    expect(book.minPassRate).toBe(0.8);
    expect(book.counts).toEqual({ total: 8, passed: 7, failed: 1, errored: 0 });
    const wrong = book.runs.find((run) => run.status === 'failed')!;
    expect(wrong).toMatchObject({
      id: 'book a table/p1/slt/default/r1',
      prompt: 'Can I get a reservation for 2 people at 7pm?',
      promptIndex: 1,
      runIndex: 1,
      voice: 'slt',
      toolCalls: [{ name: 'book_table', arguments: { party_size: 3, time: '19:00' } }],
      transcript: 'can i get a reservation for three people at seven pm',
      error: null,
      latencyMs: 1100,
    });
    expect(wrong.evalResult?.failures[0]).toMatchObject({
      kind: 'wrong_arguments',
      diffs: [{ path: 'party_size' }],
    });
    const flaky = report.scenarios[3]!;
    expect(flaky.passRate).toBeNull();
    expect(flaky.interval).toBeNull();
    expect(flaky.runs[1]).toMatchObject({
      status: 'error',
      error: 'agent: HTTP 503 Service Unavailable',
      toolCalls: [],
    });
    expect(flaky.runs[1]!.evalResult).toBeNull();
    expect(report.errors[0]).toEqual({ message: 'agent: timed out after 60 s', count: 2 });
    expect(report.gate).toMatchObject({ passed: false, minPassRate: null, maxErrors: 0 });
    expect(report.gate.failures.map((failure) => failure.kind)).toEqual([
      'scenario_pass_rate',
      'scenario_pass_rate',
      'errors',
    ]);
  });

  it('keeps an invalid_arguments failure as data: its kind, the call and every schema error', () => {
    const report = JSON.parse(renderJson(invalidArgumentsSuite())) as JsonReport;
    const [scenario] = report.scenarios;
    expect(scenario?.match.validateArguments).toBe(true);
    expect(scenario?.runs[1]?.evalResult?.failures.map((failure) => failure.kind)).toEqual([
      'invalid_arguments',
      'wrong_arguments',
    ]);
    expect(scenario?.runs[2]?.evalResult?.failures).toEqual([
      {
        kind: 'invalid_arguments',
        index: 0,
        expected: { name: 'book_table', arguments: { party_size: 2, time: { regex: '^19:00' } } },
        actual: { name: 'book_table', arguments: { party_size: 2, time: '19:00', notes: 'by the window' } },
        diffs: [],
        schemaErrors: [
          { path: 'notes', message: 'is not a parameter of the tool (its schema allows no other keys)' },
        ],
        message:
          'invalid arguments for book_table: notes is not a parameter of the tool (its schema allows no other keys)',
      },
    ]);
  });

  it('round-trips through fromJsonReport: a report renders the same as the result it came from', () => {
    for (const make of Object.values(fixtures)) {
      const result = make();
      const back = fromJsonReport(parseReport(renderJson(result)));
      expect(renderJson(back)).toBe(renderJson(result));
      expect(renderMarkdown(back)).toBe(renderMarkdown(result));
    }
  });
});

describe('jsonReportChunks', () => {
  it('streams the bytes of one JSON.stringify of the report, in chunks of runs', () => {
    const noRuns = suiteResult([scenarioResult(bookTableResult().scenario, [])]);
    for (const result of [...Object.values(fixtures).map((make) => make()), noRuns, largeSuite(600)]) {
      expect([...jsonReportChunks(result)].join('')).toBe(
        `${JSON.stringify(toJsonReport(result), null, 2)}\n`,
      );
    }
    // 2 scenarios × 600 runs: the runs come a few hundred at a time, never as one string.
    const chunks = [...jsonReportChunks(largeSuite(600))];
    expect(chunks.length).toBeGreaterThan(6);
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeLessThan(
      renderJson(largeSuite(600)).length / 4,
    );
  });
});

describe('consistency and the baseline in the JSON report', () => {
  it("holds pass^k, the flaky cells and the runs hint of each scenario, and the suite's flaky share", () => {
    const report = JSON.parse(renderJson(failingSuite())) as JsonReport;
    expect(report.consistency).toEqual({ alpha: 0.05, k: null, cells: 8, flakyCells: 5, flakyRate: 5 / 8 });
    expect(report.scenarios[0]!.consistency).toEqual({
      k: 2,
      passHatK: 0.75,
      cells: 4,
      flaky: [
        {
          promptIndex: 1,
          prompt: 'Can I get a reservation for 2 people at 7pm?',
          voice: 'slt',
          passed: 1,
          failed: 1,
          errored: 0,
        },
      ],
      runsNeeded: { total: 226, perPromptAndVoice: 57 },
    });
    expect(report.scenarios[3]!.consistency).toEqual({
      k: 3,
      passHatK: null,
      cells: 0,
      flaky: [],
      runsNeeded: null,
    });
    expect(report.baseline).toBeNull();
    expect(report.gate.maxFlakyRate).toBeNull();
  });

  it('holds the comparison with the baseline and the regression it failed on', () => {
    const report = parseReport(renderJson(comparedSuite()));
    expect(report.baseline).toMatchObject({
      status: 'compared',
      source: 'baseline.json',
      failOn: 'significant',
    });
    const compared = report.baseline?.status === 'compared' ? report.baseline.comparison : undefined;
    expect(compared?.scenarios.map((row) => [row.name, row.status, row.change?.significant ?? null])).toEqual(
      [
        ['cancel reservation', 'compared', true],
        ['book a table', 'compared', false],
        ['say goodbye', 'compared', false],
        ['flaky lookup', 'no_completed_runs', null],
        [HOSTILE.scenarioName, 'new', null],
        ['retired scenario', 'removed', null],
      ],
    );
    expect(report.gate.failures.filter((failure) => failure.kind === 'regression')).toEqual([
      expect.objectContaining({ scenario: 'cancel reservation' }),
    ]);
    expect(fromJsonReport(report).baseline).toEqual(comparedSuite().baseline);
  });

  it('measures a report written before these fields existed as a new one', () => {
    const report = JSON.parse(renderJson(failingSuite())) as JsonReport;
    delete report.consistency;
    delete report.baseline;
    delete report.gate.maxFlakyRate;
    for (const scenario of report.scenarios) delete scenario.consistency;
    const back = fromJsonReport(parseReport(JSON.stringify(report)));
    expect(back.consistency).toEqual(failingSuite().consistency);
    expect(back.gate.maxFlakyRate).toBeNull();
    expect(back.baseline).toBeUndefined();
  });

  it('merges with the k and alpha the shards were measured with, and leaves the baseline out', () => {
    const shard = (scenarios: SuiteResult['scenarios']) =>
      parseReport(
        renderJson(suiteResult(scenarios, { maxFlakyRate: 0.5 }, { judging: { alpha: 0.1, passK: 1 } })),
      );
    const merged = mergeReports([shard([bookTableResult()]), shard([cancelResult()])]);
    expect(merged.consistency).toMatchObject({ alpha: 0.1, k: 1 });
    expect(merged.scenarios.map((scenario) => scenario.consistency?.k)).toEqual([1, 1]);
    expect(merged.gate.maxFlakyRate).toBe(0.5);
    expect(merged.baseline).toBeNull();
    const compared = parseReport(renderJson(comparedSuite()));
    expect(mergeReports([compared]).baseline).toBeNull();
    expect(() =>
      mergeReports([shard([bookTableResult()]), parseReport(renderJson(suiteResult([cancelResult()])))]),
    ).toThrow(/different gate thresholds \(min_pass_rate, max_errors or max_flaky_rate\)/);
  });
});

describe('run ids', () => {
  it('derives the id of each run when reading a report written before ids existed', () => {
    const report = JSON.parse(renderJson(failingSuite())) as JsonReport;
    const ids = report.scenarios.flatMap((scenario) => scenario.runs.map((run) => run.id));
    for (const scenario of report.scenarios) {
      for (const run of scenario.runs) delete (run as Partial<typeof run>).id;
    }
    const back = fromJsonReport(parseReport(JSON.stringify(report)));
    expect(back.scenarios.flatMap((scenario) => scenario.runs.map((run) => run.id))).toEqual(ids);
  });
});

describe('parseReport', () => {
  const valid = () => JSON.parse(renderJson(failingSuite())) as Record<string, unknown>;

  it('rejects text that is not JSON, naming the source', () => {
    expect(() => parseReport('{"version": 1,', 'shard-2.json')).toThrow(/shard-2\.json is not JSON/);
  });

  it('rejects a newer version with what to do', () => {
    const error = catchError(() => parseReport(JSON.stringify({ ...valid(), version: 2 }), 'new.json'));
    expect(error).toBeInstanceOf(ReportError);
    expect(error.message).toContain('new.json is a version 2 report; this russo reads version 1');
    expect((error as ReportError).hint).toMatch(/russo version/);
  });

  it('names the path of what is wrong', () => {
    const report = valid();
    delete (report.summary as Record<string, unknown>).passed;
    (report.scenarios as Array<Record<string, unknown>>)[1]!.runs = [{ prompt: 'x' }];
    const error = catchError(() => parseReport(JSON.stringify(report), 'edited.json'));
    expect(error.message).toMatch(/^edited\.json is not a russo JSON report \(version 1\): /);
    expect(error.message).toContain("/summary must have required property 'passed'");
    expect(error.message).toContain("/scenarios/1/runs/0 must have required property 'runIndex'");
  });

  it('accepts fields it does not know: adding one is not a new version', () => {
    expect(parseReport(JSON.stringify({ ...valid(), trend: { passRate: 0.5 } })).version).toBe(1);
  });
});

describe('mergeReports', () => {
  const report = (result: SuiteResult) => parseReport(renderJson(result));

  it('merges shards that split the scenarios into the report of the whole run', () => {
    const whole = toJsonReport(failingSuite());
    const shardA = suiteResult(
      [bookTableResult(), cancelResult(), goodbyeResult()],
      {},
      { durationMs: 8000 },
    );
    const shardB = suiteResult(
      [allErroredResult(), hostileResult()],
      {},
      {
        startedAt: '2026-11-25T20:00:02.000Z',
        durationMs: 9000,
      },
    );
    // Shard A alone passes its errors rule; merged, the 4 errors of shard B fail the gate.
    expect(shardA.gate.failures.map((failure) => failure.kind)).toEqual(['scenario_pass_rate']);
    const merged = mergeReports([report(shardA), report(shardB)]);
    expect(merged.summary).toEqual(whole.summary);
    expect(merged.gate).toEqual(whole.gate);
    expect(merged.errors).toEqual(whole.errors);
    expect(merged.scenarios).toEqual(whole.scenarios);
    expect(merged.startedAt).toBe('2026-11-25T20:00:00.000Z');
    expect(merged.durationMs).toBe(11_000);
    expect(parseReport(JSON.stringify(merged)).version).toBe(1);
  });

  it('merges shards that split the runs of one scenario, recomputing its rate and interval', () => {
    const book = bookTableResult();
    const half = (keep: (index: number) => boolean) =>
      suiteResult([
        scenarioResult(
          book.scenario,
          book.runs.filter((_, index) => keep(index)),
        ),
      ]);
    const first = half((index) => index < 5);
    const second = half((index) => index >= 5);
    // The failed run is in the second half: 2/3 = 66.7% fails 80% there, the whole 7/8 passes.
    expect(second.scenarios[0]!.passed).toBe(false);
    const merged = mergeReports([report(second), report(first)]);
    const scenario = merged.scenarios[0]!;
    expect(scenario.passRate).toBe(0.875);
    expect(scenario.passed).toBe(true);
    expect(scenario.counts).toEqual({ total: 8, passed: 7, failed: 1, errored: 0 });
    expect(scenario.interval).toEqual(book.interval);
    expect(scenario.runs.map((run) => [run.promptIndex, run.voice, run.runIndex])).toEqual(
      book.runs.map((run) => [run.promptIndex, run.voice, run.runIndex]),
    );
    expect(merged.gate).toEqual({
      passed: true,
      failures: [],
      minPassRate: null,
      maxErrors: 0,
      maxFlakyRate: null,
    });
  });

  it('judges the merged run with the stored suite threshold', () => {
    const shard = (result: ReturnType<typeof bookTableResult>) => suiteResult([result], { minPassRate: 0.7 });
    const merged = mergeReports([report(shard(bookTableResult())), report(shard(cancelResult()))]);
    // 9/14 = 64.3% is under the suite's 70% though shard one alone (87.5%) is not.
    expect(merged.summary.passRate).toBeCloseTo(9 / 14, 10);
    expect(merged.gate.failures.map((failure) => failure.kind)).toEqual([
      'scenario_pass_rate',
      'suite_pass_rate',
    ]);
    expect(merged.gate.minPassRate).toBe(0.7);
  });

  it('keeps a stop: a shard stopped by a fatal error fails the merged gate', () => {
    const merged = mergeReports([report(suiteResult([goodbyeResult()])), report(stoppedSuite())]);
    expect(merged.cancelled).toBe(true);
    expect(merged.stoppedBy).toBe('agent: 401 Incorrect API key provided');
    expect(merged.gate.failures[0]).toMatchObject({ kind: 'stopped' });
    expect(merged.agent).toBe('command:node examples/sample-agent/agent.js, openai-realtime:gpt-realtime');
  });

  it('refuses reports that are not shards of one run', () => {
    const failing = report(failingSuite());
    expect(() => mergeReports([])).toThrow(ReportError);
    expect(() => mergeReports([failing, failing])).toThrow(/is in two reports/);
    const strict = report(suiteResult([bookTableResult()], { maxErrors: 3 }));
    expect(() => mergeReports([failing, strict])).toThrow(/different gate thresholds/);
    const other = report(
      suiteResult([{ ...goodbyeResult(), scenario: { ...goodbyeResult().scenario, minPassRate: 0.9 } }]),
    );
    expect(() => mergeReports([report(suiteResult([goodbyeResult()])), other])).toThrow(
      /say goodbye.*min_pass_rate 0.5.*0.9/,
    );
  });
});

function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
