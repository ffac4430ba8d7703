import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ToolCall, ToolDefinition } from '../../src/core/types.js';
import {
  checkAgainstToolSchema,
  evaluate,
  formatSchemaError,
  ToolCallEvaluator,
  toFragmentPointer,
  ToolSchemas,
} from '../../src/evaluate/index.js';

/** The repository's own tools file: what `npx russo run` validates calls against. */
const RESTAURANT = JSON.parse(readFileSync('tools/restaurant.json', 'utf8')) as ToolDefinition[];
const restaurant = new ToolSchemas(RESTAURANT);

const call = (name: string, args: Record<string, unknown>): ToolCall => ({ name, arguments: args });

describe('ToolSchemas.of', () => {
  it('compiles a list of tools once: loading a suite and running it share the schemas', () => {
    const tools = structuredClone(RESTAURANT);
    const schemas = ToolSchemas.of(tools);
    expect(ToolSchemas.of(tools)).toBe(schemas);
    expect(schemas.names).toEqual(RESTAURANT.map((tool) => tool.name));
    expect(ToolSchemas.of(structuredClone(RESTAURANT))).not.toBe(schemas);
  });
});

describe('ToolSchemas.validate', () => {
  it('accepts a call that fits its schema', () => {
    expect(restaurant.validate('book_table', { party_size: 2, time: '19:00' })).toEqual([]);
  });

  it('says what is wrong, where, and what came, as readable phrases', () => {
    const errors = restaurant.validate('book_table', { party_size: 'two', time: '7pm', notes: 'window' });
    expect(errors?.map(formatSchemaError)).toEqual([
      'notes is not a parameter of the tool (its schema allows no other keys)',
      'party_size must be integer, got "two"',
      'time must match pattern "^([01][0-9]|2[0-3]):[0-5][0-9]$", got "7pm"',
    ]);
    expect(restaurant.validate('book_table', { party_size: 0 })?.map(formatSchemaError)).toEqual([
      'time is required',
      'party_size must be >= 1, got 0',
    ]);
  });

  it('knows nothing of tools that are not in the file, or that have no parameters', () => {
    const schemas = new ToolSchemas([{ name: 'end_call' }]);
    expect(restaurant.validate('send_email', { to: 1 })).toBeUndefined();
    expect(schemas.validate('end_call', { anything: true })).toBeUndefined();
    expect(schemas.names).toEqual(['end_call']);
  });

  it('follows $ref, shows paths into nested values, and lists enum values', () => {
    const schemas = new ToolSchemas([
      {
        name: 'order',
        parameters: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          $defs: {
            item: {
              type: 'object',
              properties: { dish: { enum: ['soup', 'salad'] }, count: { type: 'integer' } },
            },
          },
          properties: { items: { type: 'array', items: { $ref: '#/$defs/item' } } },
        },
      },
    ]);
    expect(schemas.invalid).toEqual([]);
    const errors = schemas.validate('order', { items: [{ dish: 'soup' }, { dish: 'soop', count: 1.5 }] });
    expect(errors).toEqual([
      { path: 'items[1].dish', message: 'must be one of "soup", "salad", got "soop"' },
      { path: 'items[1].count', message: 'must be integer, got 1.5' },
    ]);
  });

  it('lists tools whose schema cannot be compiled, or whose name is used twice, and never validates them', () => {
    const schemas = new ToolSchemas([
      { name: 'broken', parameters: { type: 'object', properties: { a: { type: 'text' } } } },
      { name: 'dangling', parameters: { $ref: '#/definitions/missing' } },
      { name: 'twice', parameters: { type: 'object' } },
      { name: 'twice', parameters: { type: 'string' } },
    ]);
    expect(schemas.invalid.map((tool) => tool.name)).toEqual(['broken', 'dangling', 'twice']);
    expect(schemas.invalid[0]?.message).toMatch(/^has a schema ajv cannot compile: schema is invalid/);
    expect(schemas.invalid[2]?.message).toBe('is defined more than once');
    expect(schemas.validate('broken', { a: 1 })).toBeUndefined();
    // The first definition of a name is the one used.
    expect(schemas.validate('twice', {})).toEqual([]);
  });

  it('validates a part of a schema by its JSON Pointer', () => {
    const pointer = toFragmentPointer(['properties', 'party_size']);
    expect(pointer).toBe('/properties/party_size');
    expect(restaurant.validateAt('book_table', pointer, 13)).toEqual([
      { path: [], message: 'must be <= 12, got 13', keyword: 'maximum' },
    ]);
    expect(toFragmentPointer(['properties', 'a/b~c d'])).toBe('/properties/a~1b~0c%20d');
  });
});

describe('evaluate with an arguments validator', () => {
  const expected = [{ name: 'book_table', arguments: { party_size: 2 } }];

  it('fails a run whose call breaks the schema with invalid_arguments, listing the schema errors', () => {
    const result = evaluate(expected, [call('book_table', { party_size: 'two', time: '19:00' })], {
      argumentsValidator: restaurant,
    });
    expect(result.passed).toBe(false);
    expect(result.failures.map((failure) => failure.kind)).toEqual(['invalid_arguments', 'wrong_arguments']);
    expect(result.failures[0]).toEqual({
      kind: 'invalid_arguments',
      index: 0,
      expected: expected[0],
      actual: call('book_table', { party_size: 'two', time: '19:00' }),
      diffs: [],
      schemaErrors: [{ path: 'party_size', message: 'must be integer, got "two"' }],
      message: 'invalid arguments for book_table: party_size must be integer, got "two"',
    });
  });

  it('fails a call that matches the expectation but breaks the schema', () => {
    const actual = [call('book_table', { party_size: 2, time: '19:00', notes: 'window' })];
    const result = evaluate(expected, actual, { argumentsValidator: restaurant });
    expect(result.calls[0]?.status).toBe('matched');
    expect(result.passed).toBe(false);
    expect(result.failures.map((failure) => failure.message)).toEqual([
      'invalid arguments for book_table: notes is not a parameter of the tool (its schema allows no other keys)',
    ]);
    // Without the validator, the same calls pass: subset arguments allow the extra key.
    expect(evaluate(expected, actual).passed).toBe(true);
  });

  it('names the first three errors in the message and counts the rest; the failure keeps them all', () => {
    const schemas = new ToolSchemas([
      {
        name: 'f',
        parameters: {
          type: 'object',
          properties: {
            a: { type: 'string' },
            b: { type: 'string' },
            c: { type: 'string' },
            d: { type: 'string' },
          },
        },
      },
    ]);
    const result = evaluate([], [call('f', { a: 1, b: 2, c: 3, d: 4 })], { argumentsValidator: schemas });
    const failure = result.failures.find((found) => found.kind === 'invalid_arguments');
    expect(failure?.message).toBe(
      'invalid arguments for f: a must be string, got 1; b must be string, got 2; c must be string, got 3; 1 more',
    );
    expect(failure?.schemaErrors).toHaveLength(4);
    expect(failure?.index).toBeUndefined();
  });

  it('ranks invalid_arguments after forbidden and unexpected_call, before missing', () => {
    const result = evaluate(
      [{ name: 'get_opening_hours' }],
      [call('book_table', { party_size: 'two', time: '19:00' }), call('cancel_reservation', {})],
      { argumentsValidator: restaurant, forbid: ['cancel_reservation'] },
    );
    expect(result.failures.map((failure) => failure.kind)).toEqual([
      'forbidden',
      'invalid_arguments',
      'missing',
      'extra',
    ]);
  });

  it('also validates calls when no call was expected', () => {
    const result = evaluate([], [call('book_table', { party_size: 'two', time: '19:00' })], {
      argumentsValidator: restaurant,
    });
    expect(result.failures.map((failure) => failure.kind)).toEqual(['unexpected_call', 'invalid_arguments']);
  });

  it('leaves a call to a tool not in the file to the extra_calls rule', () => {
    const actual = [call('book_table', { party_size: 2, time: '19:00' }), call('send_email', { to: 5 })];
    const failing = evaluate(expected, actual, { argumentsValidator: restaurant });
    expect(failing.failures.map((failure) => failure.kind)).toEqual(['extra']);
    expect(evaluate(expected, actual, { argumentsValidator: restaurant, extraCalls: 'allow' }).passed).toBe(
      true,
    );
  });

  it('does not validate unreadable arguments: they already fail as such', () => {
    const broken: ToolCall = {
      name: 'book_table',
      arguments: {},
      argumentsError: 'arguments are not valid JSON',
    };
    const result = evaluate(expected, [broken], { argumentsValidator: restaurant });
    expect(result.failures.map((failure) => failure.kind)).toEqual(['wrong_arguments']);
  });

  it('validates nothing with validateArguments: false', () => {
    const evaluator = new ToolCallEvaluator({ validateArguments: false, argumentsValidator: restaurant });
    const result = evaluator.evaluate(expected, [call('book_table', { party_size: 2, notes: 'window' })]);
    expect(result.passed).toBe(true);
    expect(() => new ToolCallEvaluator({ validateArguments: 'no' as unknown as boolean })).toThrow(
      'validateArguments must be one of true, false, got "no"',
    );
  });
});

describe('checkAgainstToolSchema (expected arguments at load)', () => {
  const check = (tool: string, args: Record<string, unknown>, schemas = restaurant) =>
    checkAgainstToolSchema(tool, args, schemas, 'tools/restaurant.json').map(({ path, message, atKey }) => ({
      path,
      message,
      ...(atKey ? { atKey } : {}),
    }));

  it('accepts values and matchers the schema allows, and leaves required arguments to the run', () => {
    expect(check('book_table', { party_size: 2, time: { regex: '^19' } })).toEqual([]);
    expect(check('book_table', { party_size: { one_of: [2, 3] }, day: { ignore_case: 'Sunday' } })).toEqual(
      [],
    );
    expect(check('book_table', { party_size: { approx: 4, tolerance: 1 }, time: { any: true } })).toEqual([]);
    expect(check('book_table', { party_size: { type: 'number' }, day: { equals: 'today' } })).toEqual([]);
  });

  it('refuses a plain value of the wrong type or out of range', () => {
    expect(check('book_table', { party_size: 'two', time: '7pm' })).toEqual([
      { path: ['party_size'], message: 'party_size must be integer, got "two" (tools/restaurant.json)' },
      {
        path: ['time'],
        message:
          'time must match pattern "^([01][0-9]|2[0-3]):[0-5][0-9]$", got "7pm" (tools/restaurant.json)',
      },
    ]);
    expect(check('book_table', { party_size: 20 })).toEqual([
      { path: ['party_size'], message: 'party_size must be <= 12, got 20 (tools/restaurant.json)' },
    ]);
  });

  it('refuses an argument name the schema does not have, with the nearest name', () => {
    const problems = checkAgainstToolSchema(
      'book_table',
      { party_sise: 2 },
      restaurant,
      'tools/restaurant.json',
    );
    expect(problems).toEqual([
      {
        path: ['party_sise'],
        atKey: true,
        message: 'party_sise is not a parameter in tools/restaurant.json',
        hint: 'did you mean "party_size"?',
      },
    ]);
  });

  it('treats properties as the full list unless the schema welcomes other keys', () => {
    const open = (additionalProperties?: unknown) =>
      new ToolSchemas([
        {
          name: 'f',
          parameters: {
            type: 'object',
            properties: { a: { type: 'string' } },
            ...(additionalProperties === undefined ? {} : { additionalProperties }),
            patternProperties: { '^x_': { type: 'integer' } },
          },
        },
      ]);
    expect(check('f', { b: 1 }, open())).toEqual([
      { path: ['b'], atKey: true, message: 'b is not a parameter in tools/restaurant.json' },
    ]);
    expect(check('f', { b: 1 }, open(true))).toEqual([]);
    expect(check('f', { b: 1 }, open({ type: 'string' }))).toEqual([
      { path: ['b'], message: 'b must be string, got 1 (tools/restaurant.json)' },
    ]);
    expect(check('f', { x_1: 'one' }, open())).toEqual([
      { path: ['x_1'], message: 'x_1 must be integer, got "one" (tools/restaurant.json)' },
    ]);
  });

  it('refuses matchers that can never match a value of the property type', () => {
    expect(
      check('book_table', {
        party_size: { regex: '^2$' },
        time: { approx: 19, tolerance: 1 },
        day: { type: 'integer' },
      }),
    ).toEqual([
      {
        path: ['party_size'],
        message: 'party_size: {regex} matches only strings, but tools/restaurant.json says integer',
      },
      {
        path: ['time'],
        message: 'time: {approx} matches only numbers, but tools/restaurant.json says string',
      },
      { path: ['day'], message: 'day: {type: integer} can never match: tools/restaurant.json says string' },
    ]);
    expect(check('book_table', { party_size: { one_of: [2, 'three'] }, day: { equals: 3 } })).toEqual([
      {
        path: ['party_size', 'one_of', 1],
        message: 'party_size.one_of[1] must be integer, got "three" (tools/restaurant.json)',
      },
      { path: ['day', 'equals'], message: 'day.equals must be string, got 3 (tools/restaurant.json)' },
    ]);
  });

  it('checks nested objects and lists through $ref, and a regex or ignore_case against an enum', () => {
    const schemas = new ToolSchemas([
      {
        name: 'order',
        parameters: {
          type: 'object',
          definitions: {
            item: {
              type: 'object',
              properties: { dish: { type: 'string', enum: ['soup', 'salad'] }, count: { type: 'integer' } },
              additionalProperties: false,
            },
          },
          properties: {
            items: { type: 'array', items: { $ref: '#/definitions/item' } },
            note: { type: 'string' },
          },
        },
      },
    ]);
    expect(
      check(
        'order',
        {
          items: [
            { dish: { ignore_case: 'SOOP' }, cuont: 1 },
            { dish: { regex: '^sal' }, count: '2' },
          ],
          note: { kind: { regex: 'x' } },
        },
        schemas,
      ),
    ).toEqual([
      {
        path: ['items', 0, 'dish', 'ignore_case'],
        message:
          'items[0].dish: {ignore_case: "SOOP"} matches none of the values tools/restaurant.json allows: "soup", "salad"',
      },
      {
        path: ['items', 0, 'cuont'],
        atKey: true,
        message: 'cuont is not a key of items[0] in tools/restaurant.json',
      },
      {
        path: ['items', 1, 'count'],
        message: 'items[1].count must be integer, got "2" (tools/restaurant.json)',
      },
      { path: ['note'], message: 'note must be string, got an object (tools/restaurant.json)' },
    ]);
  });

  it('never reads the arguments object as a matcher, and says nothing where the schema does not tell', () => {
    const schemas = new ToolSchemas([
      { name: 'ship', parameters: { type: 'object', properties: { type: { type: 'string' } } } },
      { name: 'either', parameters: { anyOf: [{ type: 'object' }] } },
    ]);
    expect(check('ship', { type: 'integer' }, schemas)).toEqual([]);
    expect(check('ship', { type: 3 }, schemas)).toEqual([
      { path: ['type'], message: 'type must be string, got 3 (tools/restaurant.json)' },
    ]);
    expect(check('either', { a: { regex: 'x' } }, schemas)).toEqual([]);
    expect(check('unknown_tool', { a: 1 })).toEqual([]);
  });
});
