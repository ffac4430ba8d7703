import { envReferences } from '../agents/expand-env.js';
import { AdaptiveLimit } from '../core/adaptive-limit.js';
import { run, runPool, type PoolTask } from '../core/pipeline.js';
import { createProviderStats } from '../core/provider.js';
import { createRedactor, secretsOfEnv } from '../core/redact.js';
import { CachedSynthesizer } from '../synthesize/cached.js';
import type { Agent, ExpectedCall, Progress } from '../core/types.js';
import { ToolCallEvaluator, ToolSchemas } from '../evaluate/index.js';
import type { Scenario, Suite } from '../scenarios/types.js';
import { createAgent, createVoices, type Voice } from './providers.js';
import { scenarioResult, suiteResult } from './result.js';
import type { SuiteResult, SuiteRun } from './types.js';

/** Options of `runSuite`; overrides win over the config (they come from CLI flags and Action inputs). */
export interface RunSuiteOptions {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  overrides?: { runs?: number; concurrency?: number; minPassRate?: number };
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
  /** Told what degrades without stopping the suite (an audio cache folder that cannot be written); default: stderr. */
  onWarning?: (message: string) => void;
}

/**
 * Runs every scenario × prompt × voice × run as ONE pool bounded by a single concurrency, then
 * judges the gate. Runs that error are kept and reported apart from failures; a cancel or a fatal
 * provider error returns everything that finished.
 */
export async function runSuite(suite: Suite, options: RunSuiteOptions = {}): Promise<SuiteResult> {
  const startedAt = new Date();
  const concurrency = options.overrides?.concurrency ?? suite.config.defaults.concurrency;
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
  try {
    // The tools' schemas are compiled once per suite; every scenario's evaluator validates calls with them.
    const schemas = suite.tools.length > 0 ? new ToolSchemas(suite.tools) : undefined;
    const plan = planRuns(suite.scenarios, voices, options.overrides?.runs, schemas);
    const tasks = plan.map((item): PoolTask<SuiteRun> => async (signal, upcomingRuns) => {
      const result = await run({
        prompt: item.scenario.prompts[item.promptIndex]?.text ?? '',
        synthesizer: item.voice.synthesizer,
        agent,
        evaluator: item.evaluator,
        expect: item.expect,
        runIndex: item.runIndex,
        timeoutMs: item.scenario.timeoutMs,
        signal,
        upcomingRuns,
        redact,
        ...(item.scenario.toolResults ? { toolResults: item.scenario.toolResults } : {}),
      });
      return { ...result, promptIndex: item.promptIndex, voice: item.voice.voice };
    });
    const outcome = await runPool(tasks, {
      concurrency,
      limiter,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const scenarios = suite.scenarios.map((scenario, index) =>
      scenarioResult(
        scenario,
        outcome.results.filter(
          (result, taskIndex): result is SuiteRun =>
            result !== undefined && plan[taskIndex]?.scenarioIndex === index,
        ),
      ),
    );
    return suiteResult({
      scenarios,
      minPassRate: options.overrides?.minPassRate ?? suite.config.gate.minPassRate,
      maxErrors: suite.config.gate.maxErrors,
      cancelled: outcome.cancelled,
      ...(outcome.stoppedBy ? { stoppedBy: outcome.stoppedBy } : {}),
      agent: redact(agent.id),
      voices: voices.map((voice) => voice.voice),
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      providers: {
        ...stats,
        synthesis: synthesisCounts(voices),
        concurrency: { max: concurrency, lowest: limiter.lowest },
      },
    });
  } finally {
    await agent.close?.();
  }
}

/** Speech requests made and prompts served from the cache, over every voice. */
function synthesisCounts(voices: Voice[]): { requests: number; cacheHits: number } {
  let requests = 0;
  let cacheHits = 0;
  for (const { synthesizer } of voices) {
    if (synthesizer instanceof CachedSynthesizer) {
      const { hits, misses, requests: made } = synthesizer.counters;
      requests += made;
      // A miss that shared another call's request in flight was served without a request too.
      cacheHits += hits + misses - made;
    }
  }
  return { requests, cacheHits };
}

/** One planned run: which scenario, prompt, voice and run index, and the scenario's evaluator. */
interface PlannedRun {
  scenario: Scenario;
  scenarioIndex: number;
  promptIndex: number;
  voice: Voice;
  runIndex: number;
  evaluator: ToolCallEvaluator;
  /** The scenario's expected calls without their source locations, shared by its runs. */
  expect: ExpectedCall[];
}

/** Every run of the suite in report order: scenario, prompt, voice, run index. */
function planRuns(
  scenarios: Scenario[],
  voices: Voice[],
  runsOverride: number | undefined,
  schemas: ToolSchemas | undefined,
): PlannedRun[] {
  const plan: PlannedRun[] = [];
  scenarios.forEach((scenario, scenarioIndex) => {
    // One evaluator and one list of expected calls per scenario: the evaluator compiles each expected
    // call once (keyed by the call object), so every run must hand it the same objects.
    const evaluator = new ToolCallEvaluator({
      ...scenario.match,
      forbid: scenario.forbid,
      ...(schemas ? { argumentsValidator: schemas } : {}),
    });
    const expect = scenario.expect.map(({ name, arguments: args }) => ({
      name,
      ...(args ? { arguments: args } : {}),
    }));
    const runs = runsOverride ?? scenario.runs;
    scenario.prompts.forEach((_, promptIndex) => {
      for (const voice of voices) {
        for (let runIndex = 0; runIndex < runs; runIndex++) {
          plan.push({ scenario, scenarioIndex, promptIndex, voice, runIndex, evaluator, expect });
        }
      }
    });
  });
  return plan;
}
