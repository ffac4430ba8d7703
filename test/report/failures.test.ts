import { describe, expect, it } from 'vitest';
import type { AgentResponse } from '../../src/core/types.js';
import {
  callsWithOutcomes,
  expectationText,
  failureLines,
  replyCheckText,
  runProblemLines,
  transcriptLines,
  turnExpectationText,
} from '../../src/report/failures.js';
import type { SuiteRun } from '../../src/suite/types.js';
import {
  failsAtTurnTwoResult,
  HOSTILE_REPLY,
  SESSION_DROPPED,
  sessionDroppedResult,
  threeTurnBookingResult,
} from '../fixtures/suite-result-conversations.js';
import { bookTableResult } from '../fixtures/suite-result.js';

const run = (runs: SuiteRun[], voice: string, runIndex: number) =>
  runs.find((candidate) => candidate.voice === voice && candidate.runIndex === runIndex)!;

describe('conversation runs as text', () => {
  it('give every turn its verdict, with the reasons under the turn that failed', () => {
    const { runs } = failsAtTurnTwoResult();
    expect(runProblemLines(run(runs, 'kal16', 0))).toEqual([
      '✓ turn 1 "I\'d like a table for two"',
      '✗ turn 2 "At seven tonight"',
      '  missing call book_table({party_size: 2, time: matches /^19:00/})',
      `  the reply does not contain "R-17": ${JSON.stringify(HOSTILE_REPLY)}`,
      '✓ turn 3 "Thanks, that is all"',
    ]);
    expect(runProblemLines(run(runs, 'slt', 1))).toContain('  the agent replied with audio only');
    expect(runProblemLines(run(runs, 'slt', 0))).toEqual([]);
  });

  it('say which turn errored and which turns were skipped after it', () => {
    const errored = run(sessionDroppedResult().runs, 'kal16', 0);
    expect(errored.error).toBe(`turn 2: ${SESSION_DROPPED}`);
    expect(runProblemLines(errored)).toEqual([
      '✓ turn 1 "Book a table for two at seven tonight"',
      '✗ turn 2 "Actually, make it three"',
      `  error: ${SESSION_DROPPED}`,
      '– turn 3 "Thank you" (skipped)',
    ]);
    // An error no turn holds (the session never opened) is still said, above the turns.
    const neverStarted: SuiteRun = {
      ...errored,
      error: 'agent: could not open a session',
      turns: errored.turns!.map((turn) => ({
        index: turn.index,
        say: turn.say,
        status: 'skipped',
        latencyMs: 0,
      })),
    };
    expect(runProblemLines(neverStarted)[0]).toBe('error: agent: could not open a session');
    expect(transcriptLines(neverStarted)[0]).toBe('✗ error: agent: could not open a session');
  });

  it('read the same whether or not a turn’s own failures repeat the `turn N: ` of the merged list', () => {
    const failed = run(failsAtTurnTwoResult().runs, 'kal16', 0);
    const prefixed: SuiteRun = {
      ...failed,
      turns: failed.turns!.map((turn) => ({
        ...turn,
        ...(turn.evalResult && {
          evalResult: {
            ...turn.evalResult,
            failures: turn.evalResult.failures.map((failure) => ({
              ...failure,
              message: `turn ${turn.index + 1}: ${failure.message}`,
            })),
          },
        }),
      })),
    };
    expect(runProblemLines(prefixed)).toEqual(runProblemLines(failed));
    expect(transcriptLines(prefixed)).toEqual(transcriptLines(failed));
  });

  it('make a transcript: caller said, agent heard, calls with their mocked results, replied, failed checks', () => {
    const { runs } = failsAtTurnTwoResult();
    const lines = transcriptLines(run(runs, 'kal16', 0));
    expect(lines.slice(5, 12)).toEqual([
      'turn 2 ✗ failed',
      '  caller said:   "At seven tonight"',
      '  agent heard:   "at seven tonight"',
      '  agent called:  check_availability({time: "19:00"}) → no result mocked',
      `  agent replied: ${JSON.stringify(HOSTILE_REPLY)}`,
      '  ✗ missing call book_table({party_size: 2, time: matches /^19:00/})',
      `  ✗ the reply does not contain "R-17": ${JSON.stringify(HOSTILE_REPLY)}`,
    ]);
    expect(lines[0]).toBe('turn 1 ✓ passed');
    expect(lines).toContain('  agent called:  (no calls)');
    const audioOnly = transcriptLines(run(runs, 'slt', 1));
    expect(audioOnly).toContain(
      '  agent called:  book_table({party_size: 2, time: "19:00"}) → error: "no table free at 19:00"',
    );
    expect(audioOnly).toContain('  agent replied: (audio only)');
    expect(audioOnly).toContain('  ✗ the agent replied with audio only');
    expect(transcriptLines(run(sessionDroppedResult().runs, 'kal16', 0)).slice(5)).toEqual([
      'turn 2 ✗ error',
      '  caller said:   "Actually, make it three"',
      `  ✗ error: ${SESSION_DROPPED}`,
      'turn 3 – skipped',
      '  caller said:   "Thank you"',
    ]);
    // The lines that detail a failure stay under it.
    expect(transcriptLines(run(sessionDroppedResult().runs, 'kal16', 1))).toContain(
      '      actual:   book_table({party_size: 2, time: "19:00"})',
    );
  });

  it('leave one-turn runs as they were', () => {
    const [passed] = bookTableResult().runs;
    expect(transcriptLines(passed!)).toEqual([]);
    expect(runProblemLines(passed!)).toEqual([]);
  });
});

describe('callsWithOutcomes', () => {
  const book = { name: 'book_table', arguments: { party_size: 2 } };
  const hours = { name: 'opening_hours', arguments: {} };

  it('pairs each call with what russo answered it, in the order the calls were made', () => {
    const response: AgentResponse = {
      toolCalls: [hours, book, book],
      toolResults: [
        { call: book, outcome: { result: { reference: 'R-1' } } },
        { call: hours, outcome: { missing: 'no result is mocked for opening_hours' } },
        { call: book, outcome: { error: { code: 'full' } } },
      ],
    };
    expect(callsWithOutcomes(response)).toEqual([
      'opening_hours({}) → no result mocked',
      'book_table({party_size: 2}) → {reference: "R-1"}',
      'book_table({party_size: 2}) → error: {code: "full"}',
    ]);
  });

  it('shows a call nobody answered without an arrow, and an answer to a call the agent did not list', () => {
    expect(callsWithOutcomes({ toolCalls: [book] })).toEqual(['book_table({party_size: 2})']);
    expect(
      callsWithOutcomes({
        toolCalls: [],
        toolResults: [{ call: hours, outcome: { result: 'nine to five' } }],
      }),
    ).toEqual(['opening_hours({}) → "nine to five"']);
  });
});

describe('expectations of a conversation', () => {
  it('say per turn what is expected of the calls and the reply', () => {
    const { scenario } = failsAtTurnTwoResult();
    expect(turnExpectationText(scenario.turns![1]!, scenario.match)).toBe(
      'book_table({party_size: 2, time: matches /^19:00/}); never cancel_reservation; reply contains "R-17"',
    );
    expect(expectationText(scenario)).toBe(
      'turn 1: no call; reply contains any of "what time", "when" · ' +
        'turn 2: book_table({party_size: 2, time: matches /^19:00/}); never cancel_reservation; reply contains "R-17" · ' +
        'turn 3: no call',
    );
    const { scenario: booking } = threeTurnBookingResult();
    const { expect: _, ...unchecked } = booking.turns![0]!;
    expect(turnExpectationText(unchecked, booking.match)).toBe(
      'calls not checked; reply contains any of "how many", "people"',
    );
  });

  it('put every reply check in words', () => {
    const location = { file: 'a.yaml', line: 1, column: 1 };
    expect(replyCheckText({ contains: ['Booked', 'R-42'], location })).toBe(
      'reply contains all of "Booked", "R-42"',
    );
    expect(
      replyCheckText({ contains: ['could not book'], notContains: ['reference', 'Booked'], location }),
    ).toBe('reply contains "could not book", contains none of "reference", "Booked"');
    expect(replyCheckText({ notContains: ['sorry'], ignoreCase: true, location })).toBe(
      'reply does not contain "sorry" (ignoring case)',
    );
    expect(replyCheckText({ regex: 'what time|when', ignoreCase: true, location })).toBe(
      'reply matches /what time|when/i',
    );
    expect(replyCheckText({ judge: 'asks for the party size', location })).toBe(
      'reply judged: "asks for the party size"',
    );
  });
});

describe('failureLines of a reply check', () => {
  it('quote the reply under the message when the message does not', () => {
    expect(
      failureLines(
        {
          kind: 'reply',
          diffs: [],
          message: 'the reply does not ask for the time',
          replyText: 'Done.',
          turn: 1,
        },
        { diffs: true },
      ),
    ).toEqual(['the reply does not ask for the time', '  reply:    "Done."']);
    expect(
      failureLines(
        {
          kind: 'reply',
          diffs: [],
          message: 'the reply does not contain "R-17": "Done."',
          replyText: 'Done.',
        },
        { diffs: true },
      ),
    ).toEqual(['the reply does not contain "R-17": "Done."']);
  });
});
