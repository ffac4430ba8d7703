import type { Audio } from '../core/types.js';

/** Length of the audio in seconds. */
export function durationSeconds(audio: Audio): number {
  return audio.pcm.length / audio.sampleRate;
}

/**
 * RMS level in dB relative to full scale (a full-scale square wave is 0 dBFS, a full-scale sine
 * −3.01 dBFS); −Infinity for silence or empty audio.
 */
export function rmsDbfs(audio: Audio): number {
  return 20 * Math.log10(rms(audio.pcm) / 32768);
}

/** Root mean square of the samples, in sample units (0 to 32768). */
export function rms(pcm: Int16Array): number {
  if (pcm.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < pcm.length; i++) {
    const sample = pcm[i] as number;
    sum += sample * sample;
  }
  return Math.sqrt(sum / pcm.length);
}
