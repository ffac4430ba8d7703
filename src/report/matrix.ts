/**
 * The robustness matrix every renderer draws when a suite runs variants: one row per scenario that
 * names variants, one column per variant, each cell that scenario's pass rate under that variant
 * (judged against the variant's threshold), and a last row over every scenario. A suite without
 * variants has none, so its reports read as they did before variants existed.
 */
import type { Slice, VariantSlice } from '../suite/breakdown.js';
import type { SuiteResult } from '../suite/types.js';

/** A scenario's row: its cells in the matrix's column order, null where it does not run that variant. */
export interface MatrixRow {
  scenario: string;
  cells: Array<VariantSlice | null>;
}

/** Scenarios × variants, the suite's row, and the suite's pass rate per voice. */
export interface VariantMatrix {
  /** Variant names in the order the scenarios list them. */
  variants: string[];
  rows: MatrixRow[];
  /** The suite's runs under each variant (over every scenario that runs it), in column order. */
  all: Slice[];
  /** The suite's runs per voice, over every variant. */
  voices: Slice[];
}

/** The matrix of a suite, or null when no scenario names variants. */
export function variantMatrix(result: SuiteResult): VariantMatrix | null {
  const varied = result.scenarios.filter(({ scenario }) => scenario.variants !== undefined);
  if (varied.length === 0) return null;
  const variants = [
    ...new Set(varied.flatMap(({ breakdown }) => breakdown.variants.map((variant) => variant.name))),
  ];
  const bySuite = new Map(result.breakdown.variants.map((slice) => [slice.name, slice]));
  return {
    variants,
    rows: varied.map(({ scenario, breakdown }) => ({
      scenario: scenario.name,
      cells: variants.map((name) => breakdown.variants.find((variant) => variant.name === name) ?? null),
    })),
    all: variants.map((name) => bySuite.get(name) as Slice),
    voices: result.breakdown.voices,
  };
}
