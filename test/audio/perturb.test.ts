import { beforeAll, describe, expect, it } from 'vitest';
import { durationSeconds, rms, rmsDbfs } from '../../src/audio/measure.js';
import { addNoise } from '../../src/audio/noise.js';
import { changeSpeed } from '../../src/audio/speed.js';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';
import { AudioFormatError } from '../../src/core/errors.js';
import type { Audio } from '../../src/core/types.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';

let speech: Audio;
beforeAll(async () => {
  // Real WAV bytes from the real synthesizer, decoded as an agent would get them.
  speech = decodeWav(
    encodeWav(
      await new FliteSynthesizer({ voice: 'slt' }).synthesize('Book a table for two at seven tonight.'),
    ),
  );
});

function difference(a: Audio, b: Audio): Int16Array {
  return Int16Array.from(a.pcm, (sample, i) => sample - (b.pcm[i] as number));
}

describe('addNoise', () => {
  it.each([0, 10, 20, 30])('adds noise %i dB under the speech level', (snr) => {
    const noisy = addNoise(speech, snr);
    expect(noisy.sampleRate).toBe(speech.sampleRate);
    expect(noisy.pcm.length).toBe(speech.pcm.length);
    const measured = 20 * Math.log10(rms(speech.pcm) / rms(difference(noisy, speech)));
    expect(measured).toBeCloseTo(snr, 0);
  });

  it('is white: neighbouring noise samples are uncorrelated', () => {
    const silence = { pcm: new Int16Array(48000).fill(1000), sampleRate: 16000 };
    const noise = difference(addNoise(silence, 0), silence);
    let lagged = 0;
    let power = 0;
    for (let i = 1; i < noise.length; i++) {
      lagged += (noise[i] as number) * (noise[i - 1] as number);
      power += (noise[i] as number) ** 2;
    }
    expect(Math.abs(lagged / power)).toBeLessThan(0.02);
  });

  it('repeats with the same seed and differs with another', () => {
    expect(addNoise(speech, 10, 7).pcm).toEqual(addNoise(speech, 10, 7).pcm);
    expect(addNoise(speech, 10, 7).pcm).not.toEqual(addNoise(speech, 10, 8).pcm);
  });

  it('leaves silence silent, and clips instead of wrapping around', () => {
    expect(addNoise({ pcm: new Int16Array(100), sampleRate: 8000 }, 10).pcm).toEqual(new Int16Array(100));
    const loud = { pcm: new Int16Array(1000).fill(32767), sampleRate: 8000 };
    // Noise 20 dB down (σ ≈ 3300): half the samples would pass 32767 and wrap to negative without clipping.
    const noisy = addNoise(loud, 20).pcm;
    expect(Math.max(...noisy)).toBe(32767);
    expect(Math.min(...noisy)).toBeGreaterThan(0);
  });

  it('rejects an SNR that is not a number', () => {
    expect(() => addNoise(speech, Number.NaN)).toThrow(AudioFormatError);
  });
});

describe('changeSpeed', () => {
  it.each([0.8, 1.25, 1.5])('plays real speech %f times as fast', (factor) => {
    const changed = changeSpeed(speech, factor);
    expect(changed.sampleRate).toBe(speech.sampleRate);
    expect(durationSeconds(changed)).toBeCloseTo(durationSeconds(speech) / factor, 2);
    expect(Math.abs(rmsDbfs(changed) - rmsDbfs(speech))).toBeLessThan(1);
  });

  it('moves the pitch with the speed: a 500 Hz tone at 1.5× is 750 Hz', () => {
    const sampleRate = 16000;
    const pcm = Int16Array.from({ length: sampleRate }, (_, i) =>
      Math.round(10000 * Math.sin((2 * Math.PI * 500 * i) / sampleRate)),
    );
    const faster = changeSpeed({ pcm, sampleRate }, 1.5);
    let crossings = 0;
    for (let i = 1; i < faster.pcm.length; i++)
      if ((faster.pcm[i - 1] as number) < 0 && (faster.pcm[i] as number) >= 0) crossings++;
    expect(crossings / durationSeconds(faster)).toBeCloseTo(750, -1);
  });

  it('returns the audio itself at speed 1, and rejects speeds out of range', () => {
    expect(changeSpeed(speech, 1)).toBe(speech);
    expect(() => changeSpeed(speech, 3)).toThrow(/cannot change the speed by 3/);
    try {
      changeSpeed(speech, 3);
    } catch (error) {
      expect((error as AudioFormatError).hint).toMatch(/from 0.5 to 2/);
    }
    expect(() => changeSpeed(speech, 0)).toThrow(AudioFormatError);
  });
});
