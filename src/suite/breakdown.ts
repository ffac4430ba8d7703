/**
 * Pass rates broken down by variant and by voice: for each scenario (each variant judged against its
 * own threshold) and for the suite, and the sweeps a chart can draw (pass rate against SNR, against
 * speaking rate). Computed once here; every renderer reads it and none counts runs again.
 */
import type { Variant } from '../audio/variant-schema.js';
import { summarizeRuns, wilsonInterval, type Interval } from '../core/stats.js';
import type { RunSummary } from '../core/types.js';
import type { Scenario } from '../scenarios/types.js';
import { isClean, scenarioVariants } from '../scenarios/variants.js';
import { canonicalJson } from './expectation.js';
import { reaches } from './gate.js';
import type { SuiteRun } from './types.js';

/** The runs of one variant or one voice: their counts, pass rate and 95% Wilson interval. */
export interface Slice {
  /** The variant's or the voice's name. */
  name: string;
  summary: RunSummary;
  /** Null when no run completed. */
  interval: Interval | null;
}

/** A scenario's runs under one variant, judged against that variant's threshold. */
export interface VariantSlice extends Slice {
  /** The variant's own `min_pass_rate`, else the scenario's. */
  minPassRate: number;
  /** True when the pass rate reached `minPassRate`. */
  passed: boolean;
}

/** One scenario's pass rates per variant (in the scenario's order) and per voice (in run order). */
export interface ScenarioBreakdown {
  variants: VariantSlice[];
  voices: Slice[];
}

/** One variant of a sweep: the value it sets and the suite's runs under it. */
export interface SweepPoint extends Slice {
  /** The SNR in dB, or the speaking rate. */
  x: number;
}

/** Variants that differ in one value only: a curve of pass rate against SNR (per noise type) or speed. */
export interface Sweep {
  axis: 'snr_db' | 'speed';
  /** The noise type of an SNR sweep (`white`, `babble`, …); `speed` for a speed sweep. */
  label: string;
  /** Sorted by `x`; at least two. */
  points: SweepPoint[];
}

/** The suite's pass rates per variant and per voice over every scenario, and its sweeps. */
export interface SuiteBreakdown {
  /** Every variant name of the suite, in the order the scenarios list them. */
  variants: Slice[];
  voices: Slice[];
  /**
   * The curves the suite sweeps: an SNR sweep per noise type with variants of noise only at two or
   * more SNRs, a speed sweep with variants of speed only at two or more rates.
   */
  sweeps: Sweep[];
  /** The variant that changes nothing (the reference a chart draws its curves against); null when none. */
  clean: Slice | null;
}

/** A scenario's runs by variant, each judged against its threshold, and by voice. */
export function scenarioBreakdown(scenario: Scenario, runs: readonly SuiteRun[]): ScenarioBreakdown {
  const defined = scenarioVariants(scenario);
  const byVariant = groupBy(runs, (run) => run.variant);
  // Runs of a variant the scenario no longer lists (a hand-edited report) still count, at its threshold.
  const names = [...new Set([...defined.map(({ variant }) => variant.name), ...byVariant.keys()])];
  return {
    variants: names.map((name) => {
      const minPassRate =
        defined.find(({ variant }) => variant.name === name)?.minPassRate ?? scenario.minPassRate;
      const part = slice(name, byVariant.get(name) ?? []);
      return { ...part, minPassRate, passed: reaches(part.summary.passRate, minPassRate) };
    }),
    voices: [...groupBy(runs, (run) => run.voice)].map(([name, voiced]) => slice(name, voiced)),
  };
}

/** The suite's runs by variant and by voice, and the SNR and speed sweeps among its variants. */
export function suiteBreakdown(
  scenarios: ReadonlyArray<{ scenario: Scenario; runs: readonly SuiteRun[] }>,
): SuiteBreakdown {
  const runs = scenarios.flatMap((result) => result.runs);
  const conditions = variantConditions(scenarios.map((result) => result.scenario));
  const byVariant = groupBy(runs, (run) => run.variant);
  const names = [...new Set([...conditions.keys(), ...byVariant.keys()])];
  const variants = names.map((name) => slice(name, byVariant.get(name) ?? []));
  const cleanName = names.find((name) => {
    const variant = conditions.get(name);
    return variant !== undefined && variant !== null && isClean(variant);
  });
  return {
    variants,
    voices: [...groupBy(runs, (run) => run.voice)].map(([name, voiced]) => slice(name, voiced)),
    sweeps: sweeps(variants, conditions),
    clean: variants.find((variant) => variant.name === cleanName) ?? null,
  };
}

/** What each variant name means over the suite: its conditions, or null when scenarios define it differently. */
function variantConditions(scenarios: readonly Scenario[]): Map<string, Variant | null> {
  const conditions = new Map<string, Variant | null>();
  for (const scenario of scenarios) {
    for (const { variant } of scenarioVariants(scenario)) {
      const known = conditions.get(variant.name);
      if (known === undefined) conditions.set(variant.name, variant);
      else if (known !== null && canonicalJson(known) !== canonicalJson(variant)) {
        conditions.set(variant.name, null);
      }
    }
  }
  return conditions;
}

/** SNR sweeps (one per noise type) and the speed sweep: variants that set that one value and nothing else. */
function sweeps(variants: readonly Slice[], conditions: Map<string, Variant | null>): Sweep[] {
  const series = new Map<string, Sweep>();
  for (const part of variants) {
    const variant = conditions.get(part.name);
    if (!variant) continue;
    const { name: _name, ...set } = variant;
    const keys = Object.keys(set);
    if (keys.length !== 1) continue;
    const at =
      variant.noise !== undefined
        ? { axis: 'snr_db' as const, label: variant.noise.type, x: variant.noise.snr_db }
        : variant.speed !== undefined
          ? { axis: 'speed' as const, label: 'speed', x: variant.speed }
          : undefined;
    if (at === undefined) continue;
    const key = `${at.axis}\u0000${at.label}`;
    const sweep = series.get(key) ?? { axis: at.axis, label: at.label, points: [] };
    series.set(key, sweep);
    sweep.points.push({ ...part, x: at.x });
  }
  return [...series.values()]
    .map((sweep) => ({ ...sweep, points: sweep.points.sort((a, b) => a.x - b.x) }))
    .filter((sweep) => new Set(sweep.points.map((point) => point.x)).size >= 2);
}

function slice(name: string, runs: readonly SuiteRun[]): Slice {
  const summary = summarizeRuns(runs);
  return { name, summary, interval: wilsonInterval(summary.passed, summary.passed + summary.failed) };
}

/** Runs grouped by a key, in the order the keys first appear. */
function groupBy(runs: readonly SuiteRun[], key: (run: SuiteRun) => string): Map<string, SuiteRun[]> {
  const groups = new Map<string, SuiteRun[]>();
  for (const run of runs) {
    const name = key(run);
    const group = groups.get(name) ?? [];
    groups.set(name, group);
    group.push(run);
  }
  return groups;
}
