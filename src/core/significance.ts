/**
 * Is a change in pass rate real or noise? The statistics of baselines: an exact test on two
 * proportions, the interval of their difference, pass^k, and how many runs a test needs.
 *
 * The test is Barnard's unconditional exact test with the pooled score statistic, not Fisher's exact
 * test. A baseline and a new run each make a fixed number of runs and count passes: two independent
 * binomials whose total number of passes is not fixed by the design. Fisher's test conditions on that
 * total as if it were fixed, which makes it conservative at the small run counts voice tests use (its
 * real false-alarm rate sits well under alpha), so it misses real drops that cost runs to confirm.
 * Barnard's test keeps the false-alarm rate at most alpha for every true pass rate and has more power:
 * 10/10 → 7/10 is p = 0.088 (Fisher: 0.21); 20/20 → 15/20 is p = 0.017 (Fisher: 0.047). Its price is a
 * maximum over the unknown common pass rate, found here by a grid on the arcsine scale and a
 * golden-section refinement, with each evaluation linear in the run counts, so reports of 10,000
 * runs compare in milliseconds.
 */
import { wilsonInterval } from './stats.js';

/** Passes out of completed runs, one side of a comparison. */
export interface Proportion {
  passed: number;
  /** Completed runs (errors excluded). */
  n: number;
}

/** An interval of a difference of two proportions, within [-1, 1]. */
export interface DifferenceInterval {
  low: number;
  high: number;
}

/**
 * Two-sided p-value of Barnard's exact test that two proportions are equal, with the pooled score
 * statistic (what scipy.stats.barnard_exact computes with `pooled=True`). 1 when either side has no
 * run, or the proportions are equal.
 */
export function barnardTest(a: Proportion, b: Proportion): number {
  checkProportion(a);
  checkProportion(b);
  if (a.n === 0 || b.n === 0) return 1;
  const observed = Math.abs(scoreStatistic(a.passed, a.n, b.passed, b.n));
  if (observed === 0) return 1;
  // Tables as extreme as the observed one; the statistic's rounding must not drop a tie.
  const threshold = observed * (1 - 1e-10);
  const { upper, lower } = extremeRegion(a.n, b.n, threshold);
  const probability = tailProbability(a.n, b.n, upper, lower);
  const pAt = (theta: number): number => probability(Math.sin(theta) ** 2);
  // P(common rate π) equals P(1 − π): the maximum lies in π ∈ (0, 1/2], θ = asin(√π) ∈ (0, π/4].
  return Math.min(1, maximize(pAt, 0, Math.PI / 4));
}

/**
 * The pooled score statistic of a 2×2 table: the difference of the two rates over its standard error
 * under equal rates. 0 when every run passed or every run failed.
 */
export function scoreStatistic(x1: number, n1: number, x2: number, n2: number): number {
  const total = n1 + n2;
  const pooled = (x1 + x2) / total;
  if (pooled === 0 || pooled === 1) return 0;
  return (x1 / n1 - x2 / n2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
}

/**
 * For each x1, the tables (x1, x2) whose statistic reaches ±threshold. The statistic falls as x2
 * rises and grows with x1, so they are x2 ≤ upper[x1] (statistic ≥ threshold; −1: none) and
 * x2 ≥ lower[x1] (statistic ≤ −threshold; n2 + 1: none), both bounds rising with x1: one sweep
 * finds them all. They depend on the run counts only, not on the rate.
 */
function extremeRegion(n1: number, n2: number, threshold: number): { upper: Int32Array; lower: Int32Array } {
  const upper = new Int32Array(n1 + 1);
  const lower = new Int32Array(n1 + 1);
  let up = -1;
  let low = 0;
  for (let x1 = 0; x1 <= n1; x1++) {
    while (up < n2 && scoreStatistic(x1, n1, up + 1, n2) >= threshold) up++;
    while (low <= n2 && scoreStatistic(x1, n1, low, n2) > -threshold) low++;
    upper[x1] = up;
    lower[x1] = low;
  }
  return { upper, lower };
}

/**
 * The probability of the extreme tables as a function of the common pass rate. Its buffers are
 * allocated once: the maximum over the rate evaluates it about 150 times.
 */
function tailProbability(
  n1: number,
  n2: number,
  upper: Int32Array,
  lower: Int32Array,
): (rate: number) => number {
  const first = new Binomial(n1);
  const second = new Binomial(n2);
  const atMost = new Float64Array(n2 + 1);
  const atLeast = new Float64Array(n2 + 1);
  return (rate) => {
    const [from1, to1] = first.at(rate);
    const [from2, to2] = second.at(rate);
    const pmf = second.pmf;
    // Both tails summed from their far ends, so tiny tail probabilities keep their precision.
    let sum = 0;
    for (let x = from2; x <= to2; x++) atMost[x] = sum += pmf[x] as number;
    sum = 0;
    for (let x = to2; x >= from2; x--) atLeast[x] = sum += pmf[x] as number;
    let total = 0;
    for (let x1 = from1; x1 <= to1; x1++) {
      const up = upper[x1] as number;
      const low = lower[x1] as number;
      const below = up < from2 ? 0 : up >= to2 ? 1 : (atMost[up] as number);
      const above = low > to2 ? 0 : low <= from2 ? 1 : (atLeast[low] as number);
      total += (first.pmf[x1] as number) * (below + above);
    }
    return total;
  };
}

/**
 * Where a binomial's tail is cut, relative to its mode: far under any p-value a report shows, and
 * above the subnormal numbers (under 2.2e-308), whose arithmetic is many times slower. Running the
 * tails down to underflow made a test at 10,000 runs a side take 40–140 ms instead of 10.
 */
const TAIL_FLOOR = 1e-300;

/**
 * The binomial distribution of n trials, evaluated at one rate after another in one buffer. It is
 * built by the ratio of neighbours from the mode and normalized by its sum: no factorial or power is
 * ever formed, so nothing overflows, and the far tails, under TAIL_FLOOR of the mode, are left out.
 */
class Binomial {
  /** P(X = x) at the last rate; 0 outside the range `at` returned. */
  readonly pmf: Float64Array;
  /** (n − x) / (x + 1): the ratio of neighbours without the rate's odds. */
  private readonly ratios: Float64Array;

  constructor(readonly n: number) {
    this.pmf = new Float64Array(n + 1);
    this.ratios = Float64Array.from({ length: n + 1 }, (_, x) => (n - x) / (x + 1));
  }

  /** The range the last rate filled: the rest of `pmf` is already 0. */
  private filled: [number, number] = [0, -1];

  /** Fills `pmf` for a rate in (0, 1) and returns the range [from, to] outside which it is 0. */
  at(rate: number): [number, number] {
    const { n, pmf, ratios } = this;
    pmf.fill(0, this.filled[0], this.filled[1] + 1);
    const odds = rate / (1 - rate);
    const mode = Math.min(n, Math.floor((n + 1) * rate));
    pmf[mode] = 1;
    let sum = 1;
    let to = mode;
    while (to < n) {
      const next = (pmf[to] as number) * (ratios[to] as number) * odds;
      if (next < TAIL_FLOOR) break;
      pmf[++to] = next;
      sum += next;
    }
    let from = mode;
    while (from > 0) {
      const previous = (pmf[from] as number) / ((ratios[from - 1] as number) * odds);
      if (previous < TAIL_FLOOR) break;
      pmf[--from] = previous;
      sum += previous;
    }
    for (let x = from; x <= to; x++) pmf[x] = (pmf[x] as number) / sum;
    this.filled = [from, to];
    return this.filled;
  }
}

// 64 points find the highest hill of a polynomial whose features are about 1/√n wide on the
// arcsine scale; golden-section search then climbs the best three to within 1e-7 (at a smooth
// maximum, an error in the p-value of the order of 1e-14).
const GRID_POINTS = 64;
const HILLS_REFINED = 3;
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** The maximum of `f` on [from, to]: a grid, then golden-section search around the best grid points. */
function maximize(f: (x: number) => number, from: number, to: number): number {
  const step = (to - from) / GRID_POINTS;
  const values = Array.from({ length: GRID_POINTS }, (_, i) => f(from + step * (i + 1)));
  let best = Math.max(...values);
  const hills = values
    .map((value, i) => ({ value, i }))
    .filter(({ value, i }) => value >= (values[i - 1] ?? -1) && value >= (values[i + 1] ?? -1))
    .sort((a, b) => b.value - a.value)
    .slice(0, HILLS_REFINED);
  for (const { i } of hills) {
    let low = from + step * i;
    let high = Math.min(to, from + step * (i + 2));
    let left = high - GOLDEN * (high - low);
    let right = low + GOLDEN * (high - low);
    let fLeft = f(left);
    let fRight = f(right);
    while (high - low > 1e-7) {
      if (fLeft < fRight) {
        low = left;
        left = right;
        fLeft = fRight;
        right = low + GOLDEN * (high - low);
        fRight = f(right);
      } else {
        high = right;
        right = left;
        fRight = fLeft;
        left = high - GOLDEN * (high - low);
        fLeft = f(left);
      }
    }
    best = Math.max(best, fLeft, fRight);
  }
  return best;
}

/**
 * Newcombe's hybrid score interval (his method 10, 1998) for `b`'s rate minus `a`'s, built from the
 * two Wilson intervals at the same level: it stays inside [-1, 1], always holds the observed
 * difference, and keeps close to its nominal coverage at small n, where the usual Wald interval does
 * not. `z` is the normal quantile of the level (1.96 for 95%). Null when either side has no run.
 */
export function differenceInterval(a: Proportion, b: Proportion, z = 1.959964): DifferenceInterval | null {
  checkProportion(a);
  checkProportion(b);
  const wa = wilsonInterval(a.passed, a.n, z);
  const wb = wilsonInterval(b.passed, b.n, z);
  if (wa === null || wb === null) return null;
  const pa = a.passed / a.n;
  const pb = b.passed / b.n;
  const difference = pb - pa;
  return {
    low: Math.max(-1, difference - Math.hypot(pb - wb.low, wa.high - pa)),
    high: Math.min(1, difference + Math.hypot(wb.high - pb, pa - wa.low)),
  };
}

/**
 * pass^k, τ-bench's chance that k runs in a row all pass, estimated without bias from `passed` of
 * `n` runs as C(passed, k) / C(n, k) = ∏ (passed − i) / (n − i) for i < k: a product of k ratios,
 * never a factorial, so it cannot overflow. Null when k > n (k runs were never seen together).
 */
export function passHatK(passed: number, n: number, k: number): number | null {
  checkProportion({ passed, n });
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`pass^k needs a whole k ≥ 1, got ${k}`);
  if (k > n) return null;
  let product = 1;
  for (let i = 0; i < k && product > 0; i++) product *= (passed - i) / (n - i);
  return product;
}

/**
 * Completed runs each side needs so that the test at `alpha` has 80% power to detect a drop of
 * `drop` from `rate` (two-sided). A stated approximation, not an exact power search: the normal
 * approximation for two proportions with the pooled variance under the null (Fleiss, without
 * continuity correction), which tracks the unconditional score test Barnard's test is built on.
 * Null when the rate is below the drop (there is nothing to fall to).
 */
export function runsToDetectDrop(rate: number, alpha: number, drop = 0.1): number | null {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`a pass rate is between 0 and 1, got ${rate}`);
  if (!(drop > 0 && drop <= 1)) throw new RangeError(`a drop is between 0 and 1, got ${drop}`);
  // Rates are ratios of small integers: 0.1 − 0.1 must not come out just under 0.
  if (rate - drop < -1e-9) return null;
  const lowered = Math.max(0, rate - drop);
  const mean = (rate + lowered) / 2;
  const root =
    normalQuantile(1 - alpha / 2) * Math.sqrt(2 * mean * (1 - mean)) +
    Z_POWER_80 * Math.sqrt(rate * (1 - rate) + lowered * (1 - lowered));
  return Math.max(1, Math.ceil((root / (rate - lowered)) ** 2 - 1e-9));
}

/** The normal quantile of 80% power. */
const Z_POWER_80 = 0.8416212335729143;

// Acklam's rational approximation of the normal quantile (relative error under 1.2e-9).
const CENTRAL_NUMERATOR = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const CENTRAL_DENOMINATOR = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572, 1,
];
const TAIL_NUMERATOR = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const TAIL_DENOMINATOR = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1];
const TAIL_FROM = 0.02425;

/** The standard normal quantile: z such that P(Z ≤ z) = p, for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a normal quantile needs 0 < p < 1, got ${p}`);
  if (p < TAIL_FROM || p > 1 - TAIL_FROM) {
    const q = Math.sqrt(-2 * Math.log(Math.min(p, 1 - p)));
    const z = horner(TAIL_NUMERATOR, q) / horner(TAIL_DENOMINATOR, q);
    return p < TAIL_FROM ? z : -z;
  }
  const q = p - 0.5;
  return (q * horner(CENTRAL_NUMERATOR, q * q)) / horner(CENTRAL_DENOMINATOR, q * q);
}

/** A polynomial with coefficients from the highest power down, at x. */
function horner(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((sum, coefficient) => sum * x + coefficient, 0);
}

function checkProportion({ passed, n }: Proportion): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(passed) || passed < 0 || passed > n) {
    throw new RangeError(`a proportion needs whole counts 0 ≤ passed ≤ n, got ${passed} of ${n}`);
  }
}
