import { describe, expect, it } from 'vitest';
import { formatCall, formatDiff, formatPath, formatValue } from '../../src/evaluate/index.js';

describe('formatValue', () => {
  it('quotes strings and writes other scalars as they are', () => {
    expect(formatValue('19:00')).toBe('"19:00"');
    expect(formatValue('say "hi"')).toBe('"say \\"hi\\""');
    expect(formatValue(2)).toBe('2');
    expect(formatValue(false)).toBe('false');
    expect(formatValue(null)).toBe('null');
    expect(formatValue(undefined)).toBe('undefined');
  });

  it('writes objects with bare identifier keys and quoted other keys, dropping undefined values', () => {
    expect(formatValue({ party_size: 2, 'first name': 'Ann', gone: undefined })).toBe(
      '{party_size: 2, "first name": "Ann"}',
    );
    expect(formatValue({ guests: [{ name: 'Ann' }], tags: [] })).toBe('{guests: [{name: "Ann"}], tags: []}');
  });

  it('cuts long values at maxLength with an ellipsis', () => {
    const text = formatValue({ notes: 'x'.repeat(300) });
    expect(text).toHaveLength(120);
    expect(text.endsWith('…')).toBe(true);
    expect(formatValue('abcdef', 4)).toBe('"ab…');
    expect(formatValue('ab', 4)).toBe('"ab"');
  });
});

describe('formatPath', () => {
  it('joins keys with dots and indices with brackets', () => {
    expect(formatPath(['guests', 0, 'name'])).toBe('guests[0].name');
    expect(formatPath([])).toBe('');
    expect(formatPath([0, 'a'])).toBe('[0].a');
  });

  it('quotes keys that are not identifiers', () => {
    expect(formatPath(['notes', 'first name'])).toBe('notes["first name"]');
    expect(formatPath(['2nd'])).toBe('["2nd"]');
  });
});

describe('formatDiff', () => {
  it('says each kind of diff in one phrase', () => {
    expect(formatDiff({ path: 'party_size', kind: 'mismatch', expected: '2', actual: 3 })).toBe(
      'party_size expected 2, got 3',
    );
    expect(formatDiff({ path: 'time', kind: 'missing', expected: 'matches /^19/' })).toBe(
      'time missing (expected matches /^19/)',
    );
    expect(formatDiff({ path: 'notes', kind: 'unexpected', expected: 'no such key', actual: 'window' })).toBe(
      'notes not expected (got "window")',
    );
  });

  it('names the empty path "arguments"', () => {
    expect(formatDiff({ path: '', kind: 'mismatch', expected: 'a JSON object', actual: 'bad' })).toBe(
      'arguments expected a JSON object, got "bad"',
    );
  });
});

describe('formatCall', () => {
  it('writes a call like a function call', () => {
    expect(formatCall({ name: 'book_table', arguments: { party_size: 2 } })).toBe(
      'book_table({party_size: 2})',
    );
    expect(formatCall({ name: 'hang_up', arguments: {} })).toBe('hang_up({})');
  });

  it('does not pretend to know unreadable arguments', () => {
    expect(
      formatCall({ name: 'book_table', arguments: {}, argumentsError: 'arguments are not valid JSON' }),
    ).toBe('book_table(<invalid arguments>)');
  });
});
