import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  emitAnnotations,
  failureAnnotations,
  problemAnnotation,
  workspacePath,
  type Annotation,
} from '../../src/github/annotations.js';
import {
  baselineSuite,
  bookTableResult,
  cancelResult,
  failingSuite,
  invalidArgumentsSuite,
  passingSuite,
  suiteResult,
} from '../fixtures/suite-result.js';
import { conversationSuite, HOSTILE_REPLY } from '../fixtures/suite-result-conversations.js';

afterEach(() => vi.restoreAllMocks());

/** Captures what @actions/core writes to stdout (workflow commands and log lines). */
function captureStdout(): () => string {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  return () => chunks.join('');
}

describe('failureAnnotations', () => {
  it('gives one annotation per failing expectation, at the line of its expect item', () => {
    const annotations = failureAnnotations(failingSuite());
    const cancel = annotations.filter((a) => a.location.file === 'scenarios/cancel.yaml');
    // cancel_reservation failed 3 ways over 4 failed runs; book_table (forbidden) and send_email (extra) are calls
    // no expect item covers: they point at the prompt.
    expect(cancel.map((a) => [a.location.line, a.failedRuns])).toEqual([
      [6, 3],
      [3, 1],
      [3, 1],
    ]);
    const expectation = cancel[0]!;
    expect(expectation.level).toBe('error');
    const lines = expectation.message.split('\n');
    expect(lines[0]).toBe(
      'cancel_reservation: failed in 3 of 6 runs of the prompt at line 3: "Cancel my reservation for tonight"',
    );
    // The two ways it failed, most frequent first, each with its calls and diff.
    expect(lines.filter((line) => line.startsWith('- '))).toEqual([
      expect.stringMatching(/^- .*cancel_reservation.* \(2 runs\)$/),
      expect.stringMatching(/^- cancel_reservation: reservation_id .*got 1042 \(1 run\)$/),
    ]);
    expect(lines).toContain('    actual:   cancel_reservation({reservation_id: 1042})');
    expect(lines.at(-1)).toMatch(/^ {4}reservation_id expected .*, got 1042$/);
    expect(expectation.title).toBe('russo: cancel reservation: missing (pass rate 33.3%)');
  });

  it('annotates invalid arguments at the expectation they were paired with, with every schema error', () => {
    const [annotation, ...rest] = failureAnnotations(invalidArgumentsSuite());
    expect(rest).toEqual([]);
    expect(annotation?.location).toEqual({ file: 'scenarios/book-validated.yaml', line: 6, column: 5 });
    expect(annotation?.title).toBe('russo: book with a tools file: invalid arguments (pass rate 33.3%)');
    // Two runs failed this expectation; the one that failed it in two ways counts once.
    expect(annotation?.failedRuns).toBe(2);
    const lines = annotation!.message.split('\n');
    expect(lines[0]).toBe(
      'book_table: failed in 2 of 3 runs of the prompt at line 3: "Book a table for two at seven tonight"',
    );
    expect(lines).toContain(
      '- invalid arguments for book_table: party_size must be integer, got "two" (1 run)',
    );
    expect(lines).toContain('    party_size must be integer, got "two"');
    expect(lines).toContain('    notes is not a parameter of the tool (its schema allows no other keys)');
  });

  it('ranks errors before warnings, then by failed runs', () => {
    const annotations = failureAnnotations(failingSuite());
    const levels = annotations.map((a) => a.level);
    expect(levels.indexOf('warning')).toBeGreaterThan(levels.lastIndexOf('error'));
    const errors = annotations.filter((a) => a.level === 'error');
    expect(errors.map((a) => a.failedRuns)).toEqual(
      [...errors.map((a) => a.failedRuns)].sort((a, b) => b - a),
    );
    expect(errors[0]!.failedRuns).toBe(3);
  });

  it('makes a failure in a scenario that still reached its threshold a warning', () => {
    const annotations = failureAnnotations(passingSuite());
    const booking = annotations.find((a) => a.location.file === 'scenarios/book-table.yaml');
    expect(booking).toMatchObject({ level: 'warning', failedRuns: 1, location: { line: 6 } });
    expect(booking!.message).toContain('Can I get a reservation for 2 people at 7pm?');
    expect(booking!.message).toContain('party_size expected 2, got 3');
    expect(bookTableResult().passed).toBe(true);
  });

  it('makes a failure in a scenario that regressed against the baseline an error, even over its threshold', () => {
    // 8/8 → 7/8 is within noise: it fails the gate only under fail-on-regression any.
    const judged = (failOn: 'any' | 'significant') =>
      suiteResult(
        [bookTableResult()],
        {},
        { judging: { baseline: { result: baselineSuite(), source: 'b', failOn } } },
      );
    expect(failureAnnotations(judged('any'))[0]).toMatchObject({ level: 'error', location: { line: 6 } });
    expect(failureAnnotations(judged('significant'))[0]).toMatchObject({ level: 'warning' });
  });

  it('has nothing to say about a suite whose runs all passed', () => {
    const clean = cancelResult();
    clean.runs = clean.runs.filter((run) => run.status === 'passed');
    expect(failureAnnotations({ ...failingSuite(), scenarios: [clean] })).toEqual([]);
  });
});

describe('failureAnnotations of conversations', () => {
  const annotations = () => failureAnnotations(conversationSuite());
  const at = (file: string, title: string) =>
    annotations().find(
      (a) => a.location.file === `scenarios/conversations/${file}` && a.title.includes(title),
    )!;

  it('lands a turn’s failure at its line: the expected call, the reply check, else the turn’s say', () => {
    // Turn 2 of book-at-seven: `say` at line 9, its expected call at 11, its reply check at 13.
    expect(at('book-at-seven.yaml', 'wrong reply').location).toEqual({
      file: 'scenarios/conversations/book-at-seven.yaml',
      line: 13,
      column: 5,
    });
    expect(at('book-at-seven.yaml', 'missing').location.line).toBe(11);
    expect(at('change-party-size.yaml', 'wrong arguments').location.line).toBe(11);
    // An unexpected call in turn 3 (no call expected) is annotated where the turn says its line.
    expect(at('change-party-size.yaml', 'unexpected call').location).toEqual({
      file: 'scenarios/conversations/change-party-size.yaml',
      line: 15,
      column: 12,
    });
  });

  it('names the turn, groups the runs that failed it the same way, and counts runs per turn', () => {
    const reply = at('book-at-seven.yaml', 'wrong reply');
    expect(reply.title).toBe('russo: book at seven: turn 2: wrong reply (pass rate 25%)');
    expect(reply.failedRuns).toBe(3);
    expect(reply.message.split('\n')).toEqual([
      'the reply: failed in 3 of 4 runs of turn 2 at line 9: "At seven tonight"',
      `- turn 2: the reply does not contain "R-17": ${JSON.stringify(HOSTILE_REPLY)} (2 runs)`,
      '- turn 2: the agent replied with audio only (1 run)',
    ]);
    expect(at('book-at-seven.yaml', 'missing').message.split('\n')[0]).toBe(
      'book_table: failed in 2 of 4 runs of turn 2 at line 9: "At seven tonight"',
    );
    expect(at('change-party-size.yaml', 'unexpected call').message.split('\n')[0]).toBe(
      'end_call: failed in 1 of 2 runs of turn 3 at line 15: "Thank you"',
    );
    // The errored run is not a failure to annotate: it is in the errors.
    expect(annotations()).toHaveLength(4);
  });

  it('keeps the same kind of failure in two turns apart, each at its own turn', () => {
    const suite = conversationSuite();
    const [failed] = suite.scenarios[1]!.runs;
    // Turn 1's reply check fails too in this run: one annotation per turn, not one for both.
    failed!.evalResult!.failures.unshift({
      kind: 'reply',
      diffs: [],
      turn: 0,
      message: 'turn 1: the reply does not contain any of "what time", "when": "Hello!"',
      replyText: 'Hello!',
    });
    const replies = failureAnnotations(suite).filter((a) => a.title.includes('wrong reply'));
    expect(replies.map((a) => [a.title, a.location.line, a.failedRuns])).toEqual([
      ['russo: book at seven: turn 2: wrong reply (pass rate 25%)', 13, 3],
      ['russo: book at seven: turn 1: wrong reply (pass rate 25%)', 7, 1],
    ]);
  });

  it('goes through the same per-step budget, at the turn’s line in the workspace', () => {
    const output = captureStdout();
    const counts = emitAnnotations(annotations(), { cwd: '/ws/agent', workspace: '/ws', reservedErrors: 1 });
    expect(counts).toEqual({ errors: { shown: 4, hidden: 0 }, warnings: { shown: 0, hidden: 0 } });
    expect(output()).toContain(
      '::error title=russo%3A book at seven%3A turn 2%3A wrong reply (pass rate 25%25),file=agent/scenarios/conversations/book-at-seven.yaml,line=13,col=5::',
    );
  });
});

describe('emitAnnotations', () => {
  const at = (line: number, level: Annotation['level'] = 'error'): Annotation => ({
    level,
    title: `failure at ${line}`,
    message: `line one\nline two, 100% sure`,
    location: { file: 'scenarios/a.yaml', line, column: 5 },
    failedRuns: 1,
    passRate: 0,
  });

  it('writes the first 9 errors as annotations (setFailed takes the 10th) and the rest to the log', () => {
    const output = captureStdout();
    const annotations = Array.from({ length: 14 }, (_, index) => at(index + 1));
    const counts = emitAnnotations(annotations, { cwd: '/ws/agent', workspace: '/ws', reservedErrors: 1 });
    expect(counts).toEqual({ errors: { shown: 9, hidden: 5 }, warnings: { shown: 0, hidden: 0 } });
    const commands = output()
      .split('\n')
      .filter((line) => line.startsWith('::error '));
    expect(commands).toHaveLength(9);
    expect(commands[0]).toBe(
      '::error title=failure at 1,file=agent/scenarios/a.yaml,line=1,col=5::line one%0Aline two, 100%25 sure',
    );
    expect(output()).toContain('::group::5 more not shown as annotations');
    expect(output()).toContain('error agent/scenarios/a.yaml:14: failure at 14');
  });

  it('counts warnings apart from errors', () => {
    captureStdout();
    const annotations = [...Array.from({ length: 12 }, (_, i) => at(i + 1, 'warning')), at(20)];
    const counts = emitAnnotations(annotations, { cwd: '/ws', workspace: '/ws', reservedErrors: 0 });
    expect(counts).toEqual({ errors: { shown: 1, hidden: 0 }, warnings: { shown: 10, hidden: 2 } });
  });

  it('annotates a problem without a line with no file, so GitHub does not point at a wrong place', () => {
    const output = captureStdout();
    const problem = {
      file: 'command line',
      line: 0,
      column: 0,
      message: 'no scenario file matches "x/*.yaml"',
      hint: 'check the path',
    };
    emitAnnotations([problemAnnotation(problem)], { cwd: '/ws', workspace: '/ws', reservedErrors: 1 });
    expect(output()).toContain(
      '::error title=russo%3A invalid scenario or config::no scenario file matches "x/*.yaml"%0Afix: check the path',
    );
  });
});

describe('workspacePath', () => {
  it('makes scenario paths relative to the workspace, as annotations need', () => {
    expect(workspacePath('scenarios/a.yaml', { cwd: '/ws/services/agent', workspace: '/ws' })).toBe(
      'services/agent/scenarios/a.yaml',
    );
    expect(workspacePath('../shared/a.yaml', { cwd: '/ws/agent', workspace: '/ws' })).toBe('shared/a.yaml');
    expect(workspacePath('a.yaml', { cwd: '/elsewhere', workspace: '/ws' })).toBe('/elsewhere/a.yaml');
  });
});
