import type { Scenario, Suite } from '../scenarios/types.js';

/** The variant of every run until audio variants exist: the audio as synthesized. */
export const DEFAULT_VARIANT = 'default';

/** What a plan takes from outside the files: CLI flags, Action inputs, library options. */
export interface PlanOverrides {
  /** Runs per prompt and voice for every scenario, instead of each scenario's own `runs`. */
  runs?: number;
  /** Runs in flight at most, instead of the config's. */
  maxConcurrency?: number;
  /** The voices every prompt is spoken in, instead of the configured synthesizer's. */
  voices?: readonly string[];
}

/** One run of the plan: which scenario, prompt, voice, variant and run index, and its stable id. */
export interface PlannedRun {
  id: string;
  scenario: Scenario;
  scenarioIndex: number;
  promptIndex: number;
  voice: string;
  voiceIndex: number;
  variant: string;
  /** Index of the run within its cell (scenario, prompt, voice, variant). */
  runIndex: number;
}

/** One scenario's share of the plan. */
export interface ScenarioPlan {
  scenario: Scenario;
  /** Runs per prompt and voice. */
  runsPerCell: number;
  /** prompts × voices × runs per cell. */
  totalRuns: number;
  /** Position of its first run in the suite's report order. */
  firstRun: number;
}

/** What a suite will run: how many runs, how many at once, and each run in report order. */
export interface SuitePlan {
  totalRuns: number;
  maxConcurrency: number;
  voices: readonly string[];
  scenarios: ScenarioPlan[];
  /**
   * The planned runs in report order (scenario, prompt, voice, run index), each made only when it is
   * pulled: a plan of a million runs costs nothing until they run.
   */
  runs(): Generator<PlannedRun, void, undefined>;
}

/**
 * Plans a suite: the one place that says how many runs there are, how many run at once, and in
 * which order. Only per-scenario counts are computed here; runs are made lazily by `runs()`.
 */
export function planSuite(suite: Suite, overrides: PlanOverrides = {}): SuitePlan {
  const voices = overrides.voices ?? suite.config.synthesizer.voices;
  const maxConcurrency = overrides.maxConcurrency ?? suite.config.maxConcurrency;
  positiveInteger('maxConcurrency', maxConcurrency);
  if (overrides.runs !== undefined) positiveInteger('runs', overrides.runs);
  let totalRuns = 0;
  const scenarios = suite.scenarios.map((scenario): ScenarioPlan => {
    const runsPerCell = overrides.runs ?? scenario.runs;
    const scenarioRuns = scenario.prompts.length * voices.length * runsPerCell;
    const plan = { scenario, runsPerCell, totalRuns: scenarioRuns, firstRun: totalRuns };
    totalRuns += scenarioRuns;
    return plan;
  });
  return {
    totalRuns,
    maxConcurrency,
    voices,
    scenarios,
    *runs() {
      for (const [scenarioIndex, { scenario, runsPerCell }] of scenarios.entries()) {
        for (let promptIndex = 0; promptIndex < scenario.prompts.length; promptIndex++) {
          for (const [voiceIndex, voice] of voices.entries()) {
            for (let runIndex = 0; runIndex < runsPerCell; runIndex++) {
              const cell = { scenario: scenario.name, promptIndex, voice, variant: DEFAULT_VARIANT };
              yield {
                id: runId({ ...cell, runIndex }),
                scenario,
                scenarioIndex,
                promptIndex,
                voice,
                voiceIndex,
                variant: DEFAULT_VARIANT,
                runIndex,
              };
            }
          }
        }
      }
    },
  };
}

/** What a run id is made of. */
export interface RunIdParts {
  scenario: string;
  promptIndex: number;
  voice: string;
  variant: string;
  runIndex: number;
}

/**
 * The stable id of a run, the same on every machine for the same files and config:
 * `<scenario>/p<prompt index>/<voice>/<variant>/r<run index>`, indexes from 0. `%` and `/` in the
 * names are escaped, so two different runs never share an id.
 */
export function runId(parts: RunIdParts): string {
  return `${escapeSegment(parts.scenario)}/p${parts.promptIndex}/${escapeSegment(parts.voice)}/${escapeSegment(parts.variant)}/r${parts.runIndex}`;
}

function escapeSegment(name: string): string {
  return name.replace(/%/g, '%25').replace(/\//g, '%2F');
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}
