/**
 * The shard check of `russo merge`: reports of `--shard` runs must be the shards of one plan, each
 * given once; the planned runs that none of them holds are named, so that a merge never passes on
 * part of a suite.
 */
import { findMissingRuns, type MissingRuns, type PlanOutline } from '../suite/shard.js';
import { ReportError } from './errors.js';
import type { JsonReport } from './json.js';

const SAME_RUN = 'merge the reports of one sharded run: every shard from the same commit, config and flags';

/**
 * Throws a ReportError when sharded reports do not belong together (a report without a shard among
 * them, different shard counts or plans, a shard given twice); returns the planned runs that no
 * report holds, or undefined. Reports of runs that were not sharded are not checked (they may split
 * a suite by its files).
 */
export function checkShards(reports: readonly JsonReport[]): MissingRuns | undefined {
  const sharded = reports.findIndex((report) => report.shard);
  if (sharded === -1) return undefined;
  const first = reports[sharded]!.shard!;
  const given = new Map<number, number>();
  for (const [index, report] of reports.entries()) {
    const name = `report ${index + 1}`;
    const { shard } = report;
    if (!shard) {
      throw new ReportError(
        `${name} is not a shard (its run had no --shard), but report ${sharded + 1} is shard ${first.index}/${first.count}`,
        SAME_RUN,
      );
    }
    if (shard.count !== first.count) {
      throw new ReportError(
        `${name} is shard ${shard.index}/${shard.count}, but report ${sharded + 1} is shard ${first.index}/${first.count}: the suite was split two ways`,
        SAME_RUN,
      );
    }
    const twice = given.get(shard.index);
    if (twice !== undefined) {
      throw new ReportError(
        `shard ${shard.index}/${shard.count} is given twice: reports ${twice + 1} and ${index + 1}`,
        'pass each shard report once (a job that ran again uploads its report again: keep one)',
      );
    }
    given.set(shard.index, index);
    const difference = planDifference(first.plan, shard.plan);
    if (difference !== undefined) {
      throw new ReportError(
        `${name} (shard ${shard.index}/${shard.count}) is of another plan than report ${sharded + 1}: ${difference}`,
        SAME_RUN,
      );
    }
  }
  const reported = new Set(
    reports.flatMap((report) => report.scenarios.flatMap((scenario) => scenario.runs.map((run) => run.id))),
  );
  return findMissingRuns(first.plan, reported, { count: first.count, given: new Set(given.keys()) });
}

/** The first way two plan outlines differ, in words; undefined when they are the same plan. */
function planDifference(a: PlanOutline, b: PlanOutline): string | undefined {
  if (a.voices.join('\u0000') !== b.voices.join('\u0000')) {
    return `voices ${a.voices.join(', ')} against ${b.voices.join(', ')}`;
  }
  const names = (plan: PlanOutline) => plan.scenarios.map((scenario) => scenario.name);
  if (names(a).join('\u0000') !== names(b).join('\u0000')) {
    return `scenarios ${names(a).join(', ')} against ${names(b).join(', ')}`;
  }
  for (const [index, one] of a.scenarios.entries()) {
    const other = b.scenarios[index]!;
    for (const key of ['conversations', 'runsPerCell', 'expectationHash'] as const) {
      if (one[key] !== other[key])
        return `scenario "${one.name}" has ${key} ${one[key]} against ${other[key]}`;
    }
    if (one.variants.join('\u0000') !== other.variants.join('\u0000')) {
      return `scenario "${one.name}" has variants ${one.variants.join(', ')} against ${other.variants.join(', ')}`;
    }
  }
  if (a.totalRuns !== b.totalRuns) return `${a.totalRuns} planned runs against ${b.totalRuns}`;
  return undefined;
}
