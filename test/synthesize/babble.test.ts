import { describe, expect, it } from 'vitest';
import { rms } from '../../src/audio/measure.js';
import { babbleBed, makeBabbleBed } from '../../src/synthesize/babble.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import type { Audio } from '../../src/core/types.js';

const bytes = (audio: Audio) => Buffer.from(audio.pcm.buffer, audio.pcm.byteOffset, audio.pcm.byteLength);

/** How much the level of 50 ms frames varies (std ÷ mean): one talker pauses between words, a crowd does not. */
function levelSpread(audio: Audio): number {
  const frame = audio.sampleRate / 20;
  const levels: number[] = [];
  for (let start = 0; start + frame <= audio.pcm.length; start += frame) {
    levels.push(rms(audio.pcm.subarray(start, start + frame)));
  }
  const mean = levels.reduce((a, b) => a + b, 0) / levels.length;
  return Math.sqrt(levels.reduce((a, b) => a + (b - mean) ** 2, 0) / levels.length) / mean;
}

let seedOne: Promise<Audio> | undefined;
/** A 6-second bed of seed 1 (the default seed), made once for the tests that read it. */
const bedOfSeedOne = () => (seedOne ??= makeBabbleBed({ seed: 1, seconds: 6 }));

describe('babble bed from real Flite voices', () => {
  it('is the same for the same seed, different for another, and as long as asked', async () => {
    const [first, again, other] = await Promise.all([
      bedOfSeedOne(),
      makeBabbleBed({ seed: 1, seconds: 6 }),
      makeBabbleBed({ seed: 2, seconds: 6 }),
    ]);
    expect(first.sampleRate).toBe(16000);
    expect(first.pcm.length).toBe(6 * 16000);
    expect(bytes(again)).toEqual(bytes(first));
    expect(bytes(other)).not.toEqual(bytes(first));
  });

  it('sounds like a crowd: far steadier in level than one talker, with headroom', async () => {
    const bed = await bedOfSeedOne();
    const talker = await new FliteSynthesizer({ voice: 'slt' }).synthesize(
      'Did you see the game last night? It went to extra time. My sister is moving to a new flat next month.',
    );
    expect(levelSpread(bed)).toBeLessThan(levelSpread(talker) / 2);
    expect(Math.max(...bed.pcm.map(Math.abs))).toBe(16384);
  });

  it('is made once per process and options', async () => {
    const a = babbleBed({ seconds: 3 });
    expect(babbleBed({ seconds: 3 })).toBe(a);
    const other = babbleBed({ seconds: 3, seed: 5 });
    expect(other).not.toBe(a);
    // Both awaited: a bed left making itself would take its time from the tests after this one.
    const [made, otherMade] = await Promise.all([a, other]);
    expect(made.pcm.length).toBe(3 * 16000);
    expect(bytes(otherMade)).not.toEqual(bytes(made));
  });
});
