import { describe, expect, it } from 'vitest';
import { missingMockMessage } from '../../src/core/tool-call.js';
import type { ToolCall } from '../../src/core/types.js';
import { checkToolResults, compileToolResults, isRuleList } from '../../src/evaluate/index.js';

const book = (args: Record<string, unknown>): ToolCall => ({ name: 'book_table', arguments: args });

describe('compileToolResults', () => {
  it('answers every call of a tool with its plain value, and calls of other tools with the missing message', () => {
    const respond = compileToolResults({ get_opening_hours: { open: '12:00' }, cancel_reservation: null });
    expect(respond({ name: 'get_opening_hours', arguments: { day: 'monday' } })).toEqual({
      result: { open: '12:00' },
    });
    expect(respond({ name: 'cancel_reservation', arguments: {} })).toEqual({ result: null });
    expect(respond(book({}))).toEqual({ missing: missingMockMessage('book_table') });
  });

  it('picks the first rule whose `when` matches the arguments by subset, with the matchers of expect', () => {
    const respond = compileToolResults({
      book_table: [
        {
          when: { party_size: { one_of: [1, 2, 3, 4] }, time: { regex: '^19:' } },
          result: { reference: 'R-17' },
        },
        { when: { party_size: { type: 'integer' } }, error: 'no table free' },
        { result: { reference: 'R-0' } },
      ],
    });
    expect(respond(book({ party_size: 2, time: '19:30', day: 'today' }))).toEqual({
      result: { reference: 'R-17' },
    });
    expect(respond(book({ party_size: 2, time: '20:00' }))).toEqual({ error: 'no table free' });
    expect(respond(book({ party_size: 12, time: '19:00' }))).toEqual({ error: 'no table free' });
    expect(respond(book({ party_size: 'two' }))).toEqual({ result: { reference: 'R-0' } });
  });

  it('tells the agent that no result is mocked when no rule matches and there is no fallback', () => {
    const respond = compileToolResults({ book_table: [{ when: { party_size: 2 }, result: 'ok' }] });
    expect(respond(book({ party_size: 2 }))).toEqual({ result: 'ok' });
    const outcome = respond(book({ party_size: 3 }));
    expect(outcome).toEqual({
      missing: expect.stringContaining('no `when` of its tool_results rules matches'),
    });
  });

  it('takes a list that is not made of rules as a plain value', () => {
    const menu = [{ dish: 'soup' }, { dish: 'bread', result: 'x' }];
    expect(compileToolResults({ menu })({ name: 'menu', arguments: {} })).toEqual({ result: menu });
    expect(isRuleList(menu)).toBe(false);
    expect(isRuleList([])).toBe(false);
    expect(isRuleList([{ result: 1, error: 2 }])).toBe(false);
    expect(isRuleList([{ when: {}, result: 1 }, { error: 'x' }])).toBe(true);
    // A list that looks like rules is mocked as a plain value through a rule.
    const rules = [{ when: { a: 1 }, result: 1 }];
    expect(compileToolResults({ t: [{ result: rules }] })({ name: 't', arguments: {} })).toEqual({
      result: rules,
    });
  });
});

describe('checkToolResults', () => {
  it('finds invalid `when` matchers, unreachable rules and lists that are almost rules', () => {
    const problems = checkToolResults({
      book_table: [
        { when: { time: { regex: '(' } }, result: 1 },
        { result: 2 },
        { when: { party_size: 3 }, result: 3 },
      ],
      cancel_reservation: [{ when: { day: 'today' }, reslt: 'cancelled' }],
      get_opening_hours: { open: '12:00' },
    });
    expect(problems.map((problem) => [problem.path, problem.message])).toEqual([
      [['book_table', 0, 'when', 'time', 'regex'], expect.stringMatching(/^invalid regex/)],
      [
        ['book_table', 2],
        'book_table: rule 3 can never be picked: rule 2 has no `when` and matches every call first',
      ],
      [['cancel_reservation', 0], expect.stringMatching(/item 1 is not a rule/)],
    ]);
    expect(checkToolResults({ book_table: [{ when: 5, result: 1 }] })[0]?.message).toMatch(
      /arguments must be an object/,
    );
  });
});
