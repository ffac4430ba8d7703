import { ScenarioError, type Problem } from '../scenarios/errors.js';
import type { Scenario, SourceLocation, Suite } from '../scenarios/types.js';

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

/**
 * One run of the plan: which scenario, conversation, voice, variant and run index, and its stable id.
 * A scenario's conversations are its prompts (one turn each), or the one conversation of its `turns`.
 */
export interface PlannedRun {
  id: string;
  scenario: Scenario;
  scenarioIndex: number;
  /** The conversation: the prompt's index in `scenario.prompts` (0 for a `turns` scenario). */
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
  /** conversations (prompts) × voices × runs per cell; a conversation of many turns is one run. */
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
 * A suite over `limits.max_runs` is a ScenarioError that says where its runs come from; the limit
 * counts runs, so a conversation counts once however many turns it has.
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
  if (totalRuns > suite.config.limits.maxRuns) {
    throw new ScenarioError(tooManyRuns(suite, scenarios, totalRuns, voices.length, overrides.runs));
  }
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
              const variant = DEFAULT_VARIANT;
              yield {
                id: runId({ scenario: scenario.name, promptIndex, voice, variant, runIndex }),
                scenario,
                scenarioIndex,
                promptIndex,
                voice,
                voiceIndex,
                variant,
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
  // Joined, not concatenated: a joined string is one flat string, where a template literal leaves a
  // tree of pieces that a suite of 100,000 runs would keep at three times the size.
  return [
    escapeSegment(parts.scenario),
    `p${parts.promptIndex}`,
    escapeSegment(parts.voice),
    escapeSegment(parts.variant),
    `r${parts.runIndex}`,
  ].join('/');
}

function escapeSegment(name: string): string {
  return name.replace(/%/g, '%25').replace(/\//g, '%2F');
}

/** A place a `runs` value is written, and the scenarios that take it. */
interface RunsSource {
  location: SourceLocation;
  /** False when the location is a scenario's name: its runs are the built-in default. */
  written: boolean;
  plans: ScenarioPlan[];
  runs: number;
}

/**
 * Why a suite is over `limits.max_runs`, at the places its runs come from: the --runs flag, or the
 * `runs` keys (a scenario's own, or the config's `defaults.runs`) that make the most runs.
 */
function tooManyRuns(
  suite: Suite,
  scenarios: ScenarioPlan[],
  totalRuns: number,
  voices: number,
  runsOverride: number | undefined,
): Problem[] {
  const { maxRuns } = suite.config.limits;
  const limit = `the limit is ${count(maxRuns)} (limits.max_runs)`;
  const raise = `or raise \`limits: {max_runs: N}\` in ${suite.config.file ?? 'russo.config.yaml'}`;
  if (runsOverride !== undefined) {
    const prompts = scenarios.reduce((sum, { scenario }) => sum + scenario.prompts.length, 0);
    const fits = Math.floor(maxRuns / (prompts * voices));
    const noun = scenarios.some(({ scenario }) => scenario.turns) ? 'conversation' : 'prompt';
    return [
      {
        file: 'command line',
        line: 0,
        column: 0,
        message: `--runs ${count(runsOverride)} makes ${count(totalRuns)} runs (${plural(prompts, noun)} × ${plural(voices, 'voice')} × ${count(runsOverride)}); ${limit}`,
        hint: `${fits >= 1 ? `give --runs ${count(fits)} or fewer` : 'run fewer scenarios, prompts or voices at once'}, ${raise}`,
      },
    ];
  }
  // Where each scenario's `runs` is written (its own key, the config's defaults.runs, or nowhere).
  const sources = new Map<string, RunsSource>();
  for (const plan of scenarios) {
    const location = plan.scenario.runsLocation ?? plan.scenario.location;
    const key = `${location.file}:${location.line}:${location.column}`;
    const source = sources.get(key) ?? {
      location,
      written: plan.scenario.runsLocation !== undefined,
      plans: [],
      runs: 0,
    };
    source.plans.push(plan);
    source.runs += plan.totalRuns;
    sources.set(key, source);
  }
  // The biggest sources, as many as it takes to account for the excess (at most three).
  const named: RunsSource[] = [];
  let accounted = 0;
  for (const source of [...sources.values()].sort((a, b) => b.runs - a.runs)) {
    if (named.length === 3 || accounted > totalRuns - maxRuns) break;
    named.push(source);
    accounted += source.runs;
  }
  return named.map(({ location, written, plans, runs }) => {
    const [first] = plans as [ScenarioPlan];
    const what =
      plans.length === 1
        ? `"${first.scenario.name}" makes ${count(runs)} of them (${conversations(first.scenario)} × ${plural(voices, 'voice')} × ${count(first.runsPerCell)})`
        : `the ${plans.length} scenarios that take \`runs: ${count(first.runsPerCell)}\` from here make ${count(runs)} of them`;
    return {
      ...location,
      message: `the suite would make ${count(totalRuns)} runs: ${what}; ${limit}`,
      hint: `${written ? 'lower this `runs`' : 'give this scenario a smaller `runs:`'}, ${raise}`,
    };
  });
}

/** A scenario's conversations as a count: `2 prompts`, or `1 conversation of 3 turns`. */
function conversations(scenario: Scenario): string {
  return scenario.turns
    ? `1 conversation of ${plural(scenario.turns.length, 'turn')}`
    : plural(scenario.prompts.length, 'prompt');
}

function plural(n: number, noun: string): string {
  return `${count(n)} ${n === 1 ? noun : `${noun}s`}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}
