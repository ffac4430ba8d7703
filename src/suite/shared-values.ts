import type { RunResult, TurnResult } from '../core/types.js';

// Distinct values remembered at most: a suite whose every run differs keeps this many keys, no more.
const CAPACITY = 10_000;

/**
 * Keeps equal parts of many runs once. An agent that answers the same way run after run gives a
 * response and a verdict equal to the last run's; a suite of 100,000 runs would hold 100,000 copies
 * of them. `share` hands back the value already kept when one is equal (same JSON, then `same`:
 * `NaN`, `-0` and a missing key are told apart), so the runs share it; results are read, never
 * changed, so sharing is invisible to every report. A value JSON cannot write (a BigInt, a cycle)
 * is kept as is.
 */
export class SharedValues {
  private readonly kept = new Map<string, unknown>();

  share<T>(value: T): T {
    let key: string | undefined;
    try {
      key = JSON.stringify(value);
    } catch {
      return value;
    }
    if (key === undefined) return value;
    const kept = this.kept.get(key);
    if (kept === undefined) {
      if (this.kept.size >= CAPACITY) this.kept.clear();
      this.kept.set(key, value);
      return value;
    }
    return same(kept, value) ? (kept as T) : value;
  }

  /**
   * Swaps a new run's response and verdict (and each turn's) for equal ones of earlier runs, in
   * place: the run was just made and nobody else holds it, and a copy would be one more object per run.
   */
  shareParts(run: RunResult | TurnResult): void {
    if (run.response) run.response = this.share(run.response);
    if (run.evalResult) run.evalResult = this.share(run.evalResult);
    if ('turns' in run && run.turns) for (const turn of run.turns) this.shareParts(turn);
  }
}

/**
 * Deep equality of JSON-like values (arrays and plain objects of primitives) without allocating:
 * primitives by `Object.is`, own enumerable keys both ways. Anything else (a Date, a Map, a class)
 * is equal only to itself. node:util's isDeepStrictEqual says the same of these values but made
 * more garbage per run than the rest of the run's grading.
 */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index++) if (!same(a[index], b[index])) return false;
    return true;
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  let keys = 0;
  for (const key in a) {
    if (!Object.hasOwn(b, key) || !same(a[key], b[key])) return false;
    keys++;
  }
  for (const _key in b) keys--;
  return keys === 0;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !Array.isArray(value);
}
