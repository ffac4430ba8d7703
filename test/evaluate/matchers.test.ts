import { describe, expect, it } from 'vitest';
import type { SpecProblem } from '../../src/evaluate/errors.js';
import { checkArgumentSpec, describeSpec, MatcherSpecError } from '../../src/evaluate/index.js';
import { compileValue, type ArgumentsMode } from '../../src/evaluate/spec.js';

/** The diffs of one expected value against one actual value; fails the test if the spec has problems. */
function compare(spec: unknown, actual: unknown, mode: ArgumentsMode = 'subset') {
  const problems: SpecProblem[] = [];
  const compiled = compileValue(spec, [], problems);
  expect(problems).toEqual([]);
  return compiled.compare(actual, [], mode);
}

const matches = (spec: unknown, actual: unknown, mode?: ArgumentsMode) =>
  compare(spec, actual, mode).length === 0;

/** The problems of a spec written as the value of argument `v`. */
const problemsOf = (spec: unknown) => checkArgumentSpec({ v: spec });

describe('plain values', () => {
  it('compare with strict types', () => {
    expect(matches(2, 2)).toBe(true);
    expect(matches(2, '2')).toBe(false);
    expect(matches('2', 2)).toBe(false);
    expect(matches(true, 1)).toBe(false);
    expect(matches('Paris', 'paris')).toBe(false);
    expect(matches(0, false)).toBe(false);
  });

  it('describe a mismatch with the expected value and the actual one', () => {
    expect(compare(2, 3)).toEqual([{ path: '', kind: 'mismatch', expected: '2', actual: 3 }]);
    expect(compare('19:00', 19)).toEqual([{ path: '', kind: 'mismatch', expected: '"19:00"', actual: 19 }]);
  });

  it('null matches only null', () => {
    expect(matches(null, null)).toBe(true);
    expect(matches(null, 0)).toBe(false);
    expect(matches(null, '')).toBe(false);
    expect(matches(0, null)).toBe(false);
  });

  it('objects ignore key order', () => {
    expect(matches({ a: 1, b: 2 }, { b: 2, a: 1 }, 'exact')).toBe(true);
  });

  it('a key holding undefined counts as absent, as after a JSON round trip', () => {
    expect(compare({ a: 1 }, { a: undefined })).toEqual([{ path: 'a', kind: 'missing', expected: '1' }]);
    expect(matches({ a: 1 }, { a: 1, b: undefined }, 'exact')).toBe(true);
  });

  it('refuses values JSON cannot hold', () => {
    expect(problemsOf(undefined)).toEqual([
      expect.objectContaining({ path: ['v'], message: 'undefined is not a JSON value' }),
    ]);
    expect(problemsOf(Number.NaN)[0]?.message).toBe('NaN is not a JSON value');
    expect(problemsOf(new Date(0))[0]?.path).toEqual(['v']);
    expect(problemsOf([1, () => 1])[0]?.path).toEqual(['v', 1]);
  });
});

describe('nested objects', () => {
  const spec = { guest: { name: 'Ann', phone: { type: 'string' } } };

  it('subset ignores extra keys at every depth', () => {
    expect(matches(spec, { guest: { name: 'Ann', phone: '555', vip: true }, notes: 'x' })).toBe(true);
  });

  it('exact reports every extra key, at every depth, as unexpected', () => {
    expect(compare(spec, { guest: { name: 'Ann', phone: '555', vip: true }, notes: 'x' }, 'exact')).toEqual([
      { path: 'guest.vip', kind: 'unexpected', expected: 'no such key', actual: true },
      { path: 'notes', kind: 'unexpected', expected: 'no such key', actual: 'x' },
    ]);
  });

  it('reports a missing nested key and a wrong nested value with their paths', () => {
    expect(compare(spec, { guest: { name: 'Bob' } })).toEqual([
      { path: 'guest.name', kind: 'mismatch', expected: '"Ann"', actual: 'Bob' },
      { path: 'guest.phone', kind: 'missing', expected: 'a string' },
    ]);
  });

  it('an object where a value was expected is one mismatch', () => {
    expect(compare({ a: 1 }, 'text')).toEqual([
      { path: '', kind: 'mismatch', expected: '{a: 1}', actual: 'text' },
    ]);
    expect(matches({ a: 1 }, [1])).toBe(false);
    expect(matches({ a: 1 }, null)).toBe(false);
  });

  it('an empty object accepts any object under subset and only {} under exact', () => {
    expect(matches({}, { a: 1 })).toBe(true);
    expect(matches({}, { a: 1 }, 'exact')).toBe(false);
    expect(matches({}, {}, 'exact')).toBe(true);
  });

  it('an object with a "type" key beside other keys is data, not a matcher', () => {
    expect(matches({ type: 'card', last4: '1234' }, { type: 'card', last4: '1234' })).toBe(true);
    expect(matches({ type: 'card', last4: '1234' }, { type: 'cash', last4: '1234' })).toBe(false);
  });

  it('keys that are not identifiers are quoted in paths', () => {
    expect(compare({ 'first name': 'Ann' }, { 'first name': 'Bo' })[0]?.path).toBe('["first name"]');
  });
});

describe('arrays', () => {
  it('compare element by element, in order', () => {
    expect(matches([1, 2], [1, 2])).toBe(true);
    expect(matches([1, 2], [2, 1])).toBe(false);
  });

  it('a different length is one mismatch of the whole list', () => {
    expect(compare([1, 2], [1, 2, 3])).toEqual([
      { path: '', kind: 'mismatch', expected: '[1, 2]', actual: [1, 2, 3] },
    ]);
    expect(matches([], [])).toBe(true);
    expect(matches([], {})).toBe(false);
  });

  it('elements may be matchers or objects, compared with the arguments mode', () => {
    const spec = { guests: [{ name: { regex: '^A' } }, { name: 'Bob' }] };
    const actual = { guests: [{ name: 'Ann', age: 30 }, { name: 'Bo' }] };
    expect(compare(spec, actual)).toEqual([
      { path: 'guests[1].name', kind: 'mismatch', expected: '"Bob"', actual: 'Bo' },
    ]);
    expect(compare(spec, actual, 'exact').map((diff) => diff.path)).toEqual([
      'guests[0].age',
      'guests[1].name',
    ]);
  });
});

describe('{regex}', () => {
  it('matches anywhere in a string unless anchored', () => {
    expect(matches({ regex: '19' }, 'at 19:00')).toBe(true);
    expect(matches({ regex: '^19' }, 'at 19:00')).toBe(false);
    expect(matches({ regex: '^19:00$' }, '19:00')).toBe(true);
  });

  it('takes flags', () => {
    expect(matches({ regex: '^paris$', flags: 'i' }, 'PARIS')).toBe(true);
    expect(matches({ regex: '^paris$' }, 'PARIS')).toBe(false);
  });

  it('never matches a value that is not a string', () => {
    expect(matches({ regex: '^19' }, 19)).toBe(false);
    expect(matches({ regex: '.*' }, null)).toBe(false);
  });

  it('gives the same answer on every call (no g or y state)', () => {
    const problems: SpecProblem[] = [];
    const spec = compileValue({ regex: 'a' }, [], problems);
    expect([1, 2, 3].map(() => spec.compare('a', [], 'subset').length)).toEqual([0, 0, 0]);
  });

  it('describes itself as a literal regex', () => {
    expect(describeSpec({ regex: '^19:00' })).toBe('matches /^19:00/');
    expect(describeSpec({ regex: 'x', flags: 'im' })).toBe('matches /x/im');
    expect(compare({ regex: '^19' }, '20:00')).toEqual([
      { path: '', kind: 'mismatch', expected: 'matches /^19/', actual: '20:00' },
    ]);
  });

  it('reports a bad pattern with the RegExp error', () => {
    const [problem] = problemsOf({ regex: '(' });
    expect(problem?.path).toEqual(['v', 'regex']);
    expect(problem?.message).toBe('invalid regex: Invalid regular expression: /(/: Unterminated group');
    expect(problem?.hint).toContain('single quotes');
  });

  it('reports a pattern that is not a string, and bad or stateful flags', () => {
    expect(problemsOf({ regex: 19 })[0]).toMatchObject({
      path: ['v', 'regex'],
      message: 'regex must be a string, got 19',
    });
    expect(problemsOf({ regex: 'a', flags: 'q' })[0]).toMatchObject({
      path: ['v', 'flags'],
      message: 'invalid regex flags "q"',
    });
    expect(problemsOf({ regex: 'a', flags: 'g' })[0]?.hint).toContain('g and y are refused');
    expect(problemsOf({ regex: 'a', flags: 1 })[0]?.path).toEqual(['v', 'flags']);
  });
});

describe('{any: true}', () => {
  it('accepts any present value, null included', () => {
    for (const value of [0, '', false, null, [], {}, 'x'])
      expect(matches({ v: { any: true } }, { v: value })).toBe(true);
  });

  it('still needs the key', () => {
    expect(compare({ v: { any: true } }, {})).toEqual([
      { path: 'v', kind: 'missing', expected: 'any value' },
    ]);
  });

  it('must be true', () => {
    const [problem, ...others] = problemsOf({ any: false });
    expect(others).toEqual([]);
    expect(problem?.path).toEqual(['v', 'any']);
    expect(problem?.message).toBe('any must be true, got false');
    expect(problem?.hint).toContain('write {any: {equals: false}}');
  });

  it('with a value that is not a boolean, is an object with an "any" key', () => {
    expect(problemsOf({ any: 'yes' })).toEqual([]);
    expect(matches({ any: 'yes' }, { any: 'yes', other: 1 })).toBe(true);
    expect(matches({ any: 'yes' }, 'anything')).toBe(false);
  });
});

describe('{type}', () => {
  const samples: unknown[] = ['s', '', 2, 2.5, -0, true, false, null, [], [1], {}, { a: 1 }];
  const expected: Record<string, unknown[]> = {
    string: ['s', ''],
    number: [2, 2.5, -0],
    integer: [2, -0],
    boolean: [true, false],
    null: [null],
    array: [[], [1]],
    object: [{}, { a: 1 }],
  };

  it.each(Object.entries(expected))('%s accepts exactly its values', (name, accepted) => {
    expect(samples.filter((sample) => matches({ type: name }, sample))).toEqual(accepted);
  });

  it('describes itself with an article', () => {
    expect(['string', 'integer', 'array', 'null'].map((name) => describeSpec({ type: name }))).toEqual([
      'a string',
      'an integer',
      'an array',
      'null',
    ]);
  });

  it('reports an unknown type name with the nearest one and the literal escape', () => {
    const [problem] = problemsOf({ type: 'strng' });
    expect(problem?.path).toEqual(['v', 'type']);
    expect(problem?.message).toBe('unknown type "strng"');
    expect(problem?.hint).toContain('did you mean string?');
    expect(problem?.hint).toContain('write {type: {equals: "strng"}}');
    expect(problemsOf({ type: 'vegan' })[0]?.hint).not.toContain('did you mean');
  });

  it('with a value that is not a string, is an object with a "type" key (kept subset)', () => {
    expect(problemsOf({ type: { equals: 'delivery' } })).toEqual([]);
    expect(matches({ type: { equals: 'delivery' } }, { type: 'delivery', address: 'x' })).toBe(true);
    expect(matches({ type: { equals: 'delivery' } }, { type: 'pickup' })).toBe(false);
    expect(matches({ type: 3 }, { type: 3 })).toBe(true);
  });
});

describe('{one_of}', () => {
  it('accepts a value that fits any alternative', () => {
    expect(matches({ one_of: [2, 3] }, 3)).toBe(true);
    expect(matches({ one_of: [2, 3] }, 4)).toBe(false);
    expect(matches({ one_of: [2, 3] }, '2')).toBe(false);
  });

  it('alternatives may be matchers and objects compared with the arguments mode', () => {
    const spec = { one_of: [{ regex: '^19' }, { type: 'null' }, { time: '20:00' }] };
    expect(matches(spec, '19:30')).toBe(true);
    expect(matches(spec, null)).toBe(true);
    expect(matches(spec, { time: '20:00', seat: 'window' })).toBe(true);
    expect(matches(spec, { time: '20:00', seat: 'window' }, 'exact')).toBe(false);
    expect(matches(spec, '20:00')).toBe(false);
  });

  it('describes every alternative', () => {
    expect(describeSpec({ one_of: [2, 3] })).toBe('one of 2, 3');
    expect(describeSpec({ one_of: ['a', { regex: 'b' }] })).toBe('one of "a", matches /b/');
  });

  it('must be a non-empty list', () => {
    for (const value of [[], 2, 'a', { a: 1 }]) {
      expect(problemsOf({ one_of: value })[0]).toMatchObject({ path: ['v', 'one_of'] });
    }
    expect(problemsOf({ one_of: [] })[0]?.message).toBe('one_of must be a non-empty list of values, got []');
  });

  it('reports a bad alternative at its own path', () => {
    expect(problemsOf({ one_of: ['ok', { regex: '[' }] })[0]?.path).toEqual(['v', 'one_of', 1, 'regex']);
  });
});

describe('{approx, tolerance}', () => {
  it('accepts numbers within the tolerance, bounds included', () => {
    expect(matches({ approx: 19.5, tolerance: 0.5 }, 19.5)).toBe(true);
    expect(matches({ approx: 19.5, tolerance: 0.5 }, 20)).toBe(true);
    expect(matches({ approx: 19.5, tolerance: 0.5 }, 19)).toBe(true);
    expect(matches({ approx: 19.5, tolerance: 0.5 }, 20.01)).toBe(false);
    expect(matches({ approx: 19.5, tolerance: 0.5 }, 18.99)).toBe(false);
  });

  it('keeps bounds inclusive despite binary rounding, without widening them', () => {
    // 0.4 - 0.3 is 0.10000000000000003 in floating point.
    expect(matches({ approx: 0.3, tolerance: 0.1 }, 0.4)).toBe(true);
    expect(matches({ approx: 0.3, tolerance: 0.1 }, 0.4000001)).toBe(false);
    expect(matches({ approx: 2, tolerance: 0 }, 2)).toBe(true);
    expect(matches({ approx: 2, tolerance: 0 }, 2.0000001)).toBe(false);
  });

  it('never matches a numeric string', () => {
    expect(matches({ approx: 19.5, tolerance: 0.5 }, '19.5')).toBe(false);
  });

  it('describes itself as a range', () => {
    expect(describeSpec({ approx: 19.5, tolerance: 0.5 })).toBe('≈ 19.5 ± 0.5');
  });

  it('needs numbers: approx, and a tolerance of 0 or more', () => {
    expect(problemsOf({ approx: '19.5', tolerance: 0.5 })).toEqual([
      expect.objectContaining({ path: ['v', 'approx'], message: 'approx must be a number, got "19.5"' }),
    ]);
    expect(problemsOf({ approx: 19.5, tolerance: 'half' })[0]?.path).toEqual(['v', 'tolerance']);
    expect(problemsOf({ approx: 19.5, tolerance: -1 })[0]?.message).toBe(
      'tolerance must be a number of 0 or more, got -1',
    );
    expect(problemsOf({ approx: 'a', tolerance: 'b' })).toHaveLength(2);
  });

  it('requires the tolerance: approx alone is a problem, not a literal object', () => {
    expect(problemsOf({ approx: 19.5 })).toEqual([
      expect.objectContaining({ path: ['v'], message: 'approx needs tolerance' }),
    ]);
  });
});

describe('{ignore_case}', () => {
  it('compares text without regard to case', () => {
    expect(matches({ ignore_case: 'Paris' }, 'PARIS')).toBe(true);
    expect(matches({ ignore_case: 'Paris' }, 'paris')).toBe(true);
    expect(matches({ ignore_case: 'STRASSE' }, 'straße')).toBe(true);
    expect(matches({ ignore_case: 'Paris' }, 'Paris ')).toBe(false);
    expect(matches({ ignore_case: '2' }, 2)).toBe(false);
  });

  it('describes itself and needs a string', () => {
    expect(describeSpec({ ignore_case: 'Paris' })).toBe('"Paris" ignoring case');
    expect(problemsOf({ ignore_case: 2 })[0]).toMatchObject({
      path: ['v', 'ignore_case'],
      message: 'ignore_case must be a string, got 2',
    });
  });
});

describe('{equals}', () => {
  it('compares a literal that looks like a matcher', () => {
    expect(matches({ equals: { regex: '^a' } }, { regex: '^a' })).toBe(true);
    expect(matches({ equals: { regex: '^a' } }, 'abc')).toBe(false);
  });

  it('is exact deep equality, whatever the arguments mode', () => {
    expect(matches({ equals: { a: 1 } }, { a: 1, b: 2 }, 'subset')).toBe(false);
    expect(matches({ equals: { a: [1, { b: 2 }] } }, { a: [1, { b: 2 }] })).toBe(true);
    expect(matches({ equals: 2 }, '2')).toBe(false);
  });

  it('describes the literal, and refuses values JSON cannot hold', () => {
    expect(describeSpec({ equals: { any: true } })).toBe('{any: true}');
    expect(problemsOf({ equals: { a: undefined } })[0]?.path).toEqual(['v', 'equals', 'a']);
  });
});

describe('unknown matchers', () => {
  it.each([
    ['regexp', '^19', 'regex'],
    ['oneof', [2, 3], 'one_of'],
    ['ignorecase', 'Paris', 'ignore_case'],
    ['tpye', 'string', 'type'],
    ['Regex', '^19', 'regex'],
    ['aproxx', 19.5, 'approx'],
    ['equal', { a: 1 }, 'equals'],
  ])('{%s} is a problem that suggests the matcher and the literal escape', (key, value, suggestion) => {
    const [problem, ...others] = problemsOf({ [key]: value });
    expect(others).toEqual([]);
    expect(problem?.path).toEqual(['v', key]);
    expect(problem?.message).toBe(`unknown matcher "${key}"`);
    expect(problem?.hint).toContain(`did you mean ${suggestion}`);
    expect(problem?.hint).toContain(`{equals: {${key}: …}}`);
  });

  it.each([
    ['time', '19:00'],
    ['age', 30],
    ['types', ['vegan']],
    ['name', 'Ann'],
    ['anyone', true],
  ])('a one-key object {%s} that no matcher is near stays data', (key, value) => {
    expect(problemsOf({ [key]: value })).toEqual([]);
    expect(matches({ [key]: value }, { [key]: value })).toBe(true);
  });

  it('a matcher-only key beside keys it does not take is a problem', () => {
    expect(problemsOf({ regex: '^a', flag: 'i' })).toEqual([
      {
        path: ['v', 'flag'],
        message: 'regex does not take flag',
        hint: 'write {regex: "^19:00", flags: "i"}; to expect a literal object with these keys, write {equals: {…}}',
      },
    ]);
    expect(problemsOf({ one_of: [1], default: 1 })[0]?.message).toBe('one_of does not take default');
  });
});

describe('checkArgumentSpec', () => {
  it('finds nothing wrong in valid or absent arguments', () => {
    expect(checkArgumentSpec(undefined)).toEqual([]);
    expect(checkArgumentSpec({})).toEqual([]);
    expect(checkArgumentSpec({ party_size: 2, time: { regex: '^19' }, notes: null })).toEqual([]);
  });

  it('wants an object', () => {
    for (const value of [[1], 'x', 2, null]) {
      expect(checkArgumentSpec(value)[0]).toMatchObject({
        path: [],
        message: expect.stringContaining('must be an object'),
      });
    }
  });

  it('collects every problem, each at its path relative to the arguments', () => {
    expect(
      checkArgumentSpec({
        time: { regex: '(' },
        size: { one_of: [] },
        guests: [{ age: { approx: 'x', tolerance: 1 } }],
      }).map((problem) => problem.path),
    ).toEqual([
      ['time', 'regex'],
      ['size', 'one_of'],
      ['guests', 0, 'age', 'approx'],
    ]);
  });
});

describe('describeSpec', () => {
  it('describes plain values, objects and lists recursively', () => {
    expect(describeSpec('19:00')).toBe('"19:00"');
    expect(describeSpec(null)).toBe('null');
    expect(describeSpec({ party_size: 2, time: { regex: '^19' } })).toBe(
      '{party_size: 2, time: matches /^19/}',
    );
    expect(describeSpec([{ any: true }, 1])).toBe('[any value, 1]');
  });

  it('throws a MatcherSpecError on an invalid spec', () => {
    expect(() => describeSpec({ regex: '(' })).toThrow(MatcherSpecError);
    expect(() => describeSpec({ one_of: [] })).toThrow(
      'invalid expected value: value.one_of: one_of must be a non-empty list of values, got []',
    );
  });
});
