import { beforeAll, describe, expect, it } from 'vitest';
import { rms } from '../../src/audio/measure.js';
import { addNoiseAtSnr } from '../../src/audio/mix.js';
import { brownNoise, hum, pinkNoise, whiteNoise } from '../../src/audio/noise-sources.js';
import type { NoiseType } from '../../src/audio/variant-schema.js';
import { applyVariant } from '../../src/audio/variant.js';
import type { Audio } from '../../src/core/types.js';
import { makeBabbleBed } from '../../src/synthesize/babble.js';
import { measuredSnrDb, octaveDb } from './signal.js';
import { fliteSpeech, SPEECH } from './speech.js';

let speech: Audio;
let babble: Audio;
beforeAll(async () => {
  [speech, babble] = await Promise.all([fliteSpeech(), makeBabbleBed({ seconds: 10 })]);
});

const TYPES: NoiseType[] = ['white', 'pink', 'brown', 'hum', 'babble'];

/** The SNR as a listener would measure it: speech RMS over the RMS of what was added (noisy − speech). */
function directSnrDb(clean: Audio, noisy: Audio): number {
  let power = 0;
  noisy.pcm.forEach((sample, i) => {
    power += (sample - (clean.pcm[i] as number)) ** 2;
  });
  return 20 * Math.log10(rms(clean.pcm) / Math.sqrt(power / noisy.pcm.length));
}

/**
 * The SNR of a mix: directly (noisy − speech is the noise added) unless the mix was scaled down to
 * fit 16 bits (its peak is full scale), then by projection (measuredSnrDb).
 */
function snrOf(clean: Audio, noisy: Audio): number {
  return peak(noisy) < 32767 ? directSnrDb(clean, noisy) : measuredSnrDb(clean, noisy);
}

const peak = (audio: Audio) => audio.pcm.reduce((max, sample) => Math.max(max, Math.abs(sample)), 0);

describe.each(SPEECH)('noise at a target SNR on real %s speech', (_, make) => {
  let speech: Audio;
  beforeAll(async () => {
    speech = await make();
  });

  describe.each(TYPES)('%s', (type) => {
    it.each([0, 5, 10, 20, 30, 60])('measures %i dB within 0.5 dB', async (snr) => {
      const noisy = await applyVariant(speech, { name: 'n', noise: { type, snr_db: snr } }, 7, { babble });
      expect(noisy.sampleRate).toBe(speech.sampleRate);
      expect(noisy.pcm.length).toBe(speech.pcm.length);
      expect(Math.abs(snrOf(speech, noisy) - snr)).toBeLessThan(0.5);
    });

    it('keeps the SNR at −10 dB by scaling the whole mix down instead of clipping it', async () => {
      const noisy = await applyVariant(speech, { name: 'n', noise: { type, snr_db: -10 } }, 7, { babble });
      expect(peak(noisy)).toBe(32767);
      expect(Math.abs(measuredSnrDb(speech, noisy) - -10)).toBeLessThan(0.5);
    });
  });
});

describe('noise level on real Flite speech', () => {
  it('measures the SNR against the speech without its padding: silence does not lower the noise', async () => {
    const padded = await applyVariant(
      speech,
      {
        name: 'p',
        leading_silence_ms: 2000,
        trailing_silence_ms: 1000,
        noise: { type: 'white', snr_db: 10 },
      },
      3,
    );
    const lead = 2 * speech.sampleRate;
    const speechPart = {
      pcm: padded.pcm.subarray(lead, lead + speech.pcm.length),
      sampleRate: speech.sampleRate,
    };
    expect(Math.abs(directSnrDb(speech, speechPart) - 10)).toBeLessThan(0.5);
    // The noise covers the pauses too, at the same level.
    const pause = padded.pcm.subarray(0, lead);
    expect(20 * Math.log10(rms(speech.pcm) / rms(pause))).toBeCloseTo(10, 0);
  });

  it('the check can fail: noise added at another level is caught', () => {
    const noisy = addNoiseAtSnr(speech, whiteNoise(speech.pcm.length, 1), 10, rms(speech.pcm) / 2);
    expect(Math.abs(directSnrDb(speech, noisy) - 10)).toBeGreaterThan(5);
  });
});

describe('noise colours', () => {
  const RATE = 16000;
  const LENGTH = 8 * RATE;
  /** Change of energy per octave from 250–500 Hz up to 2–4 kHz, in dB (least squares slope). */
  function slopePerOctave(noise: Float64Array): number {
    const bands = [250, 500, 1000, 2000].map((from) => octaveDb(noise, RATE, from));
    const mean = bands.reduce((a, b) => a + b, 0) / bands.length;
    return bands.reduce((sum, value, i) => sum + (i - 1.5) * (value - mean), 0) / 5;
  }

  it('white noise gains 3 dB an octave (equal power per hertz)', () => {
    expect(slopePerOctave(whiteNoise(LENGTH, 1))).toBeCloseTo(3, 0);
  });

  it('pink noise has the same energy in every octave', () => {
    expect(Math.abs(slopePerOctave(pinkNoise(LENGTH, 1)))).toBeLessThan(0.5);
  });

  it('brown noise loses 3 dB an octave (6 dB per octave per hertz), without drift', () => {
    const noise = brownNoise(LENGTH, RATE, 1);
    expect(slopePerOctave(noise)).toBeCloseTo(-3, 0);
    const mean = noise.reduce((a, b) => a + b, 0) / noise.length;
    const spread = Math.sqrt(noise.reduce((a, b) => a + (b - mean) ** 2, 0) / noise.length);
    const firstHalf = noise.subarray(0, LENGTH / 2).reduce((a, b) => a + b * b, 0);
    const secondHalf = noise.subarray(LENGTH / 2).reduce((a, b) => a + b * b, 0);
    expect(Math.abs(mean)).toBeLessThan(spread);
    expect(firstHalf / secondHalf).toBeGreaterThan(0.5);
    expect(firstHalf / secondHalf).toBeLessThan(2);
  });

  it.each([50, 60])('hum at %i Hz puts its energy on the mains harmonics', (frequency) => {
    const noise = hum(RATE, RATE, frequency, 1);
    // One second at 16 kHz: a 16000-point DFT has 1 Hz bins; check the fundamental against a bin between harmonics.
    const dft = (f: number) => {
      let re = 0;
      let im = 0;
      noise.forEach((value, i) => {
        re += value * Math.cos((2 * Math.PI * f * i) / RATE);
        im -= value * Math.sin((2 * Math.PI * f * i) / RATE);
      });
      return Math.hypot(re, im);
    };
    expect(dft(frequency) / dft(frequency * 1.5)).toBeGreaterThan(1000);
    expect(dft(frequency * 2) / dft(frequency)).toBeCloseTo(0.5, 2);
  });
});
