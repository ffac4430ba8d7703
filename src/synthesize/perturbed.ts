import { createHash } from 'node:crypto';
import { applyVariant, variantCacheKey, type Variant } from '../audio/variant.js';
import { untilAborted } from '../core/pipeline.js';
import type { Audio, Synthesizer } from '../core/types.js';
import { AudioMemory, copyAudio } from './audio-memory.js';
import { babbleBed } from './babble.js';

/** Options of the perturbed speech cache. */
export interface PerturbedSpeechOptions {
  /** Most PCM bytes of perturbed audio kept in memory, least recently used dropped first (default 64 MiB). */
  memoryBytes?: number;
  /** Disk cache folder of the babble talkers' speech, as babbleBed's `cacheDir` (default false: memory only). */
  babbleCacheDir?: string | false;
}

/** What the cache did so far. */
export interface PerturbedSpeechStats {
  /** Perturbations computed: one per (speech, variant, seed). */
  made: number;
  /** Calls answered without computing one: from memory, or sharing one in progress. */
  hits: number;
}

/**
 * Speech heard under variants (docs/variants.md), made once per (speech, variant, seed) and kept in
 * memory. The clean speech comes from the synthesizer it wraps (the suite's voices, behind the audio
 * cache), so a variant never synthesizes again: speech requests stay one per text and voice. Perturbed
 * audio is not written to disk: making it again costs about 2 ms of CPU per second of audio, no more
 * than reading and checking a cached file. A suite makes one and shares it across its voices.
 */
export class PerturbedSpeech {
  private readonly memory: AudioMemory;
  private readonly flights = new Map<string, Promise<Audio>>();
  private readonly babbleCacheDir: string | false;
  private readonly stats: PerturbedSpeechStats = { made: 0, hits: 0 };

  constructor(options: PerturbedSpeechOptions = {}) {
    this.memory = new AudioMemory(options.memoryBytes ?? 64 * 1024 * 1024);
    this.babbleCacheDir = options.babbleCacheDir ?? false;
  }

  /** A copy of the counters, for tests and benchmarks. */
  get counters(): PerturbedSpeechStats {
    return { ...this.stats };
  }

  /**
   * The speech of `inner` heard under `variant`: each text is spoken by `inner`, then perturbed with
   * the seed `seedOf(text)`. The synthesizer it returns gives the audio only, never the variant.
   */
  under(inner: Synthesizer, variant: Variant, seedOf: (text: string) => number): Synthesizer {
    return {
      id: `${inner.id} under ${variant.name}`,
      voice: inner.voice,
      synthesize: (text, signal) => this.heard(inner, text, variant, seedOf(text), signal),
    };
  }

  private async heard(
    inner: Synthesizer,
    text: string,
    variant: Variant,
    seed: number,
    signal: AbortSignal | undefined,
  ): Promise<Audio> {
    const key = createHash('sha256')
      .update(JSON.stringify([inner.id, text, variantCacheKey(variant, seed)]))
      .digest('hex');
    let found = this.lookup(key);
    if (found === undefined) {
      // Each caller asks for the speech with its own signal: the speech cache shares the request and
      // cancels it only when every caller has given up. The perturbation is then shared.
      const speech = await inner.synthesize(text, signal);
      found = this.lookup(key) ?? this.start(key, speech, variant, seed);
    }
    const audio = found instanceof Promise ? await (signal ? untilAborted(found, signal) : found) : found;
    return copyAudio(audio);
  }

  /** The perturbed audio kept under `key`, or the one being made; counted as a hit when found. */
  private lookup(key: string): Audio | Promise<Audio> | undefined {
    const found = this.memory.get(key) ?? this.flights.get(key);
    if (found !== undefined) this.stats.hits++;
    return found;
  }

  /** Makes the perturbed audio once for every caller of `key`, and keeps it when it is made. */
  private start(key: string, speech: Audio, variant: Variant, seed: number): Promise<Audio> {
    this.stats.made++;
    const flight = this.perturb(speech, variant, seed);
    this.flights.set(key, flight);
    flight.then(
      (audio) => {
        this.flights.delete(key);
        this.memory.set(key, audio);
      },
      // A failure is not kept: the next call tries again.
      () => this.flights.delete(key),
    );
    return flight;
  }

  private async perturb(speech: Audio, variant: Variant, seed: number): Promise<Audio> {
    const babble =
      variant.noise?.type === 'babble' ? await babbleBed({ cacheDir: this.babbleCacheDir }) : undefined;
    return applyVariant(speech, variant, seed, babble ? { babble } : {});
  }
}
