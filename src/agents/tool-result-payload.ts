import type { ToolExchange } from '../core/types.js';

/** Names of the keys of a tool result as a conversation sends it back (`http`, `websocket`). */
export interface ToolResultFields {
  id: string;
  name: string;
  arguments: string;
  result: string;
  error: string;
}

/** `{id, name, arguments, result}`, or `error` in place of `result`. */
export const DEFAULT_TOOL_RESULT_FIELDS: ToolResultFields = {
  id: 'id',
  name: 'name',
  arguments: 'arguments',
  result: 'result',
  error: 'error',
};

/** The key names of a tool result: `names`, and the defaults for the ones it leaves out. */
export function toolResultFields(names: Partial<ToolResultFields> = {}): ToolResultFields {
  return { ...DEFAULT_TOOL_RESULT_FIELDS, ...names };
}

/**
 * One answered call as JSON, with `extra` fields (constants such as a message type) first: the
 * call's id when it had one, its name and arguments, and the mocked result as a JSON value, or the
 * error (a mocked failure, or the message that no result is mocked, so the agent can say why).
 */
export function toolResultPayload(
  { call, outcome }: ToolExchange,
  id: unknown,
  fields: ToolResultFields,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ...extra,
    ...(id === undefined ? {} : { [fields.id]: id }),
    [fields.name]: call.name,
    [fields.arguments]: call.arguments,
    ...('result' in outcome
      ? { [fields.result]: outcome.result ?? null }
      : { [fields.error]: 'error' in outcome ? outcome.error : outcome.missing }),
  };
}
