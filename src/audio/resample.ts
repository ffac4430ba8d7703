import { AudioFormatError } from '../core/errors.js';
import type { Audio } from '../core/types.js';

/**
 * Band-limited resampling between any two integer rates (8, 16, 22.05, 24, 48 kHz, ...): a
 * Kaiser-windowed sinc low-pass evaluated as a polyphase filter, so that content above the lower
 * Nyquist frequency is removed instead of folding back as aliases.
 */

/** Cutoff as a share of the lower Nyquist frequency; the transition band ends just below Nyquist. */
const ROLLOFF = 0.9;
/** Zero crossings of the sinc kept on each side: more is a steeper filter and more work. */
const ZERO_CROSSINGS = 32;
/** Kaiser window shape: about 80 dB of stopband attenuation. */
const KAISER_BETA = 8;

interface Filter {
  /** Output rate / input rate as up / down in lowest terms. */
  up: number;
  down: number;
  /** Taps per phase; phase p starts at p * taps. */
  taps: number;
  /** Input samples before the current one that the first tap reaches. */
  reach: number;
  coefficients: Float32Array;
}

const filters = new Map<string, Filter>();

/** Converts audio to `targetRate`; returns `audio` itself when it is already at that rate. */
export function resample(audio: Audio, targetRate: number): Audio {
  if (!Number.isInteger(targetRate) || targetRate <= 0) {
    throw new AudioFormatError(`cannot resample to ${targetRate} Hz: the rate must be a positive integer`);
  }
  if (!Number.isInteger(audio.sampleRate) || audio.sampleRate <= 0) {
    throw new AudioFormatError(
      `cannot resample audio at ${audio.sampleRate} Hz: the rate must be a positive integer`,
    );
  }
  if (audio.sampleRate === targetRate) return audio;
  const filter = filterFor(audio.sampleRate, targetRate);
  const { up, down, taps, reach, coefficients } = filter;
  const input = audio.pcm;
  const length = Math.round((input.length * up) / down);
  const pcm = new Int16Array(length);
  for (let n = 0; n < length; n++) {
    // Output n sits at input time n·down/up: `base` whole samples plus `phase`/up of one.
    const position = n * down;
    const base = Math.floor(position / up);
    const phase = position - base * up;
    const offset = phase * taps;
    const first = base - reach;
    let sum = 0;
    const from = Math.max(0, -first);
    const to = Math.min(taps, input.length - first);
    for (let k = from; k < to; k++)
      sum += (input[first + k] as number) * (coefficients[offset + k] as number);
    pcm[n] = sum >= 32767 ? 32767 : sum <= -32768 ? -32768 : Math.round(sum);
  }
  return { pcm, sampleRate: targetRate };
}

/** The polyphase filter for one pair of rates, built once and kept. */
function filterFor(from: number, to: number): Filter {
  const name = `${from}>${to}`;
  const known = filters.get(name);
  if (known !== undefined) return known;
  const divisor = gcd(from, to);
  const up = to / divisor;
  const down = from / divisor;
  // Cutoff in cycles per input sample: below the lower of the two Nyquist frequencies.
  const cutoff = 0.5 * Math.min(1, to / from) * ROLLOFF;
  const halfWidth = ZERO_CROSSINGS / (2 * cutoff);
  const reach = Math.ceil(halfWidth) - 1;
  const taps = reach + Math.ceil(halfWidth) + 1;
  const coefficients = new Float32Array(up * taps);
  const norm = besselI0(KAISER_BETA);
  for (let phase = 0; phase < up; phase++) {
    let total = 0;
    for (let k = 0; k < taps; k++) {
      // Distance in input samples from the output instant to input sample (base - reach + k).
      const t = k - reach - phase / up;
      const x = t / halfWidth;
      const window = Math.abs(x) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / norm;
      const value = 2 * cutoff * sinc(2 * cutoff * t) * window;
      coefficients[phase * taps + k] = value;
      total += value;
    }
    // Unit gain at DC for every phase, so a constant stays constant whatever the phase.
    for (let k = 0; k < taps; k++)
      coefficients[phase * taps + k] = (coefficients[phase * taps + k] as number) / total;
  }
  const filter = { up, down, taps, reach, coefficients };
  filters.set(name, filter);
  return filter;
}

function sinc(x: number): number {
  return x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for the Kaiser window). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50 && term > sum * 1e-12; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
