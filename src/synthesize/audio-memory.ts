import type { Audio } from '../core/types.js';

/**
 * Audio kept in memory up to a number of PCM bytes, the least recently used dropped first: the memory
 * half of the audio cache (CachedSynthesizer), of speech and of speech under variants alike.
 */
export class AudioMemory {
  private readonly entries = new Map<string, Audio>();
  private used = 0;

  constructor(private readonly limitBytes: number) {}

  /** The audio kept under `key`, now the most recently used; undefined when none is. */
  get(key: string): Audio | undefined {
    const audio = this.entries.get(key);
    if (audio === undefined) return undefined;
    // Re-insert: Map order is the recency order of the LRU.
    this.entries.delete(key);
    this.entries.set(key, audio);
    return audio;
  }

  /** Keeps `audio` under `key`, dropping the least recently used entries over the limit; a clip over the limit alone is not kept. */
  set(key: string, audio: Audio): void {
    const bytes = audio.pcm.byteLength;
    if (bytes > this.limitBytes) return;
    const replaced = this.entries.get(key);
    if (replaced !== undefined) this.used -= replaced.pcm.byteLength;
    this.entries.delete(key);
    this.entries.set(key, audio);
    this.used += bytes;
    for (const [oldKey, old] of this.entries) {
      if (this.used <= this.limitBytes) break;
      this.entries.delete(oldKey);
      this.used -= old.pcm.byteLength;
    }
  }
}
