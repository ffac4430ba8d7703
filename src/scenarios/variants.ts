import { variantProblems, variantsSchema, type Variant } from '../audio/variant-schema.js';
import type { Problem } from './errors.js';
import type { ScenarioVariant, SourceLocation } from './types.js';
import type { LocatedDocument } from './yaml.js';

/**
 * The `variants` key of config and scenario files: named audio conditions (docs/variants.md) that
 * every prompt runs under, each with its own gate. The conditions themselves (their schema, their
 * checks, how they sound) belong to audio/variant-schema.ts and audio/variant.ts; this file adds the per-variant `min_pass_rate`,
 * the locations and the default.
 */

/**
 * The name of the one variant of a suite that names none: the audio as synthesized. Run ids carry it
 * (`…/default/r0`), so they stay what they were before variants existed.
 */
export const DEFAULT_VARIANT = 'default';

/** JSON Schema of a `variants:` list in a config or scenario file: audio's, plus a `min_pass_rate` per variant. */
export const variantsKeySchema = {
  ...variantsSchema,
  items: {
    ...variantsSchema.items,
    properties: {
      ...variantsSchema.items.properties,
      min_pass_rate: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        description:
          "Share of this variant's completed runs that must pass (0..1); default: the scenario's min_pass_rate.",
      },
    },
  },
  description:
    'Audio conditions every prompt runs under (a run per prompt × voice × variant × run); a scenario\'s list replaces the config\'s. Default: one clean variant, "default".',
} as const;

/** A variant as written: its conditions and, optionally, its own threshold. */
export interface RawVariant extends Variant {
  min_pass_rate?: number;
}

/** A variant of the config, before a scenario gives it the scenario's threshold as a default. */
export interface ConfigVariant {
  variant: Variant;
  /** The variant's own `min_pass_rate`; absent: each scenario's. */
  minPassRate?: number;
  location: SourceLocation;
}

/**
 * The `variants` list of a document (at `at`), with each variant's location; the caller has
 * validated it against `variantsKeySchema`. Problems the schema cannot see (a name used twice, a
 * hum frequency on another noise) are added to `problems` at their lines.
 */
export function readVariants(
  raw: readonly RawVariant[],
  document: LocatedDocument,
  at: ReadonlyArray<string | number>,
  problems: Problem[],
): ConfigVariant[] {
  const variants = raw.map(({ min_pass_rate, ...variant }, index) => ({
    variant,
    ...(min_pass_rate === undefined ? {} : { minPassRate: min_pass_rate }),
    location: document.locate([...at, index]),
  }));
  for (const problem of variantProblems(variants.map(({ variant }) => variant))) {
    problems.push({
      ...document.locate([...at, ...problem.path]),
      message: problem.message,
      ...(problem.hint === undefined ? {} : { hint: problem.hint }),
    });
  }
  return variants;
}

/** A scenario's variants, each with its threshold: its own `min_pass_rate`, else the scenario's. */
export function withThresholds(variants: readonly ConfigVariant[], minPassRate: number): ScenarioVariant[] {
  return variants.map((entry) => ({
    variant: entry.variant,
    minPassRate: entry.minPassRate ?? minPassRate,
    location: entry.location,
  }));
}

/** The variants a scenario runs under: its own list, or the one default variant at the scenario's threshold. */
export function scenarioVariants(scenario: {
  variants?: readonly ScenarioVariant[];
  minPassRate: number;
}): readonly ScenarioVariant[] {
  return scenario.variants ?? [{ variant: { name: DEFAULT_VARIANT }, minPassRate: scenario.minPassRate }];
}

/** True when a variant changes nothing: the agent hears the audio as synthesized. */
export function isClean(variant: Variant): boolean {
  return Object.keys(variant).every((key) => key === 'name');
}
