import { isDeepStrictEqual } from 'node:util';
import type { RunResult, TurnResult } from '../core/types.js';

// Distinct values remembered at most: a suite whose every run differs keeps this many keys, no more.
const CAPACITY = 10_000;

/**
 * Keeps equal parts of many runs once. An agent that answers the same way run after run gives a
 * response and a verdict equal to the last run's; a suite of 100,000 runs would hold 100,000 copies
 * of them. `share` hands back the value already kept when one is equal (deep, strict: `NaN`, `-0`
 * and a missing key are told apart), so the runs share it; results are read, never changed, so
 * sharing is invisible to every report. A value JSON cannot write (a BigInt, a cycle) is kept as is.
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
    return isDeepStrictEqual(kept, value) ? (kept as T) : value;
  }

  /** A run with its response and verdict (and each turn's) shared with equal ones of earlier runs. */
  shareRun<T extends RunResult>(run: T): T {
    return {
      ...run,
      ...(run.response ? { response: this.share(run.response) } : {}),
      ...(run.evalResult ? { evalResult: this.share(run.evalResult) } : {}),
      ...(run.turns ? { turns: run.turns.map((turn) => this.shareTurn(turn)) } : {}),
    };
  }

  private shareTurn(turn: TurnResult): TurnResult {
    return {
      ...turn,
      ...(turn.response ? { response: this.share(turn.response) } : {}),
      ...(turn.evalResult ? { evalResult: this.share(turn.evalResult) } : {}),
    };
  }
}
