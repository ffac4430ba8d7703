import { createHash } from 'node:crypto';
import type { Variant } from '../audio/variant.js';
import type { Synthesizer } from '../core/types.js';
import { isClean } from '../scenarios/variants.js';
import type { PerturbedSpeech } from '../synthesize/perturbed.js';

/**
 * The seed of a variant's randomness (which stretch of noise, which packets are lost) for one text
 * spoken in one cell: the first 32 bits of sha256(cell id, text). It comes from the cell (scenario,
 * prompt, voice, variant: see cellId), not from the run index, so every run of a cell hears the same
 * audio and a repeated run measures the agent, not the noise; the text gives each turn of a
 * conversation its own noise. The same on every machine.
 */
export function variantSeed(cell: string, text: string): number {
  return createHash('sha256').update(`${cell}\u0000${text}`).digest().readUInt32LE(0);
}

/**
 * What the runs of a cell hear: the voice's speech itself under a variant that changes nothing, else
 * that speech perturbed by `perturbed` with the cell's seeds.
 */
export function speechOfCell(
  perturbed: PerturbedSpeech,
  voice: Synthesizer,
  variant: Variant,
  cell: string,
): Synthesizer {
  return isClean(variant) ? voice : perturbed.under(voice, variant, (text) => variantSeed(cell, text));
}
