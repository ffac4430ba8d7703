/** Failures as data: one CallFailure per reason a run failed, with a one-line message, worst first. */
import type { CallFailure, CallMatch, ExpectedCall, SchemaError, ToolCall } from '../core/types.js';
import { formatCall, formatDiff, formatSchemaError } from './format.js';

/**
 * Failure kinds from worst to mildest: a forbidden call can do harm, a call where none was wanted
 * breaks the "do nothing" contract, a call its tool would reject (invalid arguments) is an action that
 * fails or misfires, a missing call is an action not taken, wrong arguments are the right action done
 * wrong, out of order is the right calls in the wrong sequence, a reply that says the wrong thing
 * misleads the caller without acting, an extra call is noise.
 */
export const FAILURE_RANKING: readonly CallFailure['kind'][] = [
  'forbidden',
  'unexpected_call',
  'invalid_arguments',
  'missing',
  'wrong_arguments',
  'out_of_order',
  'reply',
  'extra',
];

/** Diffs shown in a message; the rest are counted. The failure's `diffs` always hold them all. */
const DIFFS_IN_MESSAGE = 3;

/** Sorts failures by FAILURE_RANKING, then by expected call; calls of one kind keep the order they came in. */
export function rankFailures(failures: CallFailure[]): CallFailure[] {
  const rank = (failure: CallFailure) => FAILURE_RANKING.indexOf(failure.kind);
  return [...failures].sort((a, b) => rank(a) - rank(b) || (a.index ?? 0) - (b.index ?? 0));
}

/** An expected call that did not match. */
export type UnmatchedCall = CallMatch & { status: Exclude<CallMatch['status'], 'matched'> };

/** The failure of an expected call that did not match; `described` is its arguments as describeSpec shows them. */
export function expectedCallFailure(
  match: UnmatchedCall,
  context: { expected: readonly ExpectedCall[]; actualCount: number; described?: string },
): CallFailure {
  const { index, expected, actual, diffs } = match;
  const base = { index, expected, diffs, ...(actual ? { actual } : {}) };
  switch (match.status) {
    case 'missing':
      return { ...base, kind: 'missing', message: `missing call ${expected.name}${context.described ?? ''}` };
    case 'wrong_arguments':
      return { ...base, kind: 'wrong_arguments', message: `${expected.name}: ${describeDiffs(match)}` };
    case 'out_of_order':
      return {
        ...base,
        kind: 'out_of_order',
        message:
          `${expected.name} called out of order (call ${(match.actualIndex ?? 0) + 1} of ${context.actualCount}, ` +
          `expected ${neighbour(context.expected, index)})`,
      };
  }
}

function describeDiffs(match: UnmatchedCall): string {
  if (match.actual?.argumentsError !== undefined) return match.actual.argumentsError;
  return firstFew(match.diffs.map(formatDiff));
}

/** The first DIFFS_IN_MESSAGE phrases joined, and how many more there are. */
function firstFew(phrases: string[]): string {
  const shown = phrases.slice(0, DIFFS_IN_MESSAGE);
  const hidden = phrases.length - shown.length;
  return [...shown, ...(hidden > 0 ? [`${hidden} more`] : [])].join('; ');
}

/**
 * The failure of a call whose arguments break its tool's JSON Schema. When an expected call was paired
 * with it, the failure belongs to that expectation (reports then show them together).
 */
export function invalidArgumentsFailure(
  call: ToolCall,
  errors: SchemaError[],
  pairedWith?: Pick<CallMatch, 'index' | 'expected'>,
): CallFailure {
  return {
    kind: 'invalid_arguments',
    ...(pairedWith ? { index: pairedWith.index, expected: pairedWith.expected } : {}),
    actual: call,
    diffs: [],
    schemaErrors: errors,
    message: `invalid arguments for ${call.name}: ${firstFew(errors.map(formatSchemaError))}`,
  };
}

/** Where an expected call belongs: after the expected call before it, or before the next one. */
function neighbour(expected: readonly ExpectedCall[], index: number): string {
  const before = expected[index - 1];
  return before ? `after ${before.name}` : `before ${expected[index + 1]?.name ?? 'the other calls'}`;
}

/** The failure of an actual call that no expectation explains. */
export function callFailure(kind: 'forbidden' | 'unexpected_call' | 'extra', call: ToolCall): CallFailure {
  const messages = {
    forbidden: `forbidden call ${formatCall(call)}`,
    unexpected_call: `unexpected call ${formatCall(call)}: no call was expected`,
    extra: `extra call ${formatCall(call)}`,
  };
  return { kind, actual: call, diffs: [], message: messages[kind] };
}
