/**
 * How consistent an agent is, beyond its pass rate: pass^k (the chance that k runs in a row all
 * pass), the prompt × voice cells whose runs both passed and failed (flaky), and how many runs a
 * baseline comparison needs to see a 10-point drop. Data for every renderer and for the
 * `max_flaky_rate` gate.
 */
import { passHatK, runsToDetectDrop } from '../core/significance.js';
import { checkAlpha, ComparisonError, DEFAULT_ALPHA } from './compare.js';
import type { ScenarioResult, SuiteResult } from './types.js';

/** The largest default k: a scenario's runs per prompt and voice, capped here. */
export const MAX_DEFAULT_K = 8;

/** The drop the runs hint is for: 10 points of pass rate. */
export const HINT_DROP = 0.1;

/** What to measure with. */
export interface ConsistencyOptions {
  /** k of pass^k for every scenario; default: each scenario's runs per prompt and voice, at most 8. */
  k?: number;
  /** Significance level the runs hint is for (default 0.05). */
  alpha?: number;
}

/** The runs of one prompt in one voice. */
export interface CellCounts {
  promptIndex: number;
  prompt: string;
  voice: string;
  passed: number;
  failed: number;
  errored: number;
}

/** Runs a scenario needs (completed, on each side of a comparison) to detect a 10-point drop. */
export interface RunsHint {
  total: number;
  /** `total` spread over the scenario's prompt × voice cells: the `runs` setting that gives it. */
  perPromptAndVoice: number;
}

/** Consistency of one scenario. */
export interface ScenarioConsistency {
  name: string;
  k: number;
  /** pass^k over the completed runs; null when fewer than k runs completed. */
  passHatK: number | null;
  /** Prompt × voice cells with at least one completed run. */
  cells: number;
  /** Cells whose completed runs both passed and failed, in run order. */
  flaky: CellCounts[];
  /** Null when no run completed or the pass rate is under 10% (no 10-point drop is possible). */
  runsNeeded: RunsHint | null;
}

/** Consistency of a suite. */
export interface Consistency {
  alpha: number;
  /** The k asked for; null when each scenario uses its default (its runs per prompt and voice, at most 8). */
  k: number | null;
  scenarios: ScenarioConsistency[];
  /** Cells with a completed run, over all scenarios. */
  cells: number;
  flakyCells: number;
  /** flakyCells / cells; null when no run completed. */
  flakyRate: number | null;
}

/** Measures pass^k, flaky cells and the runs hint of every scenario of `result`. */
export function consistency(
  result: Pick<SuiteResult, 'scenarios'>,
  options: ConsistencyOptions = {},
): Consistency {
  const alpha = checkAlpha(options.alpha ?? DEFAULT_ALPHA);
  if (options.k !== undefined) checkK(options.k);
  const scenarios = result.scenarios.map((scenario) => scenarioConsistency(scenario, alpha, options.k));
  const cells = scenarios.reduce((total, one) => total + one.cells, 0);
  const flakyCells = scenarios.reduce((total, one) => total + one.flaky.length, 0);
  return {
    alpha,
    k: options.k ?? null,
    scenarios,
    cells,
    flakyCells,
    flakyRate: cells === 0 ? null : flakyCells / cells,
  };
}

/** k itself, when it is a k of pass^k: a whole number ≥ 1. */
export function checkK(k: number): number {
  if (!(Number.isInteger(k) && k >= 1)) {
    throw new ComparisonError(`k ${k} is not a whole number ≥ 1`, 'pass^k needs k ≥ 1, e.g. 3');
  }
  return k;
}

function scenarioConsistency(result: ScenarioResult, alpha: number, k?: number): ScenarioConsistency {
  const { passed, failed, passRate } = result.summary;
  const kUsed = k ?? Math.min(result.scenario.runs, MAX_DEFAULT_K);
  const all = cellsOf(result);
  const completed = all.filter((cell) => cell.passed + cell.failed > 0);
  const total = passRate === null ? null : runsToDetectDrop(passRate, alpha, HINT_DROP);
  return {
    name: result.scenario.name,
    k: kUsed,
    passHatK: passHatK(passed, passed + failed, kUsed),
    cells: completed.length,
    flaky: completed.filter((cell) => cell.passed > 0 && cell.failed > 0),
    runsNeeded:
      total === null ? null : { total, perPromptAndVoice: Math.ceil(total / Math.max(1, all.length)) },
  };
}

/** The runs of a scenario counted per prompt and voice, in the order the cells first appear. */
function cellsOf(result: ScenarioResult): CellCounts[] {
  const cells = new Map<string, CellCounts>();
  for (const run of result.runs) {
    const key = `${run.promptIndex}\u0000${run.voice}`;
    let cell = cells.get(key);
    if (cell === undefined) {
      cell = {
        promptIndex: run.promptIndex,
        prompt: run.prompt,
        voice: run.voice,
        passed: 0,
        failed: 0,
        errored: 0,
      };
      cells.set(key, cell);
    }
    if (run.status === 'passed') cell.passed++;
    else if (run.status === 'failed') cell.failed++;
    else cell.errored++;
  }
  return [...cells.values()];
}
