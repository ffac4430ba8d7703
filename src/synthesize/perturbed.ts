import { createHash } from 'node:crypto';
import type { Variant } from '../audio/variant-schema.js';
import { applyVariant, variantCacheKey } from '../audio/variant.js';
import type { Audio, Synthesizer } from '../core/types.js';
import { AudioMemory } from './audio-memory.js';
import { babbleBed } from './babble.js';
import { CachedSynthesizer } from './cached.js';

/** Options of the perturbed speech cache. */
export interface PerturbedSpeechOptions {
  /** The audio cache folder, as the speech cache's `dir` (false: memory only). The babble talkers are cached there too. */
  dir: string | false;
  /** Most PCM bytes of speech under variants kept in memory, over every voice and variant together (default 64 MiB). */
  memoryBytes?: number;
  /** Told once when the disk cache fails, as the speech cache tells it. */
  onWarning?: (message: string) => void;
}

/**
 * Speech heard under variants (docs/variants.md), cached per (speech, variant) exactly as speech is:
 * for each voice and variant a CachedSynthesizer of the voice's speech perturbed by applyVariant,
 * in memory and in the audio cache on disk. The clean speech comes from the voice (behind its own
 * cache), so a variant never synthesizes again: speech requests stay one per text and voice. The
 * seed of a text's perturbation comes from the text (variantSeed), so every run that speaks a text
 * in a voice under a variant hears the same bytes, on every machine, and a warm cache reads them
 * back instead of making them again.
 */
export class PerturbedSpeech {
  private readonly caches = new Map<Synthesizer, Map<string, CachedSynthesizer>>();
  private readonly keys = new WeakMap<Variant, string>();
  // One memory for every voice and variant: a suite of many voices × variants keeps at most this
  // much perturbed audio, not a share per pair. The runs of a clip are planned together, so the
  // least recently used clip is one whose runs are done (a later scenario that speaks the same text
  // reads it back from the disk cache).
  private readonly memory: AudioMemory;

  constructor(private readonly options: PerturbedSpeechOptions) {
    this.memory = new AudioMemory(options.memoryBytes ?? 64 * 1024 * 1024);
  }

  /** Perturbations made (`made`), and those served from memory, disk or a call in flight (`cacheHits`). */
  get counters(): { made: number; cacheHits: number } {
    let made = 0;
    let cacheHits = 0;
    for (const byVariant of this.caches.values()) {
      for (const cache of byVariant.values()) {
        const { requests, hits, shared } = cache.counters;
        made += requests;
        cacheHits += hits + shared;
      }
    }
    return { made, cacheHits };
  }

  /** What `voice` sounds like under `variant`: its speech, perturbed. It gives the audio only, never the variant. */
  under(voice: Synthesizer, variant: Variant): Synthesizer {
    let byConditions = this.caches.get(voice);
    if (byConditions === undefined) this.caches.set(voice, (byConditions = new Map()));
    // Keyed by the conditions, not the name: variants that sound the same (in two scenarios' lists)
    // share their audio. The key is made once per variant, not at every run.
    let conditions = this.keys.get(variant);
    if (conditions === undefined) this.keys.set(variant, (conditions = variantCacheKey(variant, 0)));
    let cache = byConditions.get(conditions);
    if (cache === undefined) {
      cache = this.cacheOf(voice, variant, conditions);
      byConditions.set(conditions, cache);
    }
    return cache;
  }

  private cacheOf(voice: Synthesizer, variant: Variant, conditions: string): CachedSynthesizer {
    // The seed is not part of the id: it comes from the text, which the cache key holds.
    const id = `${voice.id} under ${conditions}`;
    const { dir, onWarning } = this.options;
    const perturbing: Synthesizer = {
      id,
      voice: voice.voice,
      synthesize: async (text, signal) =>
        this.perturb(await voice.synthesize(text, signal), variant, variantSeed(text)),
    };
    return new CachedSynthesizer(perturbing, {
      dir,
      memory: this.memory,
      ...(onWarning ? { onWarning } : {}),
    });
  }

  private async perturb(speech: Audio, variant: Variant, seed: number): Promise<Audio> {
    const babble =
      variant.noise?.type === 'babble' ? await babbleBed({ cacheDir: this.options.dir }) : undefined;
    return applyVariant(speech, variant, seed, babble ? { babble } : {});
  }
}

/**
 * The seed of a variant's randomness (which stretch of noise, which packets are lost) for a text:
 * the first 32 bits of its sha256. Every run of a text hears the same audio under a variant, so a
 * repeated run measures the agent, not the noise; each turn of a conversation has its own noise.
 */
export function variantSeed(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}
