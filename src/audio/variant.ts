import { Ajv, type ValidateFunction } from 'ajv';
import { AudioFormatError } from '../core/errors.js';
import type { Audio } from '../core/types.js';
import { addSilence, changeGain } from './level.js';
import { rms } from './measure.js';
import { addNoiseAtSnr } from './mix.js';
import { bedNoise, brownNoise, hum, pinkNoise, whiteNoise } from './noise-sources.js';
import { dropPackets } from './packet-loss.js';
import { deriveSeed } from './random.js';
import { changeSpeakingRate } from './speaking-rate.js';
import { telephone } from './telephone.js';
import {
  DEFAULT_FRAME_MS,
  variantProblems,
  variantSchema,
  type NoiseCondition,
  type Variant,
} from './variant-schema.js';

/**
 * Variants: named audio conditions (speaking rate, noise, a phone line, packet loss, level, silence)
 * applied to synthesized speech before the agent hears it. One pure function per condition; this
 * file holds `applyVariant`, which composes them, and the checks of a variant that library callers
 * give; variant-schema.ts holds their shape, their JSON Schema and the checks beyond it.
 */

/** Mains frequency of a hum that names none. */
const DEFAULT_HUM_HZ = 50;

let validator: ValidateFunction | undefined;

/** Throws an AudioFormatError when `variant` breaks the schema or variantProblems (for library callers). */
export function assertVariant(variant: unknown): asserts variant is Variant {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(variantSchema);
  const name = JSON.stringify((variant as { name?: unknown } | undefined)?.name ?? '(unnamed)');
  if (!validator(variant)) {
    const found = (validator.errors ?? []).map(
      (error) => `${error.instancePath || 'the variant'} ${error.message}`,
    );
    throw new AudioFormatError(`variant ${name} is invalid: ${found.join('; ')}`, 'see docs/variants.md');
  }
  const problem = variantProblems([variant as Variant])[0];
  if (problem !== undefined) throw new AudioFormatError(`variant ${name}: ${problem.message}`, problem.hint);
}

/** Recorded noise that some conditions need and the audio layer cannot make (it has no synthesizer). */
export interface VariantSources {
  /** The babble bed for `noise: {type: babble}`: make it with babbleBed() (synthesize/babble.ts). */
  babble?: Audio;
}

/**
 * Bumped whenever a perturbation's output changes for the same input, so that audio cached under
 * variantCacheKey is made again instead of reused.
 */
export const PERTURBATION_VERSION = 1;

/**
 * What the perturbed audio depends on besides the input audio: the conditions (not the name: two
 * names for the same conditions share their audio), the seed and PERTURBATION_VERSION.
 */
export function variantCacheKey(variant: Variant, seed: number): string {
  const { name: _name, ...conditions } = variant;
  return JSON.stringify([PERTURBATION_VERSION, seed >>> 0, canonical(conditions)]);
}

/** The value with its object keys sorted, so that key order in a YAML file does not change a key. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

/**
 * The audio as heard under `variant`, the same for the same seed. The conditions apply in this fixed
 * order, the order of a real call: the caller speaks (speed), pauses (leading/trailing silence) in a
 * noisy place (noise, which covers the pauses too, at an SNR against the speech alone), into a
 * microphone (gain, clipping), over a phone line (channel), across a network (packet loss). Each
 * random condition draws from its own seed derived from `seed`, so adding one leaves the others'
 * noise unchanged. Returns `audio` itself when the variant changes nothing.
 */
export async function applyVariant(
  audio: Audio,
  variant: Variant,
  seed: number,
  sources: VariantSources = {},
): Promise<Audio> {
  assertVariant(variant);
  let heard = audio;
  if (variant.speed !== undefined) heard = await changeSpeakingRate(heard, variant.speed);
  const speechRms = rms(heard.pcm);
  const leading = variant.leading_silence_ms ?? 0;
  const trailing = variant.trailing_silence_ms ?? 0;
  if (leading > 0 || trailing > 0) heard = addSilence(heard, leading, trailing);
  if (variant.noise !== undefined) {
    const noise = noiseFor(variant.noise, heard, deriveSeed(seed, 'noise'), sources);
    heard = addNoiseAtSnr(heard, noise, variant.noise.snr_db, speechRms);
  }
  if (variant.gain_db !== undefined && variant.gain_db !== 0) heard = changeGain(heard, variant.gain_db);
  if (variant.channel === 'telephone') heard = telephone(heard);
  if (variant.packet_loss !== undefined && variant.packet_loss.rate > 0) {
    const { rate, frame_ms = DEFAULT_FRAME_MS } = variant.packet_loss;
    heard = dropPackets(heard, rate, frame_ms, deriveSeed(seed, 'packet_loss'));
  }
  return heard;
}

/** The raw noise of a condition, as long as the audio it goes into. */
function noiseFor(
  condition: NoiseCondition,
  audio: Audio,
  seed: number,
  sources: VariantSources,
): Float64Array {
  const { length } = audio.pcm;
  switch (condition.type) {
    case 'white':
      return whiteNoise(length, seed);
    case 'pink':
      return pinkNoise(length, seed);
    case 'brown':
      return brownNoise(length, audio.sampleRate, seed);
    case 'hum':
      return hum(length, audio.sampleRate, condition.hum_hz ?? DEFAULT_HUM_HZ, seed);
    case 'babble':
      if (sources.babble === undefined) {
        throw new AudioFormatError(
          'babble noise needs a babble bed, and none was given',
          'make one with babbleBed() and pass it as sources.babble (the suite does this for you)',
        );
      }
      return bedNoise(sources.babble, length, audio.sampleRate, seed);
  }
}
