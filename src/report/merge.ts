/**
 * `russo merge`: combines the JSON reports of shards (a CI matrix that split the scenarios or the runs)
 * into the report of one run. Counts are summed, rates, intervals and latencies recomputed from the
 * runs, and the gate judged again with the thresholds the reports stored.
 */
import { scenarioVariants } from '../scenarios/variants.js';
import { canonicalJson } from '../suite/expectation.js';
import { DEFAULT_VARIANT } from '../suite/plan.js';
import { scenarioResult, suiteResult, type Baseline } from '../suite/result.js';
import type { ProviderSummary, ScenarioResult, SuiteResult, SuiteRun } from '../suite/types.js';
import { ReportError } from './errors.js';
import { fromJsonReport, toJsonReport, type JsonReport } from './json.js';
import { checkShards } from './shards.js';

/**
 * Merges shard reports into one. Throws a ReportError when they do not belong to one run: different
 * gate thresholds, one scenario with two thresholds, or the same run in two reports (a shard given
 * twice); `--shard` reports must also be of one plan (shards.ts). The planned runs that no shard
 * reported fail the merged gate. With a `baseline`, the merged suite is judged against it as a run is.
 */
export function mergeReports(
  reports: readonly JsonReport[],
  options: { baseline?: Baseline } = {},
): JsonReport {
  const first = reports[0];
  if (first === undefined)
    throw new ReportError('no report to merge', 'pass the JSON reports of every shard');
  for (const report of reports) {
    if (
      report.gate.minPassRate !== first.gate.minPassRate ||
      report.gate.maxErrors !== first.gate.maxErrors ||
      (report.gate.maxFlakyRate ?? null) !== (first.gate.maxFlakyRate ?? null)
    ) {
      throw new ReportError(
        'the reports were judged with different gate thresholds (min_pass_rate, max_errors or max_flaky_rate)',
        'merge only the shards of one run, made with the same russo.config.yaml',
      );
    }
  }
  const missingRuns = checkShards(reports);
  // Shards in shard order, so the scenarios come in the plan's order whatever order the files came in.
  const results = [...reports]
    .sort((a, b) => (a.shard?.index ?? 0) - (b.shard?.index ?? 0))
    .map(fromJsonReport);
  const voices = [...new Set(results.flatMap((result) => result.voices))];
  const scenarios = mergeScenarios(results, voices);
  const stoppedBy = results.find((result) => result.stoppedBy !== undefined)?.stoppedBy;
  // Consistency is measured again as the first shard was; a shard's baseline comparison is not
  // carried over (it saw only its part): the merge compares with `options.baseline`, or not at all.
  const measured = results[0]!.consistency;
  const merged = suiteResult({
    scenarios,
    minPassRate: first.gate.minPassRate,
    maxErrors: first.gate.maxErrors,
    maxFlakyRate: first.gate.maxFlakyRate ?? null,
    judging: {
      alpha: measured.alpha,
      ...(measured.k === null ? {} : { passK: measured.k }),
      ...(options.baseline ? { baseline: options.baseline } : {}),
    },
    cancelled: results.some((result) => result.cancelled),
    ...(stoppedBy === undefined ? {} : { stoppedBy }),
    agent: [...new Set(results.map((result) => result.agent))].join(', '),
    voices,
    ...timeSpan(results),
    ...addProviders(results),
    ...(missingRuns === undefined ? {} : { missingRuns }),
  });
  return toJsonReport(merged);
}

/** Joins the runs of scenarios that several reports hold (same file, line and name), in first-seen order. */
function mergeScenarios(results: SuiteResult[], voices: string[]): ScenarioResult[] {
  const merged = new Map<string, { result: ScenarioResult; runs: Map<string, SuiteRun> }>();
  for (const [reportIndex, result] of results.entries()) {
    for (const scenarioResult of result.scenarios) {
      const { scenario } = scenarioResult;
      const key = `${scenario.location.file}\u0000${scenario.location.line}\u0000${scenario.name}`;
      const entry = merged.get(key) ?? { result: scenarioResult, runs: new Map<string, SuiteRun>() };
      merged.set(key, entry);
      if (entry.result.scenario.minPassRate !== scenario.minPassRate) {
        throw new ReportError(
          `scenario "${scenario.name}" (${scenario.location.file}) has min_pass_rate ${entry.result.scenario.minPassRate} in one report and ${scenario.minPassRate} in report ${reportIndex + 1}`,
          'merge only the shards of one run, made from the same scenario files',
        );
      }
      if (
        canonicalJson(entry.result.scenario.variants ?? null) !== canonicalJson(scenario.variants ?? null)
      ) {
        throw new ReportError(
          `scenario "${scenario.name}" (${scenario.location.file}) has other variants in report ${reportIndex + 1} than in an earlier one`,
          'merge only the shards of one run, made from the same scenario files and config',
        );
      }
      for (const run of scenarioResult.runs) {
        // The run id names its prompt, voice, variant and run index.
        const runKey = run.id;
        if (entry.runs.has(runKey)) {
          throw new ReportError(
            `run ${run.runIndex + 1} of prompt ${run.promptIndex + 1} (${run.voice}${run.variant === DEFAULT_VARIANT ? '' : `, ${run.variant}`}) of scenario "${scenario.name}" is in two reports (again in report ${reportIndex + 1})`,
            'pass each shard report once; shards must split the scenarios or the runs, not repeat them',
          );
        }
        entry.runs.set(runKey, run);
      }
    }
  }
  return [...merged.values()].map(({ result, runs }) => {
    const variants = scenarioVariants(result.scenario).map(({ variant }) => variant.name);
    // The plan's order: prompt, voice, variant, run index.
    const ordered = [...runs.values()].sort(
      (a, b) =>
        a.promptIndex - b.promptIndex ||
        voices.indexOf(a.voice) - voices.indexOf(b.voice) ||
        variants.indexOf(a.variant) - variants.indexOf(b.variant) ||
        a.runIndex - b.runIndex,
    );
    // The hash the shards wrote: it covers fields (turns, tool results) the report does not repeat.
    return { ...scenarioResult(result.scenario, ordered), expectationHash: result.expectationHash };
  });
}

/** Shards' provider counters added up (the lowest concurrency is the lowest any shard reached); none if one lacks them. */
function addProviders(results: SuiteResult[]): { providers?: ProviderSummary } {
  const all = results.map((result) => result.providers);
  if (all.some((providers) => providers === undefined)) return {};
  const list = all as ProviderSummary[];
  const sum = (pick: (providers: ProviderSummary) => number) => list.reduce((total, p) => total + pick(p), 0);
  return {
    providers: {
      requests: sum((p) => p.requests),
      retries: sum((p) => p.retries),
      throttles: sum((p) => p.throttles),
      estimatedCostUsd: sum((p) => p.estimatedCostUsd),
      synthesis: { requests: sum((p) => p.synthesis.requests), cacheHits: sum((p) => p.synthesis.cacheHits) },
      ...(list.some((p) => p.perturbed)
        ? {
            perturbed: {
              made: sum((p) => p.perturbed?.made ?? 0),
              cacheHits: sum((p) => p.perturbed?.cacheHits ?? 0),
            },
          }
        : {}),
      concurrency: {
        max: Math.max(...list.map((p) => p.concurrency.max)),
        lowest: Math.min(...list.map((p) => p.concurrency.lowest)),
      },
    },
  };
}

/** From the earliest start to the latest end: shards run side by side, so their durations do not add up. */
function timeSpan(results: SuiteResult[]): { startedAt: string; durationMs: number } {
  const starts = results.map((result) => Date.parse(result.startedAt));
  if (starts.some(Number.isNaN)) {
    return {
      startedAt: results[0]?.startedAt ?? '',
      durationMs: Math.max(...results.map((result) => result.durationMs)),
    };
  }
  const start = Math.min(...starts);
  const end = Math.max(...results.map((result, index) => (starts[index] as number) + result.durationMs));
  return { startedAt: new Date(start).toISOString(), durationMs: end - start };
}
