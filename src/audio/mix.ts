import { AudioFormatError } from '../core/errors.js';
import type { Audio } from '../core/types.js';
import { rms } from './measure.js';

/**
 * Adds `noise` at a signal-to-noise ratio of exactly `snrDb`, defined as 20·log10(speech RMS ÷ RMS
 * of the noise added), both over the whole clip. The speech RMS is that of `audio` unless given: a
 * variant passes the RMS of the speech before its silence padding, so padding does not change the
 * noise level. When the sum would pass 16 bits (loud noise at a low SNR), the whole mix is scaled
 * down to fit, as a recorder's gain would be, instead of clipped: the SNR stays exact.
 */
export function addNoiseAtSnr(
  audio: Audio,
  noise: Float64Array,
  snrDb: number,
  speechRms = rms(audio.pcm),
): Audio {
  if (noise.length !== audio.pcm.length) {
    throw new AudioFormatError(
      `noise of ${noise.length} samples cannot be added to ${audio.pcm.length} samples`,
    );
  }
  let power = 0;
  for (let i = 0; i < noise.length; i++) power += (noise[i] as number) ** 2;
  const noiseRms = Math.sqrt(power / Math.max(1, noise.length));
  // Silent speech or silent noise: nothing to measure the SNR against, nothing to add.
  const scale = noiseRms === 0 ? 0 : speechRms / 10 ** (snrDb / 20) / noiseRms;
  const mix = new Float64Array(noise.length);
  let peak = 0;
  for (let i = 0; i < mix.length; i++) {
    const value = (audio.pcm[i] as number) + scale * (noise[i] as number);
    mix[i] = value;
    peak = Math.max(peak, Math.abs(value));
  }
  const fit = peak > 32767 ? 32767 / peak : 1;
  const pcm = new Int16Array(mix.length);
  for (let i = 0; i < mix.length; i++) pcm[i] = Math.round((mix[i] as number) * fit);
  return { pcm, sampleRate: audio.sampleRate };
}
