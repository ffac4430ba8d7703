import type { FunctionCall, FunctionDeclaration, FunctionResponse, Schema, Type } from '@google/genai';
import type { ToolDefinition, ToolOutcome } from '../../core/types.js';

/**
 * What russo answered a call with, as a Gemini function response: the mocked result (`{output}`),
 * or an error (`{error}`: a mocked failure, or the message that no result is mocked), so that the
 * model is never left waiting.
 */
export function functionResponse(call: FunctionCall, outcome: ToolOutcome): FunctionResponse {
  return {
    ...(call.id === undefined ? {} : { id: call.id }),
    name: call.name ?? '',
    response:
      'result' in outcome
        ? { output: outcome.result }
        : { error: 'error' in outcome ? outcome.error : outcome.missing },
  };
}

/**
 * Tool definitions as Gemini function declarations. `generateContent` takes the JSON Schema as it
 * is (`parametersJsonSchema`); the Live API ignores that field (the model then calls with empty
 * arguments), so Live gets the schema converted to Gemini's OpenAPI subset (`parameters`).
 */
export function functionDeclarations(
  tools: readonly ToolDefinition[],
  api: 'generate' | 'live',
): FunctionDeclaration[] {
  return tools.map((tool) => ({
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    ...(tool.parameters === undefined
      ? {}
      : api === 'generate'
        ? { parametersJsonSchema: tool.parameters }
        : { parameters: toGeminiSchema(tool.parameters) }),
  }));
}

// The values of the SDK's `Type` enum, written out: the SDK is loaded only when a call is made.
const TYPES: Readonly<Record<string, Type>> = {
  string: 'STRING' as Type,
  number: 'NUMBER' as Type,
  integer: 'INTEGER' as Type,
  boolean: 'BOOLEAN' as Type,
  array: 'ARRAY' as Type,
  object: 'OBJECT' as Type,
  null: 'NULL' as Type,
};
const COPIED = [
  'description',
  'format',
  'title',
  'pattern',
  'minimum',
  'maximum',
  'default',
  'example',
] as const;
const COUNTS = ['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties'] as const;

/**
 * A JSON Schema in Gemini's OpenAPI subset: upper-case types, `nullable` for a `null` type,
 * `const` and string `enum`s as enums, `oneOf` as `anyOf`; keywords it lacks (`additionalProperties`,
 * `$schema`, ...) are left out, and a non-string enum is written into the description.
 */
export function toGeminiSchema(json: Record<string, unknown>): Schema {
  const schema: Schema = {};
  const types = (
    Array.isArray(json.type) ? json.type : json.type === undefined ? [] : [json.type]
  ) as string[];
  const real = types.filter((type) => type !== 'null');
  if (types.includes('null') && real.length > 0) schema.nullable = true;
  if (real.length === 1) schema.type = TYPES[real[0] as string];
  else if (real.length > 1) schema.anyOf = real.map((type) => ({ type: TYPES[type] as Type }));
  for (const key of COPIED) if (json[key] !== undefined) (schema as Record<string, unknown>)[key] = json[key];
  for (const key of COUNTS) if (typeof json[key] === 'number') schema[key] = String(json[key]);
  const values = Array.isArray(json.enum) ? json.enum : json.const !== undefined ? [json.const] : undefined;
  if (values?.every((value) => typeof value === 'string')) {
    schema.enum = values;
    schema.type ??= TYPES.string;
  } else if (values !== undefined) {
    schema.description = [
      schema.description,
      `One of: ${values.map((value) => JSON.stringify(value)).join(', ')}.`,
    ]
      .filter(Boolean)
      .join(' ');
  }
  if (isObject(json.properties)) {
    schema.properties = Object.fromEntries(
      Object.entries(json.properties).map(([name, property]) => [name, toGeminiSchema(asObject(property))]),
    );
  }
  if (Array.isArray(json.required))
    schema.required = json.required.filter((name) => typeof name === 'string');
  if (isObject(json.items)) schema.items = toGeminiSchema(json.items);
  const alternatives = json.anyOf ?? json.oneOf;
  if (Array.isArray(alternatives)) schema.anyOf = alternatives.map((item) => toGeminiSchema(asObject(item)));
  return schema;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}
