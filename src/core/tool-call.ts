import type { ToolCall, ToolExchange, ToolOutcome, ToolResponder } from './types.js';

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
 * A responder for mocked results given per tool name (`{book_table: {confirmed: true}}`); a call to
 * a tool without one is told that no result is mocked, so the agent is never left waiting.
 */
export function respondWith(results: Readonly<Record<string, unknown>>): ToolResponder {
  return (call) =>
    Object.hasOwn(results, call.name)
      ? { result: results[call.name] }
      : { missing: missingMockMessage(call.name) };
}

/** Answers a call with `respond` and keeps the exchange for the run's record. */
export function answerCall(call: ToolCall, respond: ToolResponder): ToolExchange {
  return { call, outcome: respond(call) };
}

/**
 * The JSON text an agent's API gets back for an answered call: the mocked result, or an error
 * object (a mocked failure, or the message that no result is mocked) so the transcript shows why.
 */
export function toolOutput(outcome: ToolOutcome): string {
  if ('result' in outcome) return JSON.stringify(outcome.result ?? null);
  return JSON.stringify({ error: 'error' in outcome ? outcome.error : outcome.missing });
}

/** What the agent is told when a scenario mocks no result for the tool it called. */
export function missingMockMessage(name: string): string {
  return `no result is mocked for ${name}: add it to the scenario's tool_results`;
}
