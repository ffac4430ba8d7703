/**
 * Which actual call answers which expected call. Both orders work on a comparison that gives the
 * argument diffs of an (expected, actual) pair, or undefined when the tool names differ.
 */
import type { ArgumentDiff } from '../core/types.js';
import { minCostAssignment } from './assignment.js';
import { longestCommonSubsequence } from './subsequence.js';

/** Diffs of expected call `expected` against actual call `actual`; undefined when the names differ. */
export type Comparison = (expected: number, actual: number) => ArgumentDiff[] | undefined;

/** The outcome for one expected call. */
export interface Pair {
  expected: number;
  /** The fitting call, or the closest call of the same name; absent when none was left. */
  actual?: number;
  diffs: ArgumentDiff[];
  /** True when the actual call fits but came out of the required order. */
  outOfOrder?: boolean;
}

/**
 * Pairs calls in any order by an optimal assignment: first the most calls that fit, then for the
 * expected calls left, a same-name call each where one is left, with the fewest diffs in total.
 * The outcome depends only on the calls, never on the order the agent made them in.
 */
export function pairAnyOrder(
  expected: readonly number[],
  actual: readonly number[],
  compare: Comparison,
  unreadable: (actual: number) => boolean,
): Pair[] {
  const diffs = expected.map((e) => actual.map((a) => compare(e, a)));
  let mostDiffs = 0;
  diffs.forEach((row) =>
    row.forEach((pair, column) => {
      if (pair && !unreadable(actual[column]!)) mostDiffs = Math.max(mostDiffs, pair.length);
    }),
  );
  // Costs in three tiers, each worth more than everything below it can add up to: a call that does
  // not fit, then a call left without any partner, then one diff (unreadable arguments count as the most).
  const unreadableDiffs = mostDiffs + 1;
  const unpairedCost = expected.length * unreadableDiffs + 1;
  const notFittingCost = expected.length * unpairedCost + 1;
  const cost = diffs.map((row) => [
    ...row.map((pair, column) => {
      if (pair === undefined) return Infinity;
      if (pair.length === 0) return 0;
      return notFittingCost + (unreadable(actual[column]!) ? unreadableDiffs : pair.length);
    }),
    // One "no partner" column per expected call, so that every expected call can stay unpaired.
    ...expected.map(() => notFittingCost + unpairedCost),
  ]);
  return minCostAssignment(cost).map((column, row) => {
    const pair = diffs[row]![column];
    return column < actual.length && pair
      ? { expected: expected[row]!, actual: actual[column]!, diffs: pair }
      : { expected: expected[row]!, diffs: [] };
  });
}

/**
 * Pairs calls that must come in order: the longest subsequence of actual calls that fit the expected
 * calls in order is matched; the expected calls left are paired with the unused calls in any order,
 * where a call that fits is out of order, one of the same name has wrong arguments.
 */
export function pairInOrder(
  expected: readonly number[],
  actual: readonly number[],
  compare: Comparison,
  unreadable: (actual: number) => boolean,
): Pair[] {
  const inOrder = longestCommonSubsequence(
    expected.length,
    actual.length,
    (row, column) => compare(expected[row]!, actual[column]!)?.length === 0,
  );
  const used = new Set(inOrder.map(([, column]) => actual[column]!));
  const matchedRows = new Set(inOrder.map(([row]) => row));
  const rest = pairAnyOrder(
    expected.filter((_, row) => !matchedRows.has(row)),
    actual.filter((call) => !used.has(call)),
    compare,
    unreadable,
  ).map((pair) =>
    pair.actual !== undefined && pair.diffs.length === 0 ? { ...pair, outOfOrder: true } : pair,
  );
  const pairs: Pair[] = inOrder.map(([row, column]) => ({
    expected: expected[row]!,
    actual: actual[column]!,
    diffs: [],
  }));
  return [...pairs, ...rest].sort((a, b) => a.expected - b.expected);
}
