import type { ToolCall } from './types.js';

/**
 * Normalizes a tool call as a provider sent it: arguments given as a JSON string are parsed, and
 * arguments that are not a JSON object become `{}` with `argumentsError` saying why, so a malformed
 * call is graded as a failure instead of crashing the run.
 */
export function normalizeToolCall(name: string, rawArguments: unknown): ToolCall {
  if (rawArguments === undefined || rawArguments === null || rawArguments === '') {
    return { name, arguments: {} };
  }
  let value = rawArguments;
  if (typeof rawArguments === 'string') {
    try {
      value = JSON.parse(rawArguments);
    } catch (error) {
      return {
        name,
        arguments: {},
        argumentsError: `arguments are not valid JSON (${(error as Error).message}): ${excerpt(rawArguments)}`,
      };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { name, arguments: {}, argumentsError: `arguments are not a JSON object: ${excerpt(JSON.stringify(value))}` };
  }
  return { name, arguments: value as Record<string, unknown> };
}

function excerpt(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
