/**
 * Sharding: one suite split over the runners of a CI matrix. Every runner plans the whole suite
 * from the same files, then keeps its share of the runs; `russo merge` joins the shards' reports
 * and, from the plan outline each report carries, names every run that no shard reported.
 */
import { RussoError } from '../core/errors.js';
import type { Scenario } from '../scenarios/types.js';
import { expectationHash } from './expectation.js';
import { runId, type PlannedRun, type ScenarioPlan, type SuitePlan } from './plan.js';

/** Shard `index` of `count` (`--shard 2/4`), counted from 1. */
export interface Shard {
  index: number;
  count: number;
}

/** A `--shard` value or `shard` input that is not `i/n` with 1 ≤ i ≤ n. */
export class ShardError extends RussoError {}

const SHARD_HINT = 'write i/n with 1 ≤ i ≤ n, e.g. 1/4 for the first of four shards';

/** Reads `i/n` (e.g. `2/4`); anything else is a ShardError that quotes it and says what is wrong. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new ShardError(`"${text}" is not i/n`, SHARD_HINT);
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  const problem = shardProblem(shard);
  if (problem !== undefined) throw new ShardError(`"${text}": ${problem}`, SHARD_HINT);
  return shard;
}

/** Throws a ShardError unless 1 ≤ index ≤ count, both whole numbers. */
export function checkShard(shard: Shard): void {
  const problem = shardProblem(shard);
  if (problem !== undefined) {
    throw new ShardError(`shard ${shard.index}/${shard.count}: ${problem}`, SHARD_HINT);
  }
}

function shardProblem({ index, count }: Shard): string | undefined {
  if (!Number.isSafeInteger(count) || count < 1) return 'the number of shards must be at least 1';
  if (!Number.isSafeInteger(index) || index < 1 || index > count) {
    return `the shard must be from 1 to ${count}`;
  }
  return undefined;
}

/**
 * What every shard of a plan records, so that a merge can list the planned runs that no report
 * holds and refuse shards of different plans: the voices and, per scenario, its conversations,
 * variants and runs per cell (together they give every run id), and its expectation hash.
 */
export interface PlanOutline {
  totalRuns: number;
  voices: string[];
  scenarios: Array<{
    name: string;
    conversations: number;
    variants: string[];
    runsPerCell: number;
    expectationHash: string;
  }>;
}

/** A shard of a plan and the outline of the whole plan: what a sharded suite result records. */
export interface ShardRecord extends Shard {
  plan: PlanOutline;
}

/**
 * The expected cost of one run of a conversation: each turn costs the length of what is said
 * (audio length follows text length, so the plan needs no synthesis) plus a fixed share for the
 * agent's answer. Integers, so every runner adds them up to the same sums.
 */
export function runCost(scenario: Scenario, promptIndex: number): number {
  const says = scenario.turns?.map((turn) => turn.say) ?? [scenario.prompts[promptIndex]?.text ?? ''];
  return says.reduce((sum, say) => sum + TURN_COST + say.length, 0);
}

// An answer costs about what twenty characters of speech do (a second or two).
const TURN_COST = 20;

/**
 * The runs of one shard: the plan's runs in report order, cut into `count` contiguous stretches of
 * equal expected cost (a run belongs to the stretch its cost midpoint falls in). The split depends
 * only on the plan, so it is the same on every runner; the stretches cover the plan exactly once;
 * neighbouring runs, which share their audio, mostly stay together. No run is kept in memory: the
 * plan's runs are walked once here to count, and again when the shard's runs are pulled.
 */
export function shardPlan(plan: SuitePlan, shard: Shard): SuitePlan & { shard: ShardRecord } {
  checkShard(shard);
  const totalCost = plan.scenarios.reduce((sum, { scenario, totalRuns }) => {
    const runsPerConversation = totalRuns / scenario.prompts.length;
    const costs = scenario.prompts.map((_, promptIndex) => runCost(scenario, promptIndex));
    return sum + runsPerConversation * costs.reduce((a, b) => a + b, 0);
  }, 0);
  const inShard = shardFilter(shard, totalCost);
  const counts = new Map<number, number>();
  const variants = plan.scenarios.map(() => new Set<string>());
  for (const run of plan.runs()) {
    variants[run.scenarioIndex]?.add(run.variant);
    if (inShard(run)) counts.set(run.scenarioIndex, (counts.get(run.scenarioIndex) ?? 0) + 1);
  }
  let firstRun = 0;
  const scenarios: ScenarioPlan[] = [];
  for (const [index, scenarioPlan] of plan.scenarios.entries()) {
    const totalRuns = counts.get(index) ?? 0;
    if (totalRuns === 0) continue;
    scenarios.push({ ...scenarioPlan, totalRuns, firstRun });
    firstRun += totalRuns;
  }
  return {
    ...plan,
    totalRuns: firstRun,
    scenarios,
    *runs() {
      const keep = shardFilter(shard, totalCost);
      for (const run of plan.runs()) if (keep(run)) yield run;
    },
    shard: {
      ...shard,
      plan: {
        totalRuns: plan.totalRuns,
        voices: [...plan.voices],
        scenarios: plan.scenarios.map(({ scenario, runsPerCell }, index) => ({
          name: scenario.name,
          conversations: scenario.prompts.length,
          variants: [...(variants[index] as Set<string>)],
          runsPerCell,
          expectationHash: expectationHash(scenario),
        })),
      },
    },
  };
}

/**
 * Whether each run, pulled in report order, is in the shard. Run k with cost c after a cost of C
 * has its midpoint at C + c/2, in stretch ⌊count·(2C + c) / (2·total)⌋ (from 0): integer sums, so
 * exact under 2^53.
 */
function shardFilter(shard: Shard, totalCost: number): (run: PlannedRun) => boolean {
  let before = 0;
  return (run) => {
    const cost = runCost(run.scenario, run.promptIndex);
    const stretch = Math.floor((shard.count * (2 * before + cost)) / (2 * totalCost));
    before += cost;
    return stretch === shard.index - 1;
  };
}

/** Every run id of an outlined plan, in report order (scenario, conversation, voice, variant, run). */
export function* plannedRunIds(outline: PlanOutline): Generator<string, void, undefined> {
  for (const scenario of outline.scenarios) {
    for (let promptIndex = 0; promptIndex < scenario.conversations; promptIndex++) {
      for (const voice of outline.voices) {
        for (const variant of scenario.variants) {
          for (let runIndex = 0; runIndex < scenario.runsPerCell; runIndex++) {
            yield runId({ scenario: scenario.name, promptIndex, voice, variant, runIndex });
          }
        }
      }
    }
  }
}

/** The planned runs of a sharded suite that none of the merged reports holds. */
export interface MissingRuns {
  count: number;
  /** Runs in the whole plan. */
  planned: number;
  /** The first of their ids, in report order. */
  ids: string[];
  /** The shards (from 1) that no report was given for: a job that failed before it wrote one. */
  shards: number[];
  /** How many shards the suite was split into. */
  shardCount: number;
}

// How many missing ids a result keeps: enough to find the shard and the runs, not the whole plan.
const MISSING_IDS_KEPT = 10;

/**
 * The runs of the outlined plan that are not in `reported`, and the shards of `count` missing
 * from `given`; undefined when every planned run was reported.
 */
export function findMissingRuns(
  outline: PlanOutline,
  reported: ReadonlySet<string>,
  shards: { count: number; given: ReadonlySet<number> },
): MissingRuns | undefined {
  let count = 0;
  const ids: string[] = [];
  for (const id of plannedRunIds(outline)) {
    if (reported.has(id)) continue;
    count++;
    if (ids.length < MISSING_IDS_KEPT) ids.push(id);
  }
  if (count === 0) return undefined;
  const missingShards = Array.from({ length: shards.count }, (_, index) => index + 1).filter(
    (index) => !shards.given.has(index),
  );
  return { count, planned: outline.totalRuns, ids, shards: missingShards, shardCount: shards.count };
}
