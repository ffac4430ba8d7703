import { describe, expect, it } from 'vitest';
import { minCostAssignment } from '../../src/evaluate/assignment.js';
import { editDistance, nearest } from '../../src/core/suggest.js';
import { longestCommonSubsequence } from '../../src/evaluate/subsequence.js';

/** A small deterministic generator (mulberry32), so random cases are the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The least total cost over every injective row → column map, by trying them all. */
function bruteForceMinCost(cost: number[][]): number {
  const columns = cost[0]?.length ?? 0;
  const search = (row: number, used: Set<number>): number => {
    if (row === cost.length) return 0;
    let best = Infinity;
    for (let column = 0; column < columns; column++) {
      if (used.has(column) || cost[row]![column] === Infinity) continue;
      used.add(column);
      best = Math.min(best, cost[row]![column]! + search(row + 1, used));
      used.delete(column);
    }
    return best;
  };
  return search(0, new Set());
}

function totalCost(cost: number[][], assignment: number[]): number {
  return assignment.reduce((sum, column, row) => sum + cost[row]![column]!, 0);
}

describe('minCostAssignment', () => {
  it('assigns nothing when there are no rows', () => {
    expect(minCostAssignment([])).toEqual([]);
  });

  it('assigns a single row to its cheapest column', () => {
    expect(minCostAssignment([[5, 2, 9]])).toEqual([1]);
  });

  it('gives up a locally cheapest column when the total is lower (not greedy)', () => {
    // Greedy row by row takes column 0 for row 0 (cost 1) and leaves row 1 with 100.
    const cost = [
      [1, 2],
      [1, 100],
    ];
    expect(minCostAssignment(cost)).toEqual([1, 0]);
  });

  it('never uses a forbidden (Infinity) pair', () => {
    const cost = [
      [Infinity, 5, 1],
      [2, Infinity, Infinity],
    ];
    expect(minCostAssignment(cost)).toEqual([2, 0]);
  });

  it('matches the brute-force optimum on random matrices, forbidden pairs included', () => {
    const next = random(42);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(next() * 4);
      const columns = rows + Math.floor(next() * 3);
      const cost = Array.from({ length: rows }, () =>
        Array.from({ length: columns }, () => (next() < 0.2 ? Infinity : Math.floor(next() * 10))),
      );
      const optimum = bruteForceMinCost(cost);
      if (optimum === Infinity) {
        expect(() => minCostAssignment(cost)).toThrow(RangeError);
        continue;
      }
      const assignment = minCostAssignment(cost);
      expect(new Set(assignment).size).toBe(rows);
      expect(totalCost(cost, assignment)).toBe(optimum);
    }
  });

  it('refuses more rows than columns, ragged rows, and matrices with no finite assignment', () => {
    expect(() => minCostAssignment([[1], [2]])).toThrow('cannot assign 2 rows to 1 columns');
    expect(() => minCostAssignment([[1, 2], [3]])).toThrow('same length');
    expect(() =>
      minCostAssignment([
        [1, Infinity],
        [2, Infinity],
      ]),
    ).toThrow('no assignment of finite cost');
  });
});

/** The most pairs with both indices increasing, by trying every subset of pairs. */
function bruteForceLcs(fit: boolean[][]): number {
  const search = (row: number, minColumn: number): number => {
    if (row === fit.length) return 0;
    let best = search(row + 1, minColumn);
    for (let column = minColumn; column < (fit[0]?.length ?? 0); column++) {
      if (fit[row]![column]) best = Math.max(best, 1 + search(row + 1, column + 1));
    }
    return best;
  };
  return search(0, 0);
}

describe('longestCommonSubsequence', () => {
  const equal = (a: string, b: string) => (row: number, column: number) => a[row] === b[column];

  it('is empty when a side is empty or nothing fits', () => {
    expect(longestCommonSubsequence(0, 3, () => true)).toEqual([]);
    expect(longestCommonSubsequence(3, 0, () => true)).toEqual([]);
    expect(longestCommonSubsequence(2, 2, () => false)).toEqual([]);
  });

  it('skips what does not fit, on both sides', () => {
    expect(longestCommonSubsequence(3, 5, equal('ABC', 'xAyBC'))).toEqual([
      [0, 1],
      [1, 3],
      [2, 4],
    ]);
  });

  it('keeps the longest subsequence, not the first pair found', () => {
    // Taking X first (the only X is last) would leave nothing for A and B.
    expect(longestCommonSubsequence(3, 3, equal('XAB', 'ABX'))).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });

  it('takes each pair as early as possible among equally long answers', () => {
    expect(longestCommonSubsequence(1, 3, equal('A', 'AAA'))).toEqual([[0, 0]]);
    expect(longestCommonSubsequence(2, 3, equal('AB', 'AAB'))).toEqual([
      [0, 0],
      [1, 2],
    ]);
  });

  it('finds as many pairs as brute force on random relations, each pair fitting and increasing', () => {
    const next = random(7);
    for (let trial = 0; trial < 300; trial++) {
      const rows = Math.floor(next() * 5);
      const columns = Math.floor(next() * 6);
      const fit = Array.from({ length: rows }, () => Array.from({ length: columns }, () => next() < 0.35));
      const pairs = longestCommonSubsequence(rows, columns, (row, column) => fit[row]![column]!);
      expect(pairs.length).toBe(bruteForceLcs(fit));
      pairs.forEach(([row, column], index) => {
        expect(fit[row]![column]).toBe(true);
        if (index > 0) {
          expect(row).toBeGreaterThan(pairs[index - 1]![0]);
          expect(column).toBeGreaterThan(pairs[index - 1]![1]);
        }
      });
    }
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['type', 'type', 0],
    ['tpye', 'type', 1],
    ['regexp', 'regex', 1],
    ['oneof', 'one_of', 1],
    ['ignorecase', 'ignore_case', 1],
    ['time', 'type', 2],
    ['age', 'any', 2],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('nearest', () => {
  it('finds the closest candidate within the distance, ignoring case', () => {
    expect(nearest('STRNG', ['string', 'number'], 2)).toBe('string');
    expect(nearest('integr', ['number', 'integer'], 2)).toBe('integer');
  });

  it('returns undefined when every candidate is too far', () => {
    expect(nearest('banana', ['string', 'number'], 2)).toBeUndefined();
  });
});
