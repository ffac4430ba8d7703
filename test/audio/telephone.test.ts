import { beforeAll, describe, expect, it } from 'vitest';
import { durationSeconds } from '../../src/audio/measure.js';
import { decimateBy2, interpolateBy2 } from '../../src/audio/halfband.js';
import { rms } from '../../src/audio/measure.js';
import { resample } from '../../src/audio/resample.js';
import { muLawDecode, muLawEncode, narrowband, telephone } from '../../src/audio/telephone.js';
import type { Audio } from '../../src/core/types.js';
import { bandShareDb } from './signal.js';
import { SPEECH } from './speech.js';

describe('G.711 μ-law', () => {
  // Reference points of the G.711 μ-law table, its 14-bit outputs ×4 for 16-bit samples: each segment
  // doubles the step (2, 4, 8, … in 14-bit units); bits are inverted on the line.
  it.each([
    [0xff, 0],
    [0x7f, 0],
    [0xfe, 8],
    [0x7e, -8],
    [0xf0, 120],
    [0xef, 132],
    [0xe0, 372],
    [0xdf, 396],
    [0x8f, 16764],
    [0x80, 32124],
    [0x00, -32124],
  ])('decodes code %i to its G.711 value %i', (code, value) => {
    expect(muLawDecode(code)).toBe(value);
  });

  it.each([
    [0, 0xff],
    [-1, 0x7f],
    [8, 0xfe],
    [120, 0xf0],
    [132, 0xef],
    [32767, 0x80],
    [-32768, 0x00],
  ])('encodes %i as code %i', (sample, code) => {
    expect(muLawEncode(sample)).toBe(code);
  });

  it('round-trips every 16-bit value to within half a step of its segment, monotonically', () => {
    let previous = -Infinity;
    for (let sample = -32768; sample <= 32767; sample++) {
      const decoded = muLawDecode(muLawEncode(sample));
      const magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
      const step = 2 ** (24 - Math.clz32(magnitude) + 3);
      // Beyond the largest code (±32635) the coder clips; below it the error is at most half a step.
      const limit = Math.abs(sample) > 32635 ? Math.abs(sample) - 32124 : step / 2;
      expect(Math.abs(decoded - sample)).toBeLessThanOrEqual(limit);
      expect(decoded).toBeGreaterThanOrEqual(previous);
      previous = decoded;
    }
  });

  it('decodes and re-encodes every code to itself (but negative zero, which is zero)', () => {
    for (let code = 0; code < 256; code++) {
      expect(muLawEncode(muLawDecode(code))).toBe(code === 0x7f ? 0xff : code);
    }
  });
});

describe.each(SPEECH)('telephone channel on real %s speech', (_, make) => {
  let speech: Audio;
  beforeAll(async () => {
    speech = await make();
  });

  it('is 8 kHz μ-law on the line: every sample is one of the 256 G.711 values', () => {
    const line = narrowband(speech);
    const codes = new Set(Array.from({ length: 256 }, (_, code) => muLawDecode(code)));
    expect(line.sampleRate).toBe(8000);
    expect(durationSeconds(line)).toBeCloseTo(durationSeconds(speech), 2);
    expect(line.pcm.every((sample) => codes.has(sample))).toBe(true);
    // The check can fail: plain 8 kHz PCM is not μ-law.
    expect(resample(speech, 8000).pcm.every((sample) => codes.has(sample))).toBe(false);
  });

  it('is heard at the original rate with no energy above 4 kHz (Welch FFT, 1024-point Hann frames)', () => {
    const heard = telephone(speech);
    expect(heard.sampleRate).toBe(speech.sampleRate);
    expect(heard.pcm.length).toBe(speech.pcm.length);
    // The clean speech has real energy up there; the line leaves less than a millionth of the total.
    expect(bandShareDb(speech, 4000, 8000)).toBeGreaterThan(-40);
    expect(bandShareDb(heard, 4000, 8000)).toBeLessThan(-60);
  });

  it('keeps the voice band and cuts the band under 300 Hz', () => {
    const heard = telephone(speech);
    expect(bandShareDb(heard, 300, 3400)).toBeGreaterThan(-0.5);
    expect(bandShareDb(heard, 0, 200)).toBeLessThan(bandShareDb(speech, 0, 200) - 10);
  });
});

describe('telephone channel at other rates', () => {
  it('takes 24 kHz speech through the general resampler: same rate and length, nothing above 4 kHz', async () => {
    const [, make] = SPEECH[0] as [string, () => Promise<Audio>];
    const speech24 = resample(await make(), 24000);
    const heard = telephone(speech24);
    expect(heard.sampleRate).toBe(24000);
    expect(heard.pcm.length).toBe(speech24.pcm.length);
    expect(bandShareDb(heard, 4000, 12000)).toBeLessThan(-60);
    expect(narrowband(speech24).sampleRate).toBe(8000);
  });
});

describe('half-band rate changes by 2', () => {
  const RATE = 16000;
  const tone = (hz: number, rate: number, seconds = 1) =>
    Float64Array.from({ length: rate * seconds }, (_, i) => 10000 * Math.sin((2 * Math.PI * hz * i) / rate));
  /** RMS of the middle half, away from the edges' start-up. */
  const middleRms = (signal: Float64Array) =>
    rms(Int16Array.from(signal.subarray(signal.length / 4, (3 * signal.length) / 4), Math.round));

  it.each([300, 1000, 3000, 3400])('passes %i Hz down and up within 0.1 dB', (hz) => {
    const down = decimateBy2(tone(hz, RATE));
    expect(down.length).toBe(RATE / 2);
    expect(20 * Math.log10(middleRms(down) / middleRms(tone(hz, RATE / 2)))).toBeCloseTo(0, 1);
    const up = interpolateBy2(tone(hz, RATE / 2));
    expect(up.length).toBe(RATE);
    expect(20 * Math.log10(middleRms(up) / middleRms(tone(hz, RATE)))).toBeCloseTo(0, 1);
  });

  it.each([4700, 6000, 7500])('stops %i Hz from aliasing by more than 70 dB', (hz) => {
    expect(20 * Math.log10(middleRms(decimateBy2(tone(hz, RATE))) / middleRms(tone(hz, RATE)))).toBeLessThan(
      -70,
    );
  });

  it('keeps the input samples when interpolating, and a constant constant', () => {
    const input = Float64Array.from({ length: 200 }, (_, i) => (i * 37) % 101);
    const up = interpolateBy2(input);
    input.forEach((value, i) => expect(up[2 * i]).toBe(value));
    const flat = interpolateBy2(new Float64Array(200).fill(1000));
    expect(flat[201]).toBeCloseTo(1000, 6);
    expect(decimateBy2(new Float64Array(200).fill(1000))[50]).toBeCloseTo(1000, 6);
  });
});
