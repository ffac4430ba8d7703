import { AudioFormatError } from '../core/errors.js';
import type { Audio } from '../core/types.js';
import { rms } from './measure.js';
import { gaussian, mulberry32 } from './random.js';

/**
 * Adds white Gaussian noise `snrDb` decibels below the audio's RMS level (measured over the whole
 * clip, pauses included). The same `seed` gives the same noise, so a run can be replayed. The noise
 * level is the expected one, not measured; a variant's `noise` (addNoiseAtSnr in mix.ts) measures it.
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
    const sample = Math.round((audio.pcm[i] as number) + gaussian(random) * noiseRms);
    pcm[i] = sample > 32767 ? 32767 : sample < -32768 ? -32768 : sample;
  }
  return { pcm, sampleRate: audio.sampleRate };
}
