// Speech under variants as the suite keeps it: real Flite speech, perturbed by the real audio code,
// kept in ONE memory for every voice and variant, so a suite of many voices × variants holds at most
// its cap of perturbed audio.
import { describe, expect, it } from 'vitest';
import { applyVariant } from '../../src/audio/variant.js';
import { CachedSynthesizer } from '../../src/synthesize/cached.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import { PerturbedSpeech, variantSeed } from '../../src/synthesize/perturbed.js';

const TEXT = 'Book a table for two at seven.';
// Level changes keep the length: every perturbed clip is as many bytes as the speech.
const QUIETER = { name: 'quieter', gain_db: -3 };
const QUIET = { name: 'quiet', gain_db: -6 };
const QUIETEST = { name: 'quietest', gain_db: -9 };

const voice = (name: string) => new CachedSynthesizer(new FliteSynthesizer({ voice: name }), { dir: false });

describe('PerturbedSpeech', () => {
  it('keeps the perturbed audio of every voice and variant under one memory cap, least recently used dropped first', async () => {
    const kal = voice('kal16');
    const bytes = (await kal.synthesize(TEXT)).pcm.byteLength;
    // Room for two clips in all, not two per variant.
    const perturbed = new PerturbedSpeech({ dir: false, memoryBytes: Math.floor(bytes * 2.5) });
    for (const variant of [QUIETER, QUIET, QUIETEST]) await perturbed.under(kal, variant).synthesize(TEXT);
    expect(perturbed.counters).toEqual({ made: 3, cacheHits: 0 });
    await perturbed.under(kal, QUIETEST).synthesize(TEXT); // kept
    expect(perturbed.counters).toEqual({ made: 3, cacheHits: 1 });
    await perturbed.under(kal, QUIETER).synthesize(TEXT); // dropped to keep the other two: made again
    expect(perturbed.counters).toEqual({ made: 4, cacheHits: 1 });
  });

  it('keeps every clip while they fit, and never hands one voice another voice’s audio', async () => {
    const kal = voice('kal16');
    const slt = voice('slt');
    const perturbed = new PerturbedSpeech({ dir: false });
    const heard = [];
    for (const speaker of [kal, slt]) {
      for (const variant of [QUIETER, QUIET])
        heard.push(await perturbed.under(speaker, variant).synthesize(TEXT));
    }
    for (const speaker of [kal, slt]) {
      for (const variant of [QUIETER, QUIET]) await perturbed.under(speaker, variant).synthesize(TEXT);
    }
    expect(perturbed.counters).toEqual({ made: 4, cacheHits: 4 });
    const expected = await Promise.all(
      [kal, slt].flatMap((speaker) =>
        [QUIETER, QUIET].map(async (variant) =>
          applyVariant(await speaker.synthesize(TEXT), variant, variantSeed(TEXT)),
        ),
      ),
    );
    expect(heard.map((audio) => Array.from(audio.pcm))).toEqual(
      expected.map((audio) => Array.from(audio.pcm)),
    );
    expect(new Set(heard.map((audio) => audio.pcm.length)).size).toBe(2); // the two voices differ
  });
});
