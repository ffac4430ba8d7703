import { describe, expect, it } from 'vitest';
import { durationSeconds, rms, rmsDbfs } from '../../src/audio/measure.js';
import { resample } from '../../src/audio/resample.js';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';
import { AudioFormatError } from '../../src/core/errors.js';
import type { Audio } from '../../src/core/types.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';

const RATES = [8000, 16000, 22050, 24000, 48000];

/** A sine tone of `frequency` Hz at `amplitude` (share of full scale), as real WAV bytes decoded back. */
function tone(frequency: number, sampleRate: number, seconds = 0.5, amplitude = 0.5): Audio {
  const pcm = new Int16Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < pcm.length; i++)
    pcm[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
  return decodeWav(encodeWav({ pcm, sampleRate }));
}

/** The middle of the clip: the filter's run-in at both ends is not what is measured. */
function middle(audio: Audio): Audio {
  const edge = Math.round(audio.sampleRate * 0.05);
  return { pcm: audio.pcm.subarray(edge, audio.pcm.length - edge), sampleRate: audio.sampleRate };
}

/** Frequency of a pure tone from its rising zero crossings, interpolated between samples. */
function measuredFrequency(audio: Audio): number {
  const crossings: number[] = [];
  for (let i = 1; i < audio.pcm.length; i++) {
    const before = audio.pcm[i - 1] as number;
    const after = audio.pcm[i] as number;
    if (before < 0 && after >= 0) crossings.push(i - 1 + -before / (after - before));
  }
  const first = crossings[0] as number;
  const last = crossings.at(-1) as number;
  return ((crossings.length - 1) * audio.sampleRate) / (last - first);
}

describe('resample', () => {
  const pairs = RATES.flatMap((from) => RATES.filter((to) => to !== from).map((to) => [from, to] as const));

  it.each(pairs)('keeps a 1 kHz tone at its frequency and level from %i to %i Hz', (from, to) => {
    const input = tone(1000, from);
    const output = resample(input, to);
    expect(output.sampleRate).toBe(to);
    expect(output.pcm.length).toBe(Math.round((input.pcm.length * to) / from));
    expect(measuredFrequency(middle(output))).toBeCloseTo(1000, 0);
    expect(rmsDbfs(middle(output)) - rmsDbfs(middle(input))).toBeCloseTo(0, 1);
  });

  it.each([
    [48000, 8000, 6000],
    [48000, 16000, 10000],
    [24000, 16000, 9000],
    [22050, 16000, 8500],
    [16000, 8000, 5000],
    [48000, 22050, 12000],
  ])('removes a tone above the new Nyquist frequency (%i → %i Hz, %i Hz tone)', (from, to, frequency) => {
    const input = tone(frequency, from);
    const output = resample(input, to);
    // Naive decimation would fold the tone back at full level; the filter must take it down by 60 dB or more.
    expect(rmsDbfs(middle(output)) - rmsDbfs(middle(input))).toBeLessThan(-60);
  });

  it('keeps a tone just inside the passband (3 kHz at 16 → 8 kHz)', () => {
    const input = tone(3000, 16000);
    const output = resample(input, 8000);
    expect(rmsDbfs(middle(output)) - rmsDbfs(middle(input))).toBeCloseTo(0, 0);
    expect(measuredFrequency(middle(output))).toBeCloseTo(3000, 0);
  });

  it('adds no image when upsampling (8 → 48 kHz keeps nothing above 4 kHz)', () => {
    const output = resample(tone(1000, 8000), 48000);
    // Take the 1 kHz tone out with the exact sine of the same phase: what is left is images and noise.
    const residual = new Int16Array(output.pcm.length);
    for (let i = 0; i < residual.length; i++) {
      residual[i] =
        (output.pcm[i] as number) - Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * 1000 * i) / 48000));
    }
    const edge = 48000 * 0.05;
    const level =
      20 * Math.log10(rms(residual.subarray(edge, residual.length - edge)) / rms(middle(output).pcm));
    expect(level).toBeLessThan(-50);
  });

  it('keeps speech from the real synthesizer: 16 → 24 → 16 kHz comes back almost unchanged', async () => {
    const speech = await new FliteSynthesizer().synthesize('Book a table for two at seven tonight.');
    const back = resample(resample(speech, 24000), 16000);
    expect(back.pcm.length).toBe(speech.pcm.length);
    expect(durationSeconds(back)).toBeCloseTo(durationSeconds(speech), 3);
    const difference = new Int16Array(speech.pcm.length);
    for (let i = 0; i < difference.length; i++)
      difference[i] = (back.pcm[i] as number) - (speech.pcm[i] as number);
    // Flite's output has little above 7.2 kHz (0.9 × 8 kHz): the round trip loses less than 1% of the power.
    expect(20 * Math.log10(rms(difference) / rms(speech.pcm))).toBeLessThan(-20);
  });

  it('halves the samples and keeps the duration when going 16 → 8 kHz on real speech', async () => {
    const speech = await new FliteSynthesizer({ voice: 'slt' }).synthesize('What time do you open?');
    const narrow = resample(speech, 8000);
    expect(narrow.pcm.length).toBe(Math.round(speech.pcm.length / 2));
    expect(durationSeconds(narrow)).toBeCloseTo(durationSeconds(speech), 3);
    // Speech energy sits mostly below 4 kHz: the level barely moves.
    expect(Math.abs(rmsDbfs(narrow) - rmsDbfs(speech))).toBeLessThan(1.5);
  });

  it('keeps a constant constant and clips nothing at full scale', () => {
    const pcm = new Int16Array(4000).fill(32767);
    const output = resample({ pcm, sampleRate: 16000 }, 22050);
    expect(Math.min(...middle(output).pcm)).toBe(32767);
  });

  it('returns the same audio when the rate already matches, and handles empty audio', () => {
    const audio = tone(440, 16000, 0.01);
    expect(resample(audio, 16000)).toBe(audio);
    expect(resample({ pcm: new Int16Array(0), sampleRate: 16000 }, 24000)).toEqual({
      pcm: new Int16Array(0),
      sampleRate: 24000,
    });
  });

  it('rejects a rate that is not a positive integer', () => {
    expect(() => resample(tone(440, 16000, 0.01), 0)).toThrow(AudioFormatError);
    expect(() => resample(tone(440, 16000, 0.01), 22050.5)).toThrow(/positive integer/);
    expect(() => resample({ pcm: new Int16Array(1), sampleRate: -1 }, 16000)).toThrow(/-1 Hz/);
  });
});

describe('durationSeconds and rmsDbfs', () => {
  it('measures duration and level on real WAV bytes', () => {
    const audio = tone(1000, 16000, 1.5, 1);
    expect(durationSeconds(audio)).toBe(1.5);
    // A full-scale sine is 3.01 dB under a full-scale square.
    expect(rmsDbfs(audio)).toBeCloseTo(-3.01, 2);
    expect(rmsDbfs(tone(1000, 16000, 1, 0.1))).toBeCloseTo(-23.01, 1);
  });

  it('gives −Infinity for silence and empty audio', () => {
    expect(rmsDbfs({ pcm: new Int16Array(100), sampleRate: 8000 })).toBe(-Infinity);
    expect(rmsDbfs({ pcm: new Int16Array(0), sampleRate: 8000 })).toBe(-Infinity);
  });
});
