import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TOOL_CALL_LOCATION,
  extractIdentifiedCalls,
  extractToolCalls,
  parsePath,
  readPath,
  readString,
} from '../../src/agents/extract-calls.js';
import { expandEnv } from '../../src/agents/expand-env.js';

const at = (path: string, nameKey = 'name', argumentsKey = 'arguments') => ({ path, nameKey, argumentsKey });

describe('parsePath', () => {
  it('reads keys, dotted indexes and bracket indexes alike', () => {
    expect(parsePath('')).toEqual([]);
    expect(parsePath('tool_calls')).toEqual(['tool_calls']);
    expect(parsePath('a.b[0].c')).toEqual(['a', 'b', 0, 'c']);
    expect(parsePath('a.b.0.c')).toEqual(['a', 'b', 0, 'c']);
    expect(parsePath('m[1][2]')).toEqual(['m', 1, 2]);
  });

  it('names the bad segment of a malformed path', () => {
    expect(() => parsePath('a..b')).toThrow(/malformed path "a\.\.b": the segment ""/);
    expect(() => parsePath('a[x]')).toThrow(/segment "a\[x\]"/);
    expect(() => parsePath('a]')).toThrow(/malformed/);
  });
});

describe('readPath', () => {
  const document = { result: { tool_calls: [{ name: 'x' }], empty: null }, list: [[1, 2]] };

  it('finds values, including null, and tells a missing step from a null value', () => {
    expect(readPath(document, 'result.tool_calls[0].name')).toEqual({ found: true, value: 'x' });
    expect(readPath(document, 'result.empty')).toEqual({ found: true, value: null });
    expect(readPath(document, 'list[0][1]')).toEqual({ found: true, value: 2 });
    expect(readPath(document, 'result.missing')).toEqual({ found: false });
    expect(readPath(document, 'list[5]')).toEqual({ found: false });
    expect(readPath(document, 'result.tool_calls.name')).toEqual({ found: false });
    expect(readPath('text', 'length')).toEqual({ found: false });
    expect(readPath(document, 'toString')).toEqual({ found: false });
  });

  it('reads strings only where they are strings', () => {
    expect(readString({ a: { b: 'heard' } }, 'a.b')).toBe('heard');
    expect(readString({ a: { b: 3 } }, 'a.b')).toBeUndefined();
    expect(readString({ a: 'x' }, undefined)).toBeUndefined();
  });
});

describe('extractToolCalls', () => {
  it('parses arguments given as JSON strings and keeps objects as they are', () => {
    const calls = extractToolCalls(
      {
        tool_calls: [
          { name: 'a', arguments: '{"n":1}' },
          { name: 'b', arguments: { m: [2] } },
          { name: 'c' },
        ],
      },
      DEFAULT_TOOL_CALL_LOCATION,
    );
    expect(calls).toEqual([
      { name: 'a', arguments: { n: 1 } },
      { name: 'b', arguments: { m: [2] } },
      { name: 'c', arguments: {} },
    ]);
  });

  it('takes one call object, a null list, and the document itself', () => {
    expect(extractToolCalls({ call: { name: 'a', arguments: {} } }, at('call'))).toEqual([
      { name: 'a', arguments: {} },
    ]);
    expect(extractToolCalls({ tool_calls: null }, DEFAULT_TOOL_CALL_LOCATION)).toEqual([]);
    expect(extractToolCalls([{ tool: 'a', input: { x: 1 } }], at('', 'tool', 'input'))).toEqual([
      { name: 'a', arguments: { x: 1 } },
    ]);
  });

  it('is undefined when the path is absent, so the caller can say so', () => {
    expect(extractToolCalls({ result: {} }, at('result.tool_calls'))).toBeUndefined();
  });

  it('rejects a value that is not a call list, and a call without a name', () => {
    expect(() => extractToolCalls({ tool_calls: 'book_table' }, DEFAULT_TOOL_CALL_LOCATION)).toThrow(
      /`tool_calls` holds "book_table", not a list of tool calls/,
    );
    expect(() =>
      extractToolCalls({ tool_calls: [{ name: 'a' }, { fn: 'b' }] }, DEFAULT_TOOL_CALL_LOCATION),
    ).toThrow(/tool call 2 at `tool_calls` has no string "name": \{"fn":"b"\}/);
  });
});

describe('extractIdentifiedCalls', () => {
  it("keeps each call's id where it has one, at the default or a configured key", () => {
    const document = {
      tool_calls: [
        { id: 'c1', name: 'a', arguments: {} },
        { name: 'b', arguments: {} },
        { id: null, meta: { call: 7 }, name: 'c', arguments: {} },
      ],
    };
    expect(extractIdentifiedCalls(document, DEFAULT_TOOL_CALL_LOCATION)).toEqual([
      { call: { name: 'a', arguments: {} }, id: 'c1' },
      { call: { name: 'b', arguments: {} } },
      { call: { name: 'c', arguments: {} } },
    ]);
    const nested = extractIdentifiedCalls(document, { ...DEFAULT_TOOL_CALL_LOCATION, idKey: 'meta.call' });
    expect(nested?.map((item) => item.id)).toEqual([undefined, undefined, 7]);
  });
});

describe('expandEnv', () => {
  it('replaces every reference and leaves other text alone', () => {
    expect(expandEnv('Bearer ${A}-${B_2} $C {D}', { A: 'x', B_2: 'y' }, 'here')).toBe('Bearer x-y $C {D}');
  });

  it('names an unset or empty variable and where it is used', () => {
    expect(() => expandEnv('${TOKEN}', { TOKEN: '' }, 'agent.headers.Authorization')).toThrow(
      /agent\.headers\.Authorization uses \$\{TOKEN\}, but the environment variable TOKEN is not set/,
    );
  });
});
