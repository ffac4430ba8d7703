import { describe, expect, it } from 'vitest';
import { functionDeclarations, toGeminiSchema } from '../../../src/providers/gemini/tools.js';

describe('Gemini function declarations', () => {
  const tool = {
    name: 'book_table',
    description: 'Book a table',
    parameters: {
      type: 'object',
      properties: { n: { type: 'integer' } },
      required: ['n'],
      additionalProperties: false,
    },
  };

  it('passes the JSON Schema as it is to generateContent, and a converted schema to Live', () => {
    expect(functionDeclarations([tool], 'generate')).toEqual([
      { name: 'book_table', description: 'Book a table', parametersJsonSchema: tool.parameters },
    ]);
    expect(functionDeclarations([tool], 'live')).toEqual([
      {
        name: 'book_table',
        description: 'Book a table',
        parameters: { type: 'OBJECT', properties: { n: { type: 'INTEGER' } }, required: ['n'] },
      },
    ]);
    expect(functionDeclarations([{ name: 'hang_up' }], 'live')).toEqual([{ name: 'hang_up' }]);
  });

  it('converts the JSON Schema keywords Gemini knows, and drops or rewrites the others', () => {
    expect(
      toGeminiSchema({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: {
          time: { type: ['string', 'null'], pattern: '^\\d{2}:\\d{2}$', description: 'HH:MM' },
          seating: { enum: ['inside', 'terrace'] },
          kind: { const: 'dinner' },
          size: { type: 'integer', enum: [2, 4], minimum: 1 },
          guests: { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 8 },
          note: { oneOf: [{ type: 'string' }, { type: 'number' }] },
          either: { type: ['string', 'number'] },
        },
        additionalProperties: false,
      }),
    ).toEqual({
      type: 'OBJECT',
      properties: {
        time: { type: 'STRING', nullable: true, pattern: '^\\d{2}:\\d{2}$', description: 'HH:MM' },
        seating: { type: 'STRING', enum: ['inside', 'terrace'] },
        kind: { type: 'STRING', enum: ['dinner'] },
        size: { type: 'INTEGER', minimum: 1, description: 'One of: 2, 4.' },
        guests: { type: 'ARRAY', items: { type: 'STRING', minLength: '1' }, maxItems: '8' },
        note: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] },
        either: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] },
      },
    });
  });
});
