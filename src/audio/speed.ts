import { AudioFormatError } from '../core/errors.js';
import type { Audio } from '../core/types.js';
import { resample } from './resample.js';

/** Speed factors are taken in steps of 0.01, which keeps the resampling filter small. */
const STEPS = 100;
const RANGE = { min: 0.5, max: 2 };

/**
 * Plays the audio `factor` times as fast at the same sample rate, tape-style: the pitch moves with
 * the speed (1.25 is a quarter faster and a quarter higher).
 */
export function changeSpeed(audio: Audio, factor: number): Audio {
  if (!Number.isFinite(factor) || factor < RANGE.min || factor > RANGE.max) {
    throw new AudioFormatError(
      `cannot change the speed by ${factor}`,
      `give a factor from ${RANGE.min} to ${RANGE.max} (1 is unchanged)`,
    );
  }
  const steps = Math.round(factor * STEPS);
  if (steps === STEPS) return audio;
  // Read the samples as if recorded `factor` times faster, then convert back to the real rate.
  const faster = resample({ pcm: audio.pcm, sampleRate: audio.sampleRate * steps }, audio.sampleRate * STEPS);
  return { pcm: faster.pcm, sampleRate: audio.sampleRate };
}
