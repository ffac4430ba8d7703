import type { MatchOptions } from '../core/types.js';

// A module of its own, not evaluator.ts: reading a config fills in these defaults, and must not load
// the evaluator (its matchers and pairing) before the synthesizer's engine starts (suite/load.ts).

/**
 * Calls in any order, calls nobody expected fail the run, actual arguments may carry more keys than
 * expected, and arguments are checked against the tools' schemas when the evaluator has them.
 */
export const DEFAULT_MATCH_OPTIONS: MatchOptions = Object.freeze({
  order: 'any',
  extraCalls: 'fail',
  arguments: 'subset',
  validateArguments: true,
});
