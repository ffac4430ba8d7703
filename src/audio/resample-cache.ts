import { createHash } from 'node:crypto';
import type { Audio } from '../core/types.js';
import { resample } from './resample.js';

/**
 * Resampling remembered by the audio's content. A suite plays each prompt's audio to the agent
 * many times, and an agent that needs another rate (Flite's 16 kHz for the Realtime API's 24 kHz)
 * would resample it on every run: ~7 ms of CPU for 3 s of speech, against ~0.05 ms to hash it.
 * The key is the content (a hash of the samples and both rates), not the array: the audio cache
 * hands out a fresh copy of the samples to each run. Each call returns a copy as well, so a caller
 * that changes its samples changes nothing else. The least recently used results go first once
 * they hold more than `maxBytes`.
 */
export class ResampleCache {
  /** Calls answered from the cache, and calls that resampled. */
  hits = 0;
  misses = 0;
  readonly #entries = new Map<string, Int16Array>();
  #bytes = 0;

  constructor(readonly maxBytes = 64 * 2 ** 20) {}

  /** `resample(audio, targetRate)`, computed once per content and rate pair. */
  resample(audio: Audio, targetRate: number): Audio {
    if (audio.sampleRate === targetRate) return audio;
    const { pcm } = audio;
    const key = `${audio.sampleRate}>${targetRate}:${createHash('sha256')
      .update(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength))
      .digest('base64')}`;
    const known = this.#entries.get(key);
    if (known !== undefined) {
      this.hits++;
      // Map order is use order: the entry moves to the most recent end.
      this.#entries.delete(key);
      this.#entries.set(key, known);
      return { pcm: known.slice(), sampleRate: targetRate };
    }
    this.misses++;
    const resampled = resample(audio, targetRate);
    this.#entries.set(key, resampled.pcm.slice());
    this.#bytes += resampled.pcm.byteLength;
    for (const [oldest, samples] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= samples.byteLength;
    }
    return resampled;
  }
}

/** The cache that the agents which resample share. */
export const resampleCache = new ResampleCache();
