/**
 * Readable expected and actual calls. The words are the evaluator's own (`describeSpec`, `formatValue`,
 * `formatDiff`), so a report reads like the failure messages it prints next to them.
 */
import type { ExpectedCall, ToolCall } from '../core/types.js';
import { describeSpec, formatCall as formatActualCall, formatValue } from '../evaluate/index.js';

export { formatDiff, formatSchemaError, formatValue } from '../evaluate/index.js';

/** A call as one line: `book_table({party_size: 3})`, or for an expected call its matchers in words. */
export function formatCall(call: ToolCall | ExpectedCall, kind: 'actual' | 'expected' = 'actual'): string {
  if (kind === 'actual') return formatActualCall(call as ToolCall);
  return call.arguments === undefined
    ? `${call.name}(any arguments)`
    : `${call.name}(${describeExpected(call.arguments)})`;
}

/** An expected value in words; a spec the evaluator cannot read (a hand-edited report) is shown as a value. */
function describeExpected(spec: unknown): string {
  try {
    return describeSpec(spec);
  } catch {
    return formatValue(spec);
  }
}
