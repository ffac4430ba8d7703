import { AudioFormatError } from '../core/errors.js';
import type { Audio } from '../core/types.js';
import { rms } from './measure.js';

/**
 * Adds white Gaussian noise `snrDb` decibels below the audio's RMS level (measured over the whole
 * clip, pauses included). The same `seed` gives the same noise, so a run can be replayed.
 */
export function addNoise(audio: Audio, snrDb: number, seed = 1): Audio {
  if (!Number.isFinite(snrDb)) {
    throw new AudioFormatError(
      `cannot add noise at an SNR of ${snrDb} dB`,
      'give the SNR as a finite number of dB',
    );
  }
  const noiseRms = rms(audio.pcm) / 10 ** (snrDb / 20);
  const random = mulberry32(seed);
  const pcm = new Int16Array(audio.pcm.length);
  for (let i = 0; i < pcm.length; i++) {
    // Box–Muller: two uniform numbers give one standard normal one.
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const sample = Math.round((audio.pcm[i] as number) + gaussian * noiseRms);
    pcm[i] = sample > 32767 ? 32767 : sample < -32768 ? -32768 : sample;
  }
  return { pcm, sampleRate: audio.sampleRate };
}

/** A small seeded generator of uniform numbers in [0, 1): repeatable, unlike Math.random. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
