import { AgentError } from '../core/errors.js';
import { excerpt, normalizeToolCall } from '../core/tool-call.js';
import type { ToolCall } from '../core/types.js';

/** Where the tool calls sit in a JSON document, and which keys of each call hold its name and arguments. */
export interface ToolCallLocation {
  /**
   * Dotted path to the array of calls (or to one call object), e.g. `result.tool_calls` or
   * `choices[0].message.tool_calls`; the empty string is the document itself.
   */
  path: string;
  /** Dotted path of the name inside a call, e.g. `name` or `function.name`. */
  nameKey: string;
  /** Dotted path of the arguments inside a call (an object, or a JSON string that is parsed). */
  argumentsKey: string;
  /**
   * Dotted path of a call's id inside a call (default `id`): a conversation's tool result carries
   * it back, so the agent can tell which call it answers. A call need not have one.
   */
  idKey?: string;
}

/** The shape `{"tool_calls": [{"name": ..., "arguments": {...}}]}` of the command-agent protocol. */
export const DEFAULT_TOOL_CALL_LOCATION: ToolCallLocation = {
  path: 'tool_calls',
  nameKey: 'name',
  argumentsKey: 'arguments',
};

type PathStep = string | number;

const PATH_HINT = 'write a path like `result.tool_calls` or `choices[0].message.tool_calls`';

/**
 * Splits a dotted path into its steps: `a.b[0].c` and `a.b.0.c` both give `['a', 'b', 0, 'c']`.
 * Throws an AgentError naming the path when it is malformed.
 */
export function parsePath(path: string): PathStep[] {
  if (path === '') return [];
  const steps: PathStep[] = [];
  for (const segment of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(segment);
    if (!match || (match[1] === '' && match[2] === '')) {
      throw new AgentError(
        `malformed path "${path}": the segment "${segment}" is not a key or a [index]`,
        PATH_HINT,
      );
    }
    const key = match[1] as string;
    if (key !== '') steps.push(/^\d+$/.test(key) ? Number(key) : key);
    for (const index of (match[2] as string).matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  return steps;
}

/** The value at `path` in `document`, or `{found: false}` when a step is missing. */
export function readPath(
  document: unknown,
  path: string | PathStep[],
): { found: true; value: unknown } | { found: false } {
  let value = document;
  for (const step of typeof path === 'string' ? parsePath(path) : path) {
    if (typeof step === 'number' && Array.isArray(value) && step < value.length) value = value[step];
    else if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.hasOwn(value, step)
    ) {
      value = (value as Record<string, unknown>)[step];
    } else return { found: false };
  }
  return { found: true, value };
}

/**
 * The location with the defaults where `overrides` names nothing, its three paths checked once so
 * that a typo fails when the agent is built, not on every run.
 */
export function toolCallLocation(overrides: Partial<ToolCallLocation> = {}): ToolCallLocation {
  const location = { ...DEFAULT_TOOL_CALL_LOCATION, ...overrides };
  parsePath(location.path);
  if (location.nameKey === '') throw new AgentError('the name key of tool calls is empty', PATH_HINT);
  parsePath(location.nameKey);
  parsePath(location.argumentsKey);
  parsePath(location.idKey ?? 'id');
  return location;
}

/**
 * The tool calls at `location.path` in a parsed JSON document, or `undefined` when the path is
 * absent. The value there may be an array of calls, one call object, or null (no calls).
 * Arguments given as a JSON string are parsed. A call without a string name is an AgentError.
 */
export function extractToolCalls(document: unknown, location: ToolCallLocation): ToolCall[] | undefined {
  return extractIdentifiedCalls(document, location)?.map(({ call }) => call);
}

/** A call as `extractIdentifiedCalls` reads it: the call, and its id when it has one (any JSON value). */
export interface IdentifiedCall {
  call: ToolCall;
  id?: unknown;
}

/** As `extractToolCalls`, with each call's id (at `location.idKey`) when it has one. */
export function extractIdentifiedCalls(
  document: unknown,
  location: ToolCallLocation,
): IdentifiedCall[] | undefined {
  const found = readPath(document, location.path);
  if (!found.found) return undefined;
  const { value } = found;
  if (value === null) return [];
  const where = location.path === '' ? 'the document' : `\`${location.path}\``;
  if (typeof value !== 'object') {
    throw new AgentError(
      `${where} holds ${JSON.stringify(value)?.slice(0, 100)}, not a list of tool calls`,
      'point `tool_calls_path` at the array of calls in the response',
    );
  }
  const items: unknown[] = Array.isArray(value) ? value : [value];
  return items.map((item, index) => {
    const name = readPath(item, location.nameKey);
    if (!name.found || typeof name.value !== 'string' || name.value === '') {
      throw new AgentError(
        `tool call ${index + 1} at ${where} has no string "${location.nameKey}": ${excerpt(JSON.stringify(item) ?? 'undefined')}`,
        'set `name_key` (and `arguments_key`) to the keys your agent uses, e.g. `function.name`',
      );
    }
    const args = readPath(item, location.argumentsKey);
    const id = readPath(item, location.idKey ?? 'id');
    const call = normalizeToolCall(name.value, args.found ? args.value : undefined);
    return id.found && id.value !== null ? { call, id: id.value } : { call };
  });
}

/** The string at `path` in a document, if there is one (for transcripts and text replies). */
export function readString(document: unknown, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const found = readPath(document, path);
  return found.found && typeof found.value === 'string' ? found.value : undefined;
}
