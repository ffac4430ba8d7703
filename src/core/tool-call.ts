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
    return {
      name,
      arguments: {},
      argumentsError: `arguments are not a JSON object: ${excerpt(JSON.stringify(value))}`,
    };
  }
  return { name, arguments: value as Record<string, unknown> };
}

/** The start of a text for an error message, with an ellipsis when it was cut. */
export function excerpt(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * The output russo returns for a call when a scenario lets the agent continue: the scenario's
 * mocked result for that tool as JSON, or an error object naming the missing mock, so the agent
 * is never left waiting and the transcript shows why.
 */
export function mockedToolOutput(name: string, toolResults: Record<string, unknown>): string {
  return Object.hasOwn(toolResults, name)
    ? JSON.stringify(toolResults[name] ?? null)
    : JSON.stringify({ error: missingMockMessage(name) });
}

/** What the agent is told when a scenario mocks no result for the tool it called. */
export function missingMockMessage(name: string): string {
  return `no result is mocked for ${name}: add it to the scenario's tool_results`;
}
