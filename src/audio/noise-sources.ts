import type { Audio } from '../core/types.js';
import { fillGaussian, mulberry32 } from './random.js';
import { resample } from './resample.js';

/**
 * The noises a variant adds, as raw waveforms of any level: addNoiseAtSnr (mix.ts) measures their
 * RMS and scales them to the SNR asked for. Each is seeded and the same on every machine.
 */

/** White Gaussian noise: the same power at every frequency. */
export function whiteNoise(length: number, seed: number): Float64Array {
  return fillGaussian(new Float64Array(length), mulberry32(seed));
}

/**
 * Pink noise (power falling 3 dB per octave, as in rain, fans and traffic): white noise through
 * Paul Kellet's refined filter, seven one-pole sections whose sum is within ±0.05 dB of 1/f from
 * 0.0002·fs up to the Nyquist frequency (from 3 Hz at 16 kHz).
 */
export function pinkNoise(length: number, seed: number): Float64Array {
  const noise = whiteNoise(length, seed);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let b4 = 0;
  let b5 = 0;
  let b6 = 0;
  for (let i = 0; i < length; i++) {
    const white = noise[i] as number;
    b0 = 0.99886 * b0 + white * 0.0555179;
    b1 = 0.99332 * b1 + white * 0.0750759;
    b2 = 0.969 * b2 + white * 0.153852;
    b3 = 0.8665 * b3 + white * 0.3104856;
    b4 = 0.55 * b4 + white * 0.5329522;
    b5 = -0.7616 * b5 - white * 0.016898;
    noise[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
    b6 = white * 0.115926;
  }
  return noise;
}

/** Below this, brown noise is flat: without the high-pass, integrated noise drifts without bound. */
const BROWN_CORNER_HZ = 20;

/**
 * Brown noise (power falling 6 dB per octave: rumble, a car cabin, wind): white noise integrated and
 * high-passed at 20 Hz. An integrator followed by a first-order high-pass is one leaky integrator,
 * `b = a·b + white`; it starts from its steady state so the clip has no fade-in.
 */
export function brownNoise(length: number, sampleRate: number, seed: number): Float64Array {
  const noise = whiteNoise(length + 1, seed);
  const a = Math.exp((-2 * Math.PI * BROWN_CORNER_HZ) / sampleRate);
  let b = (noise[length] as number) / Math.sqrt(1 - a * a);
  for (let i = 0; i < length; i++) {
    b = a * b + (noise[i] as number);
    noise[i] = b;
  }
  return noise.subarray(0, length);
}

/** Harmonics of the mains frequency in a hum; each has amplitude 1/k, and the last sits below Nyquist. */
const HUM_HARMONICS = 10;

/**
 * Mains hum: `frequency` (50 Hz in most of the world, 60 Hz in the Americas) and its harmonics with
 * amplitude 1/k, the buzz of a ground loop or a cheap power supply. The seed sets their phases.
 */
export function hum(length: number, sampleRate: number, frequency: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const harmonics: Array<{ step: number; phase: number; amplitude: number }> = [];
  for (let k = 1; k <= HUM_HARMONICS && k * frequency < sampleRate / 2; k++) {
    harmonics.push({
      step: (2 * Math.PI * k * frequency) / sampleRate,
      phase: 2 * Math.PI * random(),
      amplitude: 1 / k,
    });
  }
  const noise = new Float64Array(length);
  for (const { step, phase, amplitude } of harmonics) {
    // A rotating phasor instead of Math.sin per sample (several times cheaper), set back on the
    // exact phase every 1024 samples so that rounding never drifts.
    const cosStep = Math.cos(step);
    const sinStep = Math.sin(step);
    for (let start = 0; start < length; start += 1024) {
      let re = Math.cos(step * start + phase);
      let im = Math.sin(step * start + phase);
      for (let i = start; i < Math.min(length, start + 1024); i++) {
        noise[i] = (noise[i] as number) + amplitude * im;
        const next = re * cosStep - im * sinStep;
        im = re * sinStep + im * cosStep;
        re = next;
      }
    }
  }
  return noise;
}

/**
 * `length` samples of a recorded noise bed (babble), at `sampleRate`: the bed is resampled when its
 * rate differs, read from an offset chosen by the seed, and looped when the clip is longer.
 */
export function bedNoise(bed: Audio, length: number, sampleRate: number, seed: number): Float64Array {
  const source = resample(bed, sampleRate).pcm;
  const noise = new Float64Array(length);
  if (source.length === 0) return noise;
  let position = Math.floor(mulberry32(seed)() * source.length);
  for (let i = 0; i < length; i++) {
    noise[i] = source[position] as number;
    position = position + 1 === source.length ? 0 : position + 1;
  }
  return noise;
}
