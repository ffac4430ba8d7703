import { envReferences } from '../agents/expand-env.js';
import { AdaptiveLimit } from '../core/adaptive-limit.js';
import { run, runConversation, runPool, type ConversationTurn, type PoolTask } from '../core/pipeline.js';
import { createProviderStats } from '../core/provider.js';
import { createRedactor, secretsOfEnv } from '../core/redact.js';
import { CachedSynthesizer } from '../synthesize/cached.js';
import { PerturbedSpeech } from '../synthesize/perturbed.js';
import type { Agent, ExpectedCall, Progress, ReplyJudge, ToolResponder } from '../core/types.js';
import { compileToolResults, ToolCallEvaluator, ToolSchemas, TurnEvaluator } from '../evaluate/index.js';
import { ScenarioError } from '../scenarios/errors.js';
import type { Scenario, Suite } from '../scenarios/types.js';
import { isClean, scenarioVariants } from '../scenarios/variants.js';
import { CrashGuard } from './crashes.js';
import { planSuite } from './plan.js';
import { shardPlan, type Shard } from './shard.js';
import { createAgent, createJudge, createVoices, type Voice } from './providers.js';
import { checkJudgeOptions, scenarioResult, suiteResult, type JudgeOptions } from './result.js';
import { SharedValues } from './shared-values.js';
import type { SuiteResult, SuiteRun } from './types.js';

/** Options of `runSuite`; overrides win over the config (they come from CLI flags and Action inputs). */
export interface RunSuiteOptions {
  /** Told the plan once it is made, before anything is spoken or started. */
  onPlanned?: (plan: PlannedSuite) => void;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  overrides?: { runs?: number; maxConcurrency?: number; minPassRate?: number };
  /** Where provider secrets are read from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** More secrets to keep out of the result, besides those of `env` (the Action's GitHub token). */
  secrets?: string[];
  /** Audio cache folder; false turns it off (default: the config's cache). */
  cacheDir?: string | false;
  /** Use this agent instead of the configured one (library users, tests). */
  agent?: Agent;
  /** Use these voices instead of the configured synthesizer. */
  voices?: Voice[];
  /** Run only this shard of the plan (`--shard i/n`); the result records it for `russo merge`. */
  shard?: Shard;
  /** Told what degrades without stopping the suite (an audio cache folder that cannot be written); default: stderr. */
  onWarning?: (message: string) => void;
  /** The significance level, k of pass^k and the baseline the suite is judged with; checked before anything runs. */
  judging?: JudgeOptions;
}

/** What `onPlanned` is told: the runs to make (a shard's share of the suite's), the voices and the concurrency. */
export interface PlannedSuite {
  runs: number;
  /** The runs of the whole suite: more than `runs` for a shard. */
  suiteRuns: number;
  voices: number;
  maxConcurrency: number;
  shard?: Shard;
}

/**
 * Runs every scenario × conversation × voice × run as ONE pool bounded by a single concurrency, then
 * judges the gate. A `prompts` scenario's conversations are its prompts, each one turn played with
 * `run`; a `turns` scenario is one conversation played with `runConversation`. Runs that error are
 * kept and reported apart from failures; a cancel or a fatal provider error returns everything that
 * finished. While it runs, an error thrown outside every awaited call (an agent's timer) fails the
 * runs in flight instead of ending the process. An agent that cannot converse, given a `turns`
 * scenario, is a ScenarioError at that scenario before anything runs.
 */
export async function runSuite(suite: Suite, options: RunSuiteOptions = {}): Promise<SuiteResult> {
  const startedAt = new Date();
  const { runs, maxConcurrency } = options.overrides ?? {};
  checkJudgeOptions(
    options.judging ?? {},
    suite.scenarios.map((scenario) => scenario.name),
  );
  const fullPlan = planSuite(suite, {
    ...(runs === undefined ? {} : { runs }),
    ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
    ...(options.voices ? { voices: options.voices.map((voice) => voice.voice) } : {}),
  });
  const sharded = options.shard ? shardPlan(fullPlan, options.shard) : undefined;
  const plan = sharded ?? fullPlan;
  const concurrency = plan.maxConcurrency;
  options.onPlanned?.({
    runs: plan.totalRuns,
    suiteRuns: fullPlan.totalRuns,
    voices: plan.voices.length,
    maxConcurrency: concurrency,
    ...(options.shard ? { shard: options.shard } : {}),
  });
  const cacheDir = options.cacheDir ?? (suite.config.cache.enabled ? suite.config.cache.dir : false);
  const stats = createProviderStats();
  const limiter = new AdaptiveLimit({ max: concurrency });
  const env = options.env ?? process.env;
  // What russo knows to be secret: the variables the config expands, those named like secrets, and the caller's.
  const configured = envReferences([suite.config.agent, suite.config.synthesizer]);
  const redact = createRedactor([...secretsOfEnv(env, configured), ...(options.secrets ?? [])]);
  const providerOptions = { env, concurrency, cacheDir, stats, limiter, redact };
  const voices =
    options.voices ?? (await createVoices(suite, { ...providerOptions, onWarning: options.onWarning }));
  const agent = options.agent ?? (await createAgent(suite, providerOptions));
  // Speech under the variants, cached like speech (in memory and in the audio cache), never synthesized again.
  const perturbed = new PerturbedSpeech({
    dir: cacheDir,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  const guard = new CrashGuard();
  try {
    if (!agent.converse) checkNoTurns(suite, agent);
    const judge = await createJudge(suite, providerOptions);
    // The tools' schemas are compiled once per suite; every scenario's evaluator validates calls with them.
    const schemas = suite.tools.length > 0 ? ToolSchemas.of(suite.tools) : undefined;
    const graders = suite.scenarios.map((scenario) => graderOf(scenario, schemas, judge));
    // Runs that answered alike share their response and verdict: a large suite's results stay small.
    const shared = new SharedValues();
    function* tasks(): Generator<PoolTask<SuiteRun>> {
      for (const planned of plan.runs()) {
        const { scenario, promptIndex } = planned;
        const grader = graders[planned.scenarioIndex] as Grader;
        // From the scenario, not the plan's list of scenarios: a shard's plan leaves some out.
        const { variant } = scenarioVariants(scenario)[planned.variantIndex]!;
        const voice = (voices[planned.voiceIndex] as Voice).synthesizer;
        const playing = {
          // The agent hears the audio only: never the prompt, nor which variant it is.
          synthesizer: isClean(variant) ? voice : perturbed.under(voice, variant),
          agent,
          runIndex: planned.runIndex,
          timeoutMs: scenario.timeoutMs,
          redact,
          ...(grader.respond ? { respond: grader.respond } : {}),
        };
        yield async (poolSignal, upcomingRuns) => {
          const result = await guard.run(poolSignal, (signal) =>
            grader.turns
              ? runConversation({ ...playing, turns: grader.turns, signal, upcomingRuns })
              : run({
                  ...playing,
                  prompt: scenario.prompts[promptIndex]?.text ?? '',
                  evaluator: grader.evaluator,
                  expect: grader.expect,
                  signal,
                  upcomingRuns,
                }),
          );
          const suiteRun: SuiteRun = {
            ...result,
            id: planned.id,
            promptIndex,
            voice: planned.voice,
            variant: planned.variant,
          };
          shared.shareParts(suiteRun);
          return suiteRun;
        };
      }
    }
    const outcome = await runPool(
      { total: plan.totalRuns, tasks: tasks() },
      {
        concurrency,
        limiter,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      },
    );
    // Runs start in report order, so each scenario's results are one slice of the pool's.
    const scenarios = plan.scenarios.map(({ scenario, firstRun, totalRuns }) =>
      scenarioResult(scenario, outcome.results.slice(firstRun, firstRun + totalRuns)),
    );
    return suiteResult({
      scenarios,
      minPassRate: options.overrides?.minPassRate ?? suite.config.gate.minPassRate,
      maxErrors: suite.config.gate.maxErrors,
      maxFlakyRate: suite.config.gate.maxFlakyRate,
      ...(options.judging ? { judging: options.judging } : {}),
      cancelled: outcome.cancelled,
      ...(outcome.stoppedBy ? { stoppedBy: outcome.stoppedBy } : {}),
      agent: redact(agent.id),
      voices: voices.map((voice) => voice.voice),
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      providers: {
        ...stats,
        synthesis: synthesisCounts(voices),
        ...perturbedCounts(perturbed),
        concurrency: { max: concurrency, lowest: limiter.lowest },
      },
      ...(sharded ? { shard: sharded.shard } : {}),
    });
  } finally {
    await agent.close?.();
    guard.dispose();
  }
}

/** Speech requests made and prompts served from the cache, over every voice. */
function synthesisCounts(voices: Voice[]): { requests: number; cacheHits: number } {
  let requests = 0;
  let cacheHits = 0;
  for (const { synthesizer } of voices) {
    if (synthesizer instanceof CachedSynthesizer) {
      const { hits, shared, requests: made } = synthesizer.counters;
      requests += made;
      // A miss that shared another call's request in flight was served without a request too.
      // Counted as they happen, so a cancel (requests made, callers gone) never makes this negative.
      cacheHits += hits + shared;
    }
  }
  return { requests, cacheHits };
}

/** Speech perturbed for variants and served from the cache; nothing when no run heard a variant that changes the audio. */
function perturbedCounts(perturbed: PerturbedSpeech): { perturbed?: { made: number; cacheHits: number } } {
  const counts = perturbed.counters;
  return counts.made + counts.cacheHits === 0 ? {} : { perturbed: counts };
}

/** An agent without `converse` cannot play a `turns` scenario: say so at each one, before anything runs. */
function checkNoTurns(suite: Suite, agent: Agent): void {
  const conversations = suite.scenarios.filter((scenario) => scenario.turns !== undefined);
  if (conversations.length === 0) return;
  throw new ScenarioError(
    conversations.map((scenario) => ({
      ...scenario.location,
      message: `"${scenario.name}" is a conversation (turns), but the agent ${agent.id} cannot hold one`,
      hint: 'test it with an agent that converses (docs/agents.md says which do), or write the scenario as prompts and expect',
    })),
  );
}

/** How a scenario's runs are graded, and how their tool calls are answered. */
export interface Grader {
  evaluator: ToolCallEvaluator;
  /** The scenario's expected calls without their source locations, shared by its runs. */
  expect: ExpectedCall[];
  /** A `turns` scenario's turns, each with its grader; absent for a `prompts` scenario. */
  turns?: ConversationTurn[];
  /** The scenario's mocked tool results as a responder; absent when it mocks none. */
  respond?: ToolResponder;
}

/**
 * One evaluator, one list of expected calls (or one grader per turn) and one responder per
 * scenario: an evaluator compiles each expected call once (keyed by the call object), so every run
 * must hand it the same objects.
 */
export function graderOf(
  scenario: Scenario,
  schemas: ToolSchemas | undefined,
  judge: ReplyJudge | undefined,
): Grader {
  const validation = schemas ? { argumentsValidator: schemas } : {};
  return {
    evaluator: new ToolCallEvaluator({ ...scenario.match, forbid: scenario.forbid, ...validation }),
    expect: scenario.expect.map(withoutLocation),
    ...(scenario.turns
      ? {
          turns: scenario.turns.map((turn) => ({
            say: turn.say,
            grader: new TurnEvaluator(
              {
                ...(turn.expect ? { expect: turn.expect.map(withoutLocation) } : {}),
                forbid: turn.forbid,
                ...(turn.reply ? { reply: turn.reply } : {}),
              },
              { ...scenario.match, ...validation, ...(judge ? { judge } : {}) },
            ),
          })),
        }
      : {}),
    ...(scenario.toolResults ? { respond: compileToolResults(scenario.toolResults) } : {}),
  };
}

function withoutLocation({ name, arguments: args }: ExpectedCall): ExpectedCall {
  return { name, ...(args ? { arguments: args } : {}) };
}
