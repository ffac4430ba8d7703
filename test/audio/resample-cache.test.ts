import { describe, expect, it } from 'vitest';
import { resample } from '../../src/audio/resample.js';
import { ResampleCache } from '../../src/audio/resample-cache.js';
import type { Audio } from '../../src/core/types.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';

const flite = new FliteSynthesizer({ voice: 'kal16' });

/** A fresh copy of `audio`, as the audio cache hands one to each run. */
const copy = (audio: Audio): Audio => ({ pcm: audio.pcm.slice(), sampleRate: audio.sampleRate });
/** Half a second of noise-like samples at 16 kHz, different for each seed. */
function clip(seed: number): Audio {
  const pcm = new Int16Array(8000);
  for (let i = 0; i < pcm.length; i++) pcm[i] = ((i * 7919 + seed * 104729) % 20000) - 10000;
  return { pcm, sampleRate: 16000 };
}

describe('ResampleCache', () => {
  it('gives what resample gives, and resamples each content once however many copies come', async () => {
    const speech = await flite.synthesize('Book a table for two at seven');
    const cache = new ResampleCache();
    const expected = resample(speech, 24000);
    const first = cache.resample(copy(speech), 24000);
    const second = cache.resample(copy(speech), 24000);
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 1 });
  });

  it('hands out copies: changing what it returned changes nothing for the next caller', () => {
    const cache = new ResampleCache();
    const audio = clip(1);
    cache.resample(audio, 24000).pcm.fill(0);
    const again = cache.resample(copy(audio), 24000);
    expect(again.pcm).toEqual(resample(audio, 24000).pcm);
    again.pcm.fill(0);
    expect(cache.resample(audio, 24000).pcm).toEqual(resample(audio, 24000).pcm);
  });

  it('keys on the content and both rates', () => {
    const cache = new ResampleCache();
    cache.resample(clip(1), 24000);
    cache.resample(clip(2), 24000);
    cache.resample(clip(1), 48000);
    cache.resample({ ...clip(1), sampleRate: 8000 }, 24000);
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 0, misses: 4 });
  });

  it('returns audio already at the rate as it is, without hashing or keeping it', () => {
    const cache = new ResampleCache();
    const audio = clip(1);
    expect(cache.resample(audio, 16000)).toBe(audio);
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 0, misses: 0 });
  });

  it('drops the least recently used results past its size', () => {
    // Each result is 12 000 samples (24 KB): two fit, a third pushes out the least recently used.
    const cache = new ResampleCache(2 * 24_000);
    cache.resample(clip(1), 24000);
    cache.resample(clip(2), 24000);
    cache.resample(clip(1), 24000); // a hit: clip 1 is now the most recent
    cache.resample(clip(3), 24000); // pushes out clip 2
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 3 });
    cache.resample(clip(1), 24000);
    cache.resample(clip(2), 24000);
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 2, misses: 4 });
  });
});
