// Measurements for the perturbation tests: spectra, band energies, pitch and SNR of real audio.
import { rms } from '../../src/audio/measure.js';
import type { Audio } from '../../src/core/types.js';

/** In-place radix-2 FFT of (re, im); the length must be a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < size / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = start + k;
        const b = a + size / 2;
        const tr = (re[b] as number) * wr - (im[b] as number) * wi;
        const ti = (re[b] as number) * wi + (im[b] as number) * wr;
        re[b] = (re[a] as number) - tr;
        im[b] = (im[a] as number) - ti;
        re[a] = (re[a] as number) + tr;
        im[a] = (im[a] as number) + ti;
      }
    }
  }
}

/**
 * Power spectrum by Welch's method: Hann-windowed frames of 1024 samples, half overlapping, their
 * |FFT|² averaged. Bin k is at k·rate/1024 Hz; a Hann window's side lobes fall 18 dB an octave, so
 * loud low bins do not leak into far high ones.
 */
export function powerSpectrum(signal: ArrayLike<number>, size = 1024): Float64Array {
  const power = new Float64Array(size / 2 + 1);
  const window = Float64Array.from(
    { length: size },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size),
  );
  let frames = 0;
  for (let start = 0; start + size <= signal.length; start += size / 2) {
    const re = new Float64Array(size);
    const im = new Float64Array(size);
    for (let i = 0; i < size; i++) re[i] = (signal[start + i] as number) * (window[i] as number);
    fft(re, im);
    for (let k = 0; k <= size / 2; k++)
      power[k] = (power[k] as number) + (re[k] as number) ** 2 + (im[k] as number) ** 2;
    frames++;
  }
  return power.map((value) => value / Math.max(1, frames));
}

/** Energy between `fromHz` and `toHz` as a share of all energy, in dB. */
export function bandShareDb(audio: Audio, fromHz: number, toHz: number): number {
  const power = powerSpectrum(audio.pcm);
  const binHz = audio.sampleRate / ((power.length - 1) * 2);
  let band = 0;
  let total = 0;
  power.forEach((value, k) => {
    total += value;
    if (k * binHz >= fromHz && k * binHz < toHz) band += value;
  });
  return 10 * Math.log10(band / total);
}

/** Energy of one octave band [f, 2f) relative to the whole spectrum, in dB. */
export function octaveDb(signal: ArrayLike<number>, sampleRate: number, fromHz: number): number {
  const power = powerSpectrum(signal);
  const binHz = sampleRate / ((power.length - 1) * 2);
  let band = 0;
  power.forEach((value, k) => {
    if (k * binHz >= fromHz && k * binHz < 2 * fromHz) band += value;
  });
  return 10 * Math.log10(band);
}

/**
 * Median pitch (f0) of the voiced frames by autocorrelation: 40 ms frames every 10 ms, among the
 * louder ones; the lag of the highest normalized autocorrelation between 70 and 400 Hz, kept when
 * above 0.5 (voiced).
 */
export function medianPitchHz({ pcm, sampleRate }: Audio): number {
  const frame = Math.round(0.04 * sampleRate);
  const hop = Math.round(0.01 * sampleRate);
  const energies: number[] = [];
  for (let start = 0; start + frame <= pcm.length; start += hop)
    energies.push(rms(pcm.subarray(start, start + frame)));
  const loud = Math.max(...energies) * 0.3;
  const minLag = Math.floor(sampleRate / 400);
  const maxLag = Math.ceil(sampleRate / 70);
  const pitches: number[] = [];
  energies.forEach((energy, index) => {
    if (energy < loud) return;
    const x = pcm.subarray(index * hop, index * hop + frame);
    let best = 0;
    let bestLag = 0;
    for (let lag = minLag; lag <= maxLag; lag++) {
      let sum = 0;
      let a = 0;
      let b = 0;
      for (let i = 0; i + lag < x.length; i++) {
        sum += (x[i] as number) * (x[i + lag] as number);
        a += (x[i] as number) ** 2;
        b += (x[i + lag] as number) ** 2;
      }
      const r = sum / Math.sqrt(a * b || 1);
      if (r > best) {
        best = r;
        bestLag = lag;
      }
    }
    if (best > 0.5) pitches.push(sampleRate / bestLag);
  });
  pitches.sort((p, q) => p - q);
  return pitches[Math.floor(pitches.length / 2)] as number;
}

/**
 * The SNR of `noisy` against the clean `speech` it was made from. The mix may have been scaled down
 * to fit 16 bits, so the speech in it is found by projection (noise is uncorrelated with speech):
 * g = <noisy, speech> / <speech, speech>; SNR = 20·log10(g · speech RMS ÷ RMS(noisy − g · speech)).
 * `speechRms` is the reference level when it is not that of the whole of `speech`.
 */
export function measuredSnrDb(speech: Audio, noisy: Audio, speechRms = rms(speech.pcm)): number {
  let cross = 0;
  let own = 0;
  noisy.pcm.forEach((sample, i) => {
    const clean = (speech.pcm[i] as number) ?? 0;
    cross += sample * clean;
    own += clean * clean;
  });
  const g = cross / own;
  let power = 0;
  noisy.pcm.forEach((sample, i) => {
    power += (sample - g * ((speech.pcm[i] as number) ?? 0)) ** 2;
  });
  return 20 * Math.log10((g * speechRms) / Math.sqrt(power / noisy.pcm.length));
}
