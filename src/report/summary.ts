/** The suite-level sentences every report opens with, as plain text (each renderer escapes them). */
import type { ScenarioResult, SuiteResult } from '../suite/types.js';
import { formatDuration, formatRate, formatUsd, plural } from './numbers.js';

/** `gate passed` or `gate failed`. */
export function verdictText(result: SuiteResult): string {
  return result.gate.passed ? 'gate passed' : 'gate failed';
}

/**
 * `14/20 runs passed (70%), 4 errored, 5 scenarios in 12.3 s`: the counts behind the verdict; a
 * shard's start with its share, `shard 2/4: …`, so that its page is not read as the suite's.
 */
export function summaryText(result: SuiteResult): string {
  const { passed, failed, errored } = result.summary;
  const shard = result.shard ? `shard ${result.shard.index}/${result.shard.count}: ` : '';
  const parts = [`${shard}${passed}/${passed + failed} runs passed (${formatRate(result.summary.passRate)})`];
  if (errored > 0) parts.push(`${errored} errored`);
  parts.push(`${plural(result.scenarios.length, 'scenario')} in ${formatDuration(result.durationMs)}`);
  if (result.stoppedBy !== undefined) parts.push('stopped early');
  else if (result.cancelled) parts.push('cancelled');
  return parts.join(', ');
}

/** `33.3% passed (2/6), needs 80%`: a pass rate against its threshold; `no run completed, needs 80%`. */
export function scenarioRateText(summary: RateCounts, minPassRate: number): string {
  return `${passedText(summary)}, needs ${formatRate(minPassRate)}`;
}

/** Completed runs and how many passed. */
type RateCounts = { passed: number; failed: number; passRate: number | null };

/** `33.3% passed (2/6)`; `no run completed`. */
function passedText(summary: RateCounts): string {
  const completed = summary.passed + summary.failed;
  return completed === 0
    ? 'no run completed'
    : `${formatRate(summary.passRate)} passed (${summary.passed}/${completed})`;
}

/**
 * A scenario's rate against its threshold (scenarioRateText); for a scenario with variants, which are
 * judged one by one, the variants under their thresholds: `babble-5: 0% passed (0/8), needs 50%`.
 */
export function scenarioVerdictText(result: ScenarioResult): string {
  const { scenario, summary, breakdown } = result;
  if (scenario.variants === undefined) return scenarioRateText(summary, scenario.minPassRate);
  const under = breakdown.variants.filter((variant) => !variant.passed && variant.summary.passRate !== null);
  if (under.length === 0) {
    const count = breakdown.variants.length;
    return `${passedText(summary)}, ${count === 1 ? 'its variant at its threshold' : `all ${count} variants at their thresholds`}`;
  }
  return under
    .map((variant) => `${variant.name}: ${scenarioRateText(variant.summary, variant.minPassRate)}`)
    .join('; ');
}

/**
 * `speech: 4 synthesized, 36 from cache · provider: 120 requests, 3 retries, 2 throttled (concurrency
 * lowered to 12 of 50) · est. cost $0.42`; only the parts that say something; null when nothing does.
 */
export function providerText(result: SuiteResult): string | null {
  const providers = result.providers;
  if (!providers) return null;
  const parts: string[] = [];
  const { synthesis, concurrency } = providers;
  if (synthesis.requests + synthesis.cacheHits > 0) {
    parts.push(`speech: ${synthesis.requests} synthesized, ${synthesis.cacheHits} from cache`);
  }
  if (providers.perturbed) {
    const { made, cacheHits } = providers.perturbed;
    parts.push(`variants: ${made} perturbed, ${cacheHits} from cache`);
  }
  if (providers.requests > 0) {
    const lowered =
      concurrency.lowest < concurrency.max
        ? ` (concurrency lowered to ${concurrency.lowest} of ${concurrency.max})`
        : '';
    parts.push(
      `provider: ${plural(providers.requests, 'request')}, ${plural(providers.retries, 'retry', 'retries')}, ${providers.throttles} throttled${lowered}`,
    );
  }
  if (providers.estimatedCostUsd > 0) parts.push(`est. cost ${formatUsd(providers.estimatedCostUsd)}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}
