import { describe, expect, it } from 'vitest';
import {
  barnardTest,
  differenceInterval,
  normalQuantile,
  passHatK,
  runsToDetectDrop,
  scoreStatistic,
  type Proportion,
} from '../../src/core/significance.js';

const of = (passed: number, n: number): Proportion => ({ passed, n });

// ---- A second, naive implementation of Barnard's test, sharing nothing with the one under test ----

function choose(n: number, k: number): bigint {
  let result = 1n;
  for (let i = 0; i < k; i++) result = (result * BigInt(n - i)) / BigInt(i + 1);
  return result;
}

/** The squared score statistic of a table as an exact fraction [numerator, denominator], and its sign. */
function exactScore(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
): { square: [bigint, bigint]; sign: number } {
  const total = n1 + n2;
  const passes = x1 + x2;
  if (passes === 0 || passes === total) return { square: [0n, 1n], sign: 0 };
  const difference = BigInt(x1 * n2 - x2 * n1);
  // ((x1/n1 − x2/n2)² / (p(1−p)(1/n1 + 1/n2))) with p = passes/total, cleared of fractions.
  return {
    square: [difference * difference * BigInt(total), BigInt(n1 * n2 * passes * (total - passes))],
    sign: Math.sign(Number(difference)),
  };
}

/**
 * Every table enumerated, "as extreme" decided in exact rational arithmetic, the tail probability a
 * polynomial with exact integer coefficients, and its maximum over the nuisance rate taken on a fine
 * grid of [0, 1]: a lower bound of the true p-value within the grid's resolution.
 */
function naiveBarnard(c1: number, n1: number, c2: number, n2: number, gridPoints = 2000): number {
  const [on, od] = exactScore(c1, n1, c2, n2).square;
  if (on === 0n) return 1;
  const coefficients = new Array<bigint>(n1 + n2 + 1).fill(0n);
  for (let x1 = 0; x1 <= n1; x1++) {
    for (let x2 = 0; x2 <= n2; x2++) {
      const [tn, td] = exactScore(x1, n1, x2, n2).square;
      if (tn * od >= on * td) coefficients[x1 + x2]! += choose(n1, x1) * choose(n2, x2);
    }
  }
  let best = 0;
  for (let i = 1; i < gridPoints; i++) {
    const rate = i / gridPoints;
    let sum = 0;
    coefficients.forEach((count, passes) => {
      sum += Number(count) * rate ** passes * (1 - rate) ** (n1 + n2 - passes);
    });
    best = Math.max(best, sum);
  }
  return best;
}

describe('barnardTest', () => {
  // scipy.stats.barnard_exact(table, pooled=True, n=1024) 1.17.1, run on this machine, for the cases
  // where its sampler found the maximum (it searches the rate by sampling and local optimization).
  const SCIPY: Array<[number, number, number, number, number]> = [
    [10, 10, 7, 10, 0.08758790643984671],
    [20, 20, 15, 20, 0.016714744961063833],
    [5, 5, 1, 5, 0.021484375],
    [5, 5, 2, 5, 0.06184809034501908],
    [4, 5, 0, 5, 0.021484375],
    [1, 1, 0, 1, 0.5],
    [2, 2, 0, 2, 0.125],
    [12, 12, 8, 12, 0.03777899938483058],
    [8, 10, 3, 10, 0.0413894653320313],
    [56, 70, 48, 80, 0.008865192016971639],
    [1, 2, 0, 3, 0.375],
    [0, 1, 2, 2, 0.25],
    [19, 20, 12, 20, 0.009741435361987554],
    [45, 50, 38, 50, 0.0675340054453051],
    [30, 40, 18, 35, 0.039344903332649936],
  ];

  it.each(SCIPY)('%i/%i vs %i/%i matches scipy (p = %f)', (c1, n1, c2, n2, expected) => {
    expect(barnardTest(of(c1, n1), of(c2, n2))).toBeCloseTo(expected, 6);
  });

  it('finds the maximum where a sampling search misses it', () => {
    // scipy reports 0.00693 for 9/10 vs 3/10; the exact tail polynomial peaks at rate 1/2, where
    // the extreme tables weigh 8342 / 2^20.
    expect(barnardTest(of(9, 10), of(3, 10))).toBeCloseTo(8342 / 2 ** 20, 12);
    expect(naiveBarnard(9, 10, 3, 10)).toBeCloseTo(8342 / 2 ** 20, 12);
    // scipy: 0.068153; the exact polynomial reaches 0.068217 on a grid of 1/2000.
    expect(barnardTest(of(7, 15), of(12, 15))).toBeGreaterThanOrEqual(naiveBarnard(7, 15, 12, 15) - 1e-12);
  });

  it('agrees with exact enumeration on every table of small run counts, unequal ones included', () => {
    const sizes = [1, 2, 3, 5, 8];
    let compared = 0;
    for (const n1 of sizes) {
      for (const n2 of sizes) {
        for (let c1 = 0; c1 <= n1; c1++) {
          for (let c2 = 0; c2 <= n2; c2++) {
            const exact = naiveBarnard(c1, n1, c2, n2);
            const p = barnardTest(of(c1, n1), of(c2, n2));
            // The maximum is found at least as high as the grid's, and no higher than the grid's
            // resolution allows.
            expect(p, `${c1}/${n1} vs ${c2}/${n2}`).toBeGreaterThanOrEqual(exact - 1e-12);
            expect(p, `${c1}/${n1} vs ${c2}/${n2}`).toBeLessThanOrEqual(exact + 1e-5);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(576);
  });

  it('gives 1 for equal proportions and for a side without runs', () => {
    for (const [a, b] of [
      [of(0, 3), of(0, 5)],
      [of(3, 3), of(7, 7)],
      [of(2, 4), of(4, 8)],
      [of(0, 0), of(5, 5)],
      [of(5, 5), of(0, 0)],
    ] as const) {
      expect(barnardTest(a, b)).toBe(1);
    }
  });

  it('is symmetric in the sides and in passes versus failures', () => {
    for (const [c1, n1, c2, n2] of [
      [3, 7, 6, 9],
      [0, 4, 4, 6],
      [10, 12, 5, 11],
    ] as const) {
      const p = barnardTest(of(c1, n1), of(c2, n2));
      expect(barnardTest(of(c2, n2), of(c1, n1))).toBeCloseTo(p, 12);
      expect(barnardTest(of(n1 - c1, n1), of(n2 - c2, n2))).toBeCloseTo(p, 12);
    }
  });

  it('gives the smallest p-value to the most extreme table, 0/n vs n/n', () => {
    const extreme = barnardTest(of(0, 5), of(5, 5));
    for (let c1 = 0; c1 <= 5; c1++) {
      for (let c2 = 0; c2 <= 5; c2++)
        expect(barnardTest(of(c1, 5), of(c2, 5))).toBeGreaterThanOrEqual(extreme);
    }
    // At rate 1/2 both extreme tables together weigh 2 · 2^−10.
    expect(extreme).toBeCloseTo(2 / 2 ** 10, 12);
  });

  it('keeps the false-alarm rate at most alpha for every true pass rate (an exact test)', () => {
    for (const n of [5, 10, 15]) {
      const rejected: Array<[number, number]> = [];
      for (let c1 = 0; c1 <= n; c1++) {
        for (let c2 = 0; c2 <= n; c2++) if (barnardTest(of(c1, n), of(c2, n)) < 0.05) rejected.push([c1, c2]);
      }
      expect(rejected.length).toBeGreaterThan(0);
      for (let i = 1; i < 100; i++) {
        const rate = i / 100;
        const size = rejected.reduce(
          (sum, [c1, c2]) => sum + binomial(n, c1, rate) * binomial(n, c2, rate),
          0,
        );
        expect(size, `n=${n}, rate ${rate}`).toBeLessThanOrEqual(0.05);
      }
    }
  });

  it('approaches the normal score test at 10,000 runs a side, and is exact there too', () => {
    const p = barnardTest(of(9000, 10_000), of(8900, 10_000));
    const z = Math.abs(scoreStatistic(9000, 10_000, 8900, 10_000));
    expect(z).toBeCloseTo(2.3066, 4);
    expect(Math.abs(normalQuantile(p / 2))).toBeCloseTo(z, 1);
    // A huge drop: the p-value is tiny but still a number.
    const tiny = barnardTest(of(9900, 10_000), of(5000, 10_000));
    expect(tiny).toBeGreaterThanOrEqual(0);
    expect(tiny).toBeLessThan(1e-100);
  });

  it('rejects counts that are not proportions', () => {
    expect(() => barnardTest(of(4, 3), of(1, 2))).toThrow(/0 ≤ passed ≤ n/);
    expect(() => barnardTest(of(1.5, 3), of(1, 2))).toThrow(RangeError);
    expect(() => barnardTest(of(-1, 3), of(1, 2))).toThrow(RangeError);
  });
});

function binomial(n: number, k: number, rate: number): number {
  return Number(choose(n, k)) * rate ** k * (1 - rate) ** (n - k);
}

describe('scoreStatistic', () => {
  it('falls as the second side passes more and rises as the first does (the region is two tails)', () => {
    for (const [n1, n2] of [
      [7, 4],
      [12, 12],
      [3, 20],
    ] as const) {
      for (let x1 = 0; x1 <= n1; x1++) {
        for (let x2 = 0; x2 <= n2; x2++) {
          if (x2 < n2)
            expect(scoreStatistic(x1, n1, x2 + 1, n2)).toBeLessThanOrEqual(scoreStatistic(x1, n1, x2, n2));
          if (x1 < n1)
            expect(scoreStatistic(x1 + 1, n1, x2, n2)).toBeGreaterThanOrEqual(scoreStatistic(x1, n1, x2, n2));
        }
      }
    }
  });
});

describe('differenceInterval (Newcombe hybrid score)', () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions",
  // Statistics in Medicine 17:873–890, Table II, method 10, to 4 decimals: first minus second.
  const NEWCOMBE: Array<[number, number, number, number, number, number]> = [
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ];

  it.each(NEWCOMBE)('%i/%i − %i/%i is [%f, %f]', (c1, n1, c2, n2, low, high) => {
    const interval = differenceInterval(of(c2, n2), of(c1, n1));
    expect(interval!.low).toBeCloseTo(low, 4);
    expect(interval!.high).toBeCloseTo(high, 4);
  });

  it('holds the observed difference and stays within [-1, 1] on every small table', () => {
    for (const n1 of [1, 2, 5, 9]) {
      for (const n2 of [1, 3, 9]) {
        for (let c1 = 0; c1 <= n1; c1++) {
          for (let c2 = 0; c2 <= n2; c2++) {
            const interval = differenceInterval(of(c1, n1), of(c2, n2))!;
            const difference = c2 / n2 - c1 / n1;
            expect(interval.low).toBeGreaterThanOrEqual(-1);
            expect(interval.high).toBeLessThanOrEqual(1);
            expect(interval.low).toBeLessThanOrEqual(difference + 1e-12);
            expect(interval.high).toBeGreaterThanOrEqual(difference - 1e-12);
            expect(interval.high).toBeGreaterThan(interval.low);
          }
        }
      }
    }
  });

  it('widens with the level and is null for a side without runs', () => {
    const at95 = differenceInterval(of(8, 10), of(5, 10))!;
    const at99 = differenceInterval(of(8, 10), of(5, 10), normalQuantile(0.995))!;
    expect(at99.low).toBeLessThan(at95.low);
    expect(at99.high).toBeGreaterThan(at95.high);
    expect(differenceInterval(of(0, 0), of(5, 10))).toBeNull();
  });
});

describe('passHatK', () => {
  it('is C(c, k) / C(n, k), computed exactly here with BigInt, on a grid', () => {
    for (const n of [1, 2, 5, 12, 30]) {
      for (let c = 0; c <= n; c++) {
        for (let k = 1; k <= n; k++) {
          const exact = Number((choose(c, k) * 10n ** 15n) / choose(n, k)) / 1e15;
          expect(passHatK(c, n, k)).toBeCloseTo(exact, 12);
        }
      }
    }
  });

  it('is 0 when k exceeds the passes, c/n at k = 1, and 1 at k = n only when every run passed', () => {
    expect(passHatK(3, 10, 4)).toBe(0);
    expect(passHatK(0, 10, 1)).toBe(0);
    expect(passHatK(7, 10, 1)).toBeCloseTo(0.7, 15);
    expect(passHatK(10, 10, 10)).toBe(1);
    expect(passHatK(9, 10, 10)).toBe(0);
    // 3 of 4 passed: two runs in a row pass with chance C(3,2)/C(4,2) = 1/2, not (3/4)² = 0.5625.
    expect(passHatK(3, 4, 2)).toBeCloseTo(0.5, 15);
  });

  it('does not overflow at 10,000 runs', () => {
    const value = passHatK(9990, 10_000, 8)!;
    expect(value).toBeGreaterThan(0.99);
    expect(value).toBeLessThan(1);
    expect(passHatK(5000, 10_000, 5000)).toBeGreaterThanOrEqual(0);
  });

  it('is null when k exceeds the runs and rejects k < 1', () => {
    expect(passHatK(2, 3, 4)).toBeNull();
    expect(() => passHatK(2, 3, 0)).toThrow(/k ≥ 1/);
    expect(() => passHatK(2, 3, 1.5)).toThrow(RangeError);
  });
});

describe('normalQuantile', () => {
  it('matches the tabulated quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 6);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 6);
  });
});

/**
 * Exact power of Barnard's test at alpha 0.05 with n runs a side when the rates are p1 and p2: the
 * test rejects when |statistic| reaches a critical value (its p-value falls as |statistic| grows), so
 * find that value among the tables, then add up the probability of the tables beyond it.
 */
function exactPower(n: number, p1: number, p2: number, alpha = 0.05): number {
  const tables: Array<{ x1: number; x2: number; z: number }> = [];
  for (let x1 = 0; x1 <= n; x1++) {
    for (let x2 = 0; x2 <= n; x2++) tables.push({ x1, x2, z: Math.abs(scoreStatistic(x1, n, x2, n)) });
  }
  const values = [...new Set(tables.map((table) => table.z))].sort((a, b) => a - b);
  let low = 0;
  let high = values.length - 1;
  const rejects = (z: number): boolean => {
    const table = tables.find((candidate) => candidate.z === z)!;
    return barnardTest(of(table.x1, n), of(table.x2, n)) < alpha;
  };
  while (low < high) {
    const middle = (low + high) >> 1;
    if (rejects(values[middle]!)) high = middle;
    else low = middle + 1;
  }
  const critical = values[low]!;
  return tables
    .filter((table) => table.z >= critical * (1 - 1e-10))
    .reduce((sum, { x1, x2 }) => sum + binomial(n, x1, p1) * binomial(n, x2, p2), 0);
}

describe('runsToDetectDrop', () => {
  it('gives the runs at which the exact test has about 80% power against a 10-point drop', () => {
    // Measured (exact power at the hint): 0.795 at rates 0.5 to 0.9, 0.817 at 0.95; at 100% the
    // approximation asks for more runs than needed (74 give 95% power, 53 would give 80%).
    for (const rate of [0.95, 0.9]) {
      const n = runsToDetectDrop(rate, 0.05)!;
      const power = exactPower(n, rate, rate - 0.1);
      expect(power, `rate ${rate}: ${n} runs`).toBeGreaterThan(0.78);
      expect(power, `rate ${rate}: ${n} runs`).toBeLessThan(0.83);
    }
    expect(runsToDetectDrop(1, 0.05)).toBe(74);
    expect(exactPower(74, 1, 0.9)).toBeGreaterThan(0.8);
  });

  it('needs more runs for a smaller alpha and fewer for a bigger drop', () => {
    expect(runsToDetectDrop(0.9, 0.01)!).toBeGreaterThan(runsToDetectDrop(0.9, 0.05)!);
    expect(runsToDetectDrop(0.9, 0.05, 0.3)!).toBeLessThan(runsToDetectDrop(0.9, 0.05)!);
  });

  it('is null when the rate is below the drop', () => {
    expect(runsToDetectDrop(0.05, 0.05)).toBeNull();
    expect(runsToDetectDrop(0.1, 0.05)).not.toBeNull();
  });
});
