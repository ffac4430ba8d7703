import { describe, expect, it } from 'vitest';
import { RussoError } from '../../src/core/errors.js';
import type { EvalResult, EvaluateOptions, ExpectedCall, ToolCall } from '../../src/core/types.js';
import {
  DEFAULT_MATCH_OPTIONS,
  evaluate,
  FAILURE_RANKING,
  MatcherSpecError,
  ToolCallEvaluator,
} from '../../src/evaluate/index.js';

const call = (name: string, args: Record<string, unknown> = {}): ToolCall => ({ name, arguments: args });
const want = (name: string, args?: Record<string, unknown>): ExpectedCall =>
  args === undefined ? { name } : { name, arguments: args };

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

/** What must not depend on the order of the agent's calls. */
const verdict = (result: EvalResult) => ({
  passed: result.passed,
  matchRate: result.matchRate,
  statuses: result.calls.map((match) => match.status).sort(),
  failures: result.failures.map((failure) => failure.kind),
  extra: result.extra.length,
});

describe('DEFAULT_MATCH_OPTIONS', () => {
  it('is any order, extra calls fail, subset arguments, validated arguments, and cannot be changed by accident', () => {
    expect(DEFAULT_MATCH_OPTIONS).toEqual({
      order: 'any',
      extraCalls: 'fail',
      arguments: 'subset',
      validateArguments: true,
    });
    expect(Object.isFrozen(DEFAULT_MATCH_OPTIONS)).toBe(true);
  });

  it('fills in every option not given (undefined counts as not given)', () => {
    expect(new ToolCallEvaluator({ order: undefined, arguments: 'exact' }).options).toEqual({
      order: 'any',
      extraCalls: 'fail',
      arguments: 'exact',
      validateArguments: true,
    });
  });

  it('refuses unknown option values', () => {
    expect(() => new ToolCallEvaluator({ order: 'sorted' } as unknown as EvaluateOptions)).toThrow(
      'order must be one of any, in-order, exact, got "sorted"',
    );
    expect(() => new ToolCallEvaluator({ extraCalls: 'ignore' } as unknown as EvaluateOptions)).toThrow(
      RangeError,
    );
  });
});

describe('a single expected call', () => {
  const expected = [want('book_table', { party_size: 2, time: { regex: '^19:00' } })];

  it('passes when the call fits', () => {
    const result = evaluate(expected, [
      call('book_table', { party_size: 2, time: '19:00', notes: 'window' }),
    ]);
    expect(result).toMatchObject({ passed: true, matchRate: 1, extra: [], forbidden: [], failures: [] });
    expect(result.calls).toEqual([
      {
        index: 0,
        expected: expected[0],
        status: 'matched',
        actual: call('book_table', { party_size: 2, time: '19:00', notes: 'window' }),
        actualIndex: 0,
        diffs: [],
      },
    ]);
  });

  it('reports wrong arguments with a one-line message', () => {
    const result = evaluate(expected, [call('book_table', { party_size: 3, time: '19:00' })]);
    expect(result.passed).toBe(false);
    expect(result.matchRate).toBe(0);
    expect(result.calls[0]).toMatchObject({ status: 'wrong_arguments', actualIndex: 0 });
    expect(result.failures).toEqual([
      {
        kind: 'wrong_arguments',
        index: 0,
        expected: expected[0],
        actual: call('book_table', { party_size: 3, time: '19:00' }),
        diffs: [{ path: 'party_size', kind: 'mismatch', expected: '2', actual: 3 }],
        message: 'book_table: party_size expected 2, got 3',
      },
    ]);
  });

  it('reports a missing call, and another tool as an extra call', () => {
    const result = evaluate(expected, [call('get_opening_hours')]);
    expect(result.calls[0]).toMatchObject({ status: 'missing', diffs: [] });
    expect(result.calls[0]?.actual).toBeUndefined();
    expect(result.extra).toEqual([call('get_opening_hours')]);
    expect(result.failures.map((failure) => failure.message)).toEqual([
      'missing call book_table({party_size: 2, time: matches /^19:00/})',
      'extra call get_opening_hours({})',
    ]);
  });

  it('names a missing call without arguments by its name alone', () => {
    expect(evaluate([want('get_opening_hours')], []).failures[0]?.message).toBe(
      'missing call get_opening_hours',
    );
    expect(evaluate([want('get_opening_hours', {})], []).failures[0]?.message).toBe(
      'missing call get_opening_hours',
    );
  });

  it('shows three diffs in a message and counts the rest', () => {
    const result = evaluate([want('f', { a: 1, b: 2, c: 3, d: 4, e: 5 })], [call('f', {})]);
    expect(result.failures[0]?.diffs).toHaveLength(5);
    expect(result.failures[0]?.message).toBe(
      'f: a missing (expected 1); b missing (expected 2); c missing (expected 3); 2 more',
    );
  });
});

describe('expected null and missing keys', () => {
  it('an expected null needs the key, holding null', () => {
    const expected = [want('set_note', { note: null })];
    expect(evaluate(expected, [call('set_note', { note: null })]).passed).toBe(true);
    expect(evaluate(expected, [call('set_note', {})]).calls[0]?.diffs).toEqual([
      { path: 'note', kind: 'missing', expected: 'null' },
    ]);
    expect(evaluate(expected, [call('set_note', { note: '' })]).passed).toBe(false);
  });
});

describe('arguments: subset and exact', () => {
  const expected = [want('book_table', { guests: [{ name: 'Ann' }], party_size: 2 })];
  const actual = [
    call('book_table', { guests: [{ name: 'Ann', diet: 'vegan' }], party_size: 2, notes: 'x' }),
  ];

  it('subset accepts extra keys at every depth', () => {
    expect(evaluate(expected, actual, { arguments: 'subset' }).passed).toBe(true);
  });

  it('exact reports each extra key at its path', () => {
    const result = evaluate(expected, actual, { arguments: 'exact' });
    expect(result.failures[0]?.diffs).toEqual([
      { path: 'guests[0].diet', kind: 'unexpected', expected: 'no such key', actual: 'vegan' },
      { path: 'notes', kind: 'unexpected', expected: 'no such key', actual: 'x' },
    ]);
    expect(result.failures[0]?.message).toBe(
      'book_table: guests[0].diet not expected (got "vegan"); notes not expected (got "x")',
    );
  });

  it('an expected call without arguments accepts any arguments, even under exact', () => {
    expect(
      evaluate([want('hang_up')], [call('hang_up', { reason: 'done' })], { arguments: 'exact' }).passed,
    ).toBe(true);
  });

  it('arguments: {} under exact means no arguments at all', () => {
    expect(
      evaluate([want('hang_up', {})], [call('hang_up', { reason: 'done' })], { arguments: 'exact' }).passed,
    ).toBe(false);
    expect(evaluate([want('hang_up', {})], [call('hang_up')], { arguments: 'exact' }).passed).toBe(true);
  });
});

describe('order: any', () => {
  it('accepts the calls in any order', () => {
    const expected = [want('check_availability'), want('book_table', { party_size: 2 })];
    for (const actual of permutations([call('book_table', { party_size: 2 }), call('check_availability')])) {
      expect(evaluate(expected, actual).passed).toBe(true);
    }
  });

  it('passes the subset case of the brief in every order', () => {
    const expected = [want('A', { x: 1 }), want('A', {})];
    for (const actual of permutations([call('A', { x: 1, y: 2 }), call('A', { x: 1 })])) {
      expect(evaluate(expected, actual)).toMatchObject({ passed: true, matchRate: 1 });
    }
  });

  it('finds the pairing that first-fit matching misses, in every order', () => {
    // First fit gives A{} the first call; when that is A{x:1}, A{x:1} is left with A{y:2} and fails.
    const expected = [want('A', {}), want('A', { x: 1 })];
    for (const actual of permutations([call('A', { x: 1 }), call('A', { y: 2 })])) {
      const result = evaluate(expected, actual);
      expect(result).toMatchObject({ passed: true, matchRate: 1 });
      expect(result.calls[1]?.actual).toEqual(call('A', { x: 1 }));
    }
  });

  it('pairs a leftover expected call with the closest call of its name', () => {
    const expected = [want('book_table', { party_size: 2, time: '19:00', name: 'Ann' })];
    const actual = [
      call('book_table', { party_size: 5, time: '20:00', name: 'Ann' }),
      call('book_table', { party_size: 3, time: '19:00', name: 'Ann' }),
    ];
    for (const order of permutations(actual)) {
      const result = evaluate(expected, order, { extraCalls: 'allow' });
      expect(result.calls[0]?.actual).toEqual(actual[1]);
      expect(result.calls[0]?.diffs).toHaveLength(1);
      expect(result.extra).toEqual([actual[0]]);
      expect(result.passed).toBe(false);
    }
  });

  it('reports wrong arguments rather than a missing call plus an extra one', () => {
    const result = evaluate(
      [want('A', { x: 1 }), want('A', { x: 2 })],
      [call('A', { x: 1 }), call('A', { x: 3 })],
    );
    expect(result.calls.map((match) => match.status)).toEqual(['matched', 'wrong_arguments']);
    expect(result.extra).toEqual([]);
    expect(result.matchRate).toBe(0.5);
  });

  it('reports a missing call when no call of its name is left', () => {
    const result = evaluate([want('A', { x: 1 }), want('A', { x: 2 })], [call('A', { x: 2 })]);
    expect(result.calls.map((match) => match.status)).toEqual(['missing', 'matched']);
  });

  const cases: Array<[string, ExpectedCall[], ToolCall[], EvaluateOptions]> = [
    [
      'first-fit trap',
      [want('A', {}), want('A', { x: 1 })],
      [call('A', { x: 1 }), call('A', { y: 2 }), call('B')],
      { extraCalls: 'allow' },
    ],
    [
      'wrong and missing',
      [want('A', { x: 1 }), want('A', { x: 2 }), want('B', { y: { one_of: [1, 2] } })],
      [call('A', { x: 3 }), call('A', { x: 1 }), call('B', { y: 5 }), call('C')],
      {},
    ],
    [
      'exact arguments',
      [want('A', { x: 1 }), want('A', { x: 1, y: 2 }), want('A')],
      [call('A', { x: 1, y: 2 }), call('A', { x: 1 }), call('A', { z: 0 }), call('A', { x: 1 })],
      { arguments: 'exact' },
    ],
  ];

  it.each(cases)(
    'gives the same verdict for every order of the calls (%s)',
    (_, expected, actual, options) => {
      const first = verdict(evaluate(expected, actual, options));
      for (const order of permutations(actual))
        expect(verdict(evaluate(expected, order, options))).toEqual(first);
    },
  );

  it('on random cases, matches as many calls as brute force and never depends on the order', () => {
    for (const { expected, actual, arguments: mode } of randomCases(60)) {
      const options: EvaluateOptions = { arguments: mode, extraCalls: 'allow' };
      const fits = (e: ExpectedCall, a: ToolCall) => evaluate([e], [a], options).passed;
      const first = verdict(evaluate(expected, actual, options));
      expect(first.matchRate * expected.length).toBe(bruteForceMatches(expected, actual, fits));
      for (const order of permutations(actual))
        expect(verdict(evaluate(expected, order, options))).toEqual(first);
    }
  });
});

/** The most expected calls that distinct actual calls can fit (in order: at increasing positions), by trying every pairing. */
function bruteForceMatches(
  expected: ExpectedCall[],
  actual: ToolCall[],
  fits: (e: ExpectedCall, a: ToolCall) => boolean,
  inOrder = false,
): number {
  const search = (row: number, used: Set<number>, after: number): number => {
    if (row === expected.length) return 0;
    let best = search(row + 1, used, after);
    actual.forEach((candidate, column) => {
      if (used.has(column) || (inOrder && column <= after) || !fits(expected[row]!, candidate)) return;
      used.add(column);
      best = Math.max(best, 1 + search(row + 1, used, column));
      used.delete(column);
    });
    return best;
  };
  return search(0, new Set(), -1);
}

/** Random expectations and calls over two tools and a few argument sets, the same on every run. */
function randomCases(count: number, most = { expected: 3, actual: 3 }) {
  let seed = 1;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const argumentSets = [{}, { x: 1 }, { y: 2 }, { x: 1, y: 2 }, { x: 2 }];
  return Array.from({ length: count }, () => ({
    expected: Array.from({ length: 1 + Math.floor(next() * most.expected) }, () =>
      want(pick(['A', 'B']), pick(argumentSets)),
    ),
    actual: Array.from({ length: Math.floor(next() * (most.actual + 1)) }, () =>
      call(pick(['A', 'B']), pick(argumentSets)),
    ),
    arguments: pick(['exact', 'subset'] as const),
  }));
}

describe('order: in-order', () => {
  const options: EvaluateOptions = { order: 'in-order' };

  it('passes two and three calls in the expected order', () => {
    expect(evaluate([want('A'), want('B')], [call('A'), call('B')], options).passed).toBe(true);
    expect(
      evaluate([want('A'), want('B'), want('C')], [call('A'), call('B'), call('C')], options).passed,
    ).toBe(true);
  });

  it('lets other calls interleave when extra calls are allowed, and fails them otherwise', () => {
    const expected = [want('check_availability'), want('book_table'), want('send_confirmation')];
    const actual = [
      call('greet'),
      call('check_availability'),
      call('get_weather'),
      call('book_table'),
      call('send_confirmation'),
    ];
    const allowed = evaluate(expected, actual, { ...options, extraCalls: 'allow' });
    expect(allowed.passed).toBe(true);
    expect(allowed.matchRate).toBe(1);
    expect(allowed.extra).toEqual([call('greet'), call('get_weather')]);
    const failed = evaluate(expected, actual, options);
    expect(failed.passed).toBe(false);
    expect(failed.matchRate).toBe(1);
    expect(failed.failures.map((failure) => failure.message)).toEqual([
      'extra call greet({})',
      'extra call get_weather({})',
    ]);
  });

  it('reports a call made out of order, with where it belongs', () => {
    const result = evaluate([want('A'), want('B')], [call('B'), call('A')], options);
    expect(result.passed).toBe(false);
    expect(result.matchRate).toBe(0.5);
    expect(result.calls.map((match) => match.status)).toEqual(['matched', 'out_of_order']);
    expect(result.extra).toEqual([]);
    expect(result.failures.map((failure) => failure.message)).toEqual([
      'B called out of order (call 1 of 2, expected after A)',
    ]);
  });

  it('keeps the longest run in order, not the first call found', () => {
    // Matching X first (it comes last) would leave A and B nothing; the best order keeps A and B.
    const result = evaluate([want('X'), want('A'), want('B')], [call('A'), call('B'), call('X')], options);
    expect(result.calls.map((match) => match.status)).toEqual(['out_of_order', 'matched', 'matched']);
    expect(result.matchRate).toBe(2 / 3);
    expect(result.failures[0]?.message).toBe('X called out of order (call 3 of 3, expected before A)');
  });

  it('matches repeated calls of one tool in order, with subset arguments', () => {
    const expected = [want('add_item', {}), want('add_item', { item: 'soup' })];
    expect(
      evaluate(expected, [call('add_item', { item: 'soup' }), call('add_item', { item: 'soup' })], options)
        .passed,
    ).toBe(true);
    const result = evaluate(
      expected,
      [call('add_item', { item: 'soup' }), call('add_item', { item: 'tea' })],
      options,
    );
    expect(result.calls.map((match) => match.status)).toEqual(['matched', 'wrong_arguments']);
    expect(result.failures[0]?.message).toBe('add_item: item expected "soup", got "tea"');
  });

  it('on random cases, matches as many calls in order as brute force, and claims each call once', () => {
    for (const { expected, actual, arguments: mode } of randomCases(150, { expected: 4, actual: 5 })) {
      const fits = (e: ExpectedCall, a: ToolCall) => evaluate([e], [a], { arguments: mode }).passed;
      const result = evaluate(expected, actual, { ...options, arguments: mode, extraCalls: 'allow' });
      expect(result.matchRate * expected.length).toBe(bruteForceMatches(expected, actual, fits, true));
      const claimed = result.calls.flatMap((match) =>
        match.actualIndex === undefined ? [] : [match.actualIndex],
      );
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.length + result.extra.length).toBe(actual.length);
    }
  });

  it('reports wrong arguments and missing calls among the calls left', () => {
    const result = evaluate(
      [want('A', { x: 1 }), want('B', { y: 1 }), want('C')],
      [call('A', { x: 1 }), call('B', { y: 2 })],
      options,
    );
    expect(result.calls.map((match) => match.status)).toEqual(['matched', 'wrong_arguments', 'missing']);
  });
});

describe('order: exact', () => {
  const options: EvaluateOptions = { order: 'exact' };

  it('passes the same calls in the same order', () => {
    expect(evaluate([want('A'), want('B')], [call('A'), call('B')], options).passed).toBe(true);
  });

  it('fails any other call, even when extra calls are allowed', () => {
    const result = evaluate([want('A'), want('B')], [call('A'), call('C'), call('B')], {
      ...options,
      extraCalls: 'allow',
    });
    expect(result.passed).toBe(false);
    expect(result.matchRate).toBe(1);
    expect(result.failures.map((failure) => failure.kind)).toEqual(['extra']);
  });

  it('fails the same calls in another order', () => {
    const result = evaluate([want('A'), want('B')], [call('B'), call('A')], options);
    expect(result.failures.map((failure) => failure.kind)).toEqual(['out_of_order']);
  });
});

describe('forbid', () => {
  it('fails a forbidden call, lists it apart from the extra calls, and ranks it first', () => {
    const result = evaluate(
      [want('book_table')],
      [call('cancel_reservation', { id: 'r1' }), call('book_table')],
      { forbid: ['cancel_reservation'], extraCalls: 'allow' },
    );
    expect(result.passed).toBe(false);
    expect(result.matchRate).toBe(1);
    expect(result.forbidden).toEqual([call('cancel_reservation', { id: 'r1' })]);
    expect(result.extra).toEqual([]);
    expect(result.failures).toEqual([
      {
        kind: 'forbidden',
        actual: call('cancel_reservation', { id: 'r1' }),
        diffs: [],
        message: 'forbidden call cancel_reservation({id: "r1"})',
      },
    ]);
  });

  it('passes when no forbidden tool is called', () => {
    expect(
      evaluate([want('book_table')], [call('book_table')], { forbid: ['cancel_reservation'] }).passed,
    ).toBe(true);
  });

  it('a forbidden call never satisfies an expectation of the same name', () => {
    const result = evaluate([want('refund')], [call('refund')], { forbid: ['refund'] });
    expect(result.failures.map((failure) => failure.kind)).toEqual(['forbidden', 'missing']);
  });
});

describe('expect: [] (no call)', () => {
  it('passes only when the agent makes no call', () => {
    expect(evaluate([], [])).toEqual({
      passed: true,
      matchRate: 1,
      calls: [],
      extra: [],
      forbidden: [],
      failures: [],
    });
  });

  it('fails every call, whatever extraCalls says', () => {
    for (const extraCalls of ['allow', 'fail'] as const) {
      const result = evaluate([], [call('book_table', { party_size: 2 }), call('hang_up')], { extraCalls });
      expect(result.passed).toBe(false);
      expect(result.matchRate).toBe(0);
      expect(result.extra).toHaveLength(2);
      expect(result.failures.map((failure) => failure.message)).toEqual([
        'unexpected call book_table({party_size: 2}): no call was expected',
        'unexpected call hang_up({}): no call was expected',
      ]);
    }
  });

  it('reports a forbidden call once, as forbidden, first', () => {
    const result = evaluate([], [call('chat'), call('refund')], { forbid: ['refund'] });
    expect(result.failures.map((failure) => failure.kind)).toEqual(['forbidden', 'unexpected_call']);
    expect(result.matchRate).toBe(0);
  });
});

describe('arguments that are not a JSON object', () => {
  it('parses arguments that arrive as a JSON string', () => {
    const actual = [{ name: 'book_table', arguments: '{"party_size": 2}' } as unknown as ToolCall];
    const result = evaluate([want('book_table', { party_size: 2 })], actual);
    expect(result.passed).toBe(true);
    expect(result.calls[0]?.actual).toEqual(call('book_table', { party_size: 2 }));
  });

  it('grades malformed JSON as wrong arguments with a clear diff, never a crash', () => {
    const actual = [{ name: 'book_table', arguments: '{"party_size": 2' } as unknown as ToolCall];
    const result = evaluate([want('book_table', { party_size: 2 })], actual);
    expect(result.passed).toBe(false);
    expect(result.calls[0]?.status).toBe('wrong_arguments');
    expect(result.failures[0]?.diffs).toEqual([
      {
        path: '',
        kind: 'mismatch',
        expected: 'a JSON object',
        actual: expect.stringContaining('not valid JSON'),
      },
    ]);
    expect(result.failures[0]?.message).toMatch(
      /^book_table: arguments are not valid JSON \(.+\): \{"party_size": 2$/,
    );
  });

  it('treats a call flagged with argumentsError as wrong arguments, even when any arguments would do', () => {
    const flagged: ToolCall = {
      name: 'hang_up',
      arguments: {},
      argumentsError: 'arguments are not a JSON object: [1]',
    };
    const result = evaluate([want('hang_up')], [flagged]);
    expect(result.calls[0]?.status).toBe('wrong_arguments');
    expect(result.failures[0]?.message).toBe('hang_up: arguments are not a JSON object: [1]');
  });

  it('flags arguments that parse to something other than an object', () => {
    const actual = [{ name: 'f', arguments: '[1, 2]' } as unknown as ToolCall];
    expect(evaluate([want('f')], actual).failures[0]?.message).toBe(
      'f: arguments are not a JSON object: [1,2]',
    );
  });

  it('prefers a readable call of the same name as the closest candidate', () => {
    const broken: ToolCall = { name: 'f', arguments: {}, argumentsError: 'arguments are not valid JSON' };
    for (const actual of permutations([broken, call('f', { a: 9, b: 9, c: 9 })])) {
      const result = evaluate([want('f', { a: 1, b: 1, c: 1 })], actual, { extraCalls: 'allow' });
      expect(result.calls[0]?.actual).toEqual(call('f', { a: 9, b: 9, c: 9 }));
      expect(result.extra).toEqual([broken]);
    }
  });
});

describe('failures', () => {
  it('are ranked forbidden, unexpected_call, invalid_arguments, missing, wrong_arguments, out_of_order, reply, extra', () => {
    expect(FAILURE_RANKING).toEqual([
      'forbidden',
      'unexpected_call',
      'invalid_arguments',
      'missing',
      'wrong_arguments',
      'out_of_order',
      'reply',
      'extra',
    ]);
  });

  it('put the worst first in a run that fails in every way an expectation can', () => {
    const result = evaluate(
      [want('A'), want('B', { x: 1 }), want('C'), want('D')],
      [call('D'), call('noise'), call('B', { x: 2 }), call('A'), call('drop_table')],
      { order: 'in-order', forbid: ['drop_table'] },
    );
    expect(result.failures.map((failure) => failure.message)).toEqual([
      'forbidden call drop_table({})',
      'missing call C',
      'B: x expected 1, got 2',
      'D called out of order (call 1 of 5, expected after C)',
      'extra call noise({})',
    ]);
    expect(result.matchRate).toBe(0.25);
  });

  it('of one kind follow the expected calls', () => {
    const result = evaluate([want('A'), want('B'), want('C')], []);
    expect(result.failures.map((failure) => failure.index)).toEqual([0, 1, 2]);
  });
});

describe('ToolCallEvaluator', () => {
  it('implements Evaluator with the options it was given', () => {
    const evaluator = new ToolCallEvaluator({ order: 'in-order', forbid: ['refund'] });
    expect(evaluator.evaluate([want('A'), want('B')], [call('B'), call('A')]).passed).toBe(false);
    expect(evaluator.evaluate([want('A')], [call('A'), call('refund')]).forbidden).toEqual([call('refund')]);
  });

  it('compiles an expectation once and reuses it for every run', () => {
    const expected = [want('A', { x: { regex: '^a' } })];
    const evaluator = new ToolCallEvaluator();
    expect(evaluator.evaluate(expected, [call('A', { x: 'abc' })]).passed).toBe(true);
    // Changing the object afterwards does not reach the compiled spec: the first compile is kept.
    (expected[0]!.arguments as Record<string, unknown>).x = { regex: '(' };
    expect(evaluator.evaluate(expected, [call('A', { x: 'abc' })]).passed).toBe(true);
    expect(() => new ToolCallEvaluator().evaluate(expected, [])).toThrow(MatcherSpecError);
  });

  it('throws a MatcherSpecError with every problem of a bad spec', () => {
    const expected = [want('A'), want('book_table', { time: { regex: '(' }, size: { oneof: [2, 3] } })];
    let error: unknown;
    try {
      evaluate(expected, []);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(MatcherSpecError);
    expect(error).toBeInstanceOf(RussoError);
    const specError = error as MatcherSpecError;
    expect(specError.call).toEqual({ index: 1, name: 'book_table' });
    expect(specError.problems.map((problem) => problem.path)).toEqual([
      ['time', 'regex'],
      ['size', 'oneof'],
    ]);
    expect(specError.message).toBe(
      'invalid expected call 2 (book_table): arguments.time.regex: invalid regex: Invalid regular expression: /(/: ' +
        'Unterminated group; arguments.size.oneof: unknown matcher "oneof"',
    );
    expect(specError.hint).toBe(specError.problems[0]?.hint);
  });
});
