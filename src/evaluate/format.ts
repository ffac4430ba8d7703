import type { ArgumentDiff, SchemaError, ToolCall } from '../core/types.js';

/** One step of a path into an arguments object: a key or an array index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Default width of a formatted value: long enough for an argument, short enough for a one-line message. */
const DEFAULT_MAX_LENGTH = 120;

/**
 * Formats an actual value for people: strings quoted, object keys bare when they are identifiers
 * (`{party_size: 2, time: "19:00"}`), cut at `maxLength` characters with `…`.
 */
export function formatValue(value: unknown, maxLength = DEFAULT_MAX_LENGTH): string {
  const text = render(value);
  return text.length > maxLength ? `${text.slice(0, Math.max(0, maxLength - 1))}…` : text;
}

function render(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    return `{${entries.map(([key, item]) => `${formatKey(key)}: ${render(item)}`).join(', ')}}`;
  }
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

/** A key as written in a path or an object: bare when it is an identifier, else quoted. */
export function formatKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** Joins path segments the way code reads them: `guests[0].name`, `notes["first name"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** A call as one readable line: `book_table({party_size: 2})`, or the reason its arguments were unreadable. */
export function formatCall(call: ToolCall, maxLength = DEFAULT_MAX_LENGTH): string {
  if (call.argumentsError !== undefined) return `${call.name}(<invalid arguments>)`;
  return `${call.name}(${formatValue(call.arguments, maxLength)})`;
}

/**
 * One diff as a phrase: `party_size expected 2, got 3`, `time missing (expected matches /^19/)`,
 * `notes not expected (got "window")`. The empty path stands for the arguments object itself.
 */
export function formatDiff(diff: ArgumentDiff): string {
  const where = diff.path === '' ? 'arguments' : diff.path;
  switch (diff.kind) {
    case 'missing':
      return `${where} missing (expected ${diff.expected})`;
    case 'unexpected':
      return `${where} not expected (got ${formatValue(diff.actual)})`;
    case 'mismatch':
      return `${where} expected ${diff.expected}, got ${formatValue(diff.actual)}`;
  }
}

/** A schema error as one phrase: `party_size must be integer, got "two"`; the object itself is `arguments`. */
export function formatSchemaError(error: SchemaError): string {
  return `${error.path === '' ? 'arguments' : error.path} ${error.message}`;
}
