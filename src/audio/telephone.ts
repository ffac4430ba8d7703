import type { Audio } from '../core/types.js';
import { toInt16 } from './pcm.js';
import { resample } from './resample.js';

/**
 * A narrowband telephone line: speech band-limited to 300–3400 Hz, sampled at 8 kHz and coded with
 * G.711 μ-law (8 bits a sample, 64 kbit/s), as on the public phone network and most SIP trunks.
 */

/** The rate of a narrowband phone line. */
export const TELEPHONE_RATE = 8000;
/** The voice band a phone line passes. */
export const TELEPHONE_BAND = { lowHz: 300, highHz: 3400 } as const;

/** G.711 μ-law: added before the segment search so that the segments line up; the largest magnitude coded. */
const BIAS = 0x84;
const CLIP = 32635;

/** Codes a 16-bit sample as a G.711 μ-law byte (0..255, bits inverted as on the line). */
export function muLawEncode(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(Math.round(sample)), CLIP) + BIAS;
  // Segment (exponent) 0..7: the position of the top bit of the biased magnitude, counted from bit 7.
  const exponent = 24 - Math.clz32(magnitude);
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** The 16-bit sample a G.711 μ-law byte stands for (the middle of its quantization step). */
export function muLawDecode(code: number): number {
  const inverted = ~code & 0xff;
  const exponent = (inverted >> 4) & 0x07;
  const magnitude = ((((inverted & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  // 0 - magnitude: negative zero (0x7f) decodes to a plain 0.
  return inverted & 0x80 ? 0 - magnitude : magnitude;
}

/** Biquad coefficients, normalised so that a0 = 1. */
interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Quality factors of the two sections of a 4th-order Butterworth filter: maximally flat in the band. */
const BUTTERWORTH_4_Q = [1 / (2 * Math.cos(Math.PI / 8)), 1 / (2 * Math.cos((3 * Math.PI) / 8))];

/** A 2nd-order low- or high-pass section (the audio-EQ-cookbook bilinear design). */
function section(kind: 'lowpass' | 'highpass', frequency: number, q: number, sampleRate: number): Biquad {
  const w0 = (2 * Math.PI * frequency) / sampleRate;
  const alpha = Math.sin(w0) / (2 * q);
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const edge = kind === 'lowpass' ? (1 - cos) / 2 : (1 + cos) / 2;
  const middle = kind === 'lowpass' ? 1 - cos : -(1 + cos);
  return { b0: edge / a0, b1: middle / a0, b2: edge / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** The band-pass of the line at 8 kHz: 4th-order Butterworth high-pass at 300 Hz and low-pass at 3400 Hz. */
const BAND_PASS: readonly Biquad[] = BUTTERWORTH_4_Q.flatMap((q) => [
  section('highpass', TELEPHONE_BAND.lowHz, q, TELEPHONE_RATE),
  section('lowpass', TELEPHONE_BAND.highHz, q, TELEPHONE_RATE),
]);

/** Runs `signal` through a biquad in place (transposed direct form II). */
function filterInPlace(signal: Float64Array, { b0, b1, b2, a1, a2 }: Biquad): void {
  let z1 = 0;
  let z2 = 0;
  for (let i = 0; i < signal.length; i++) {
    const x = signal[i] as number;
    const y = b0 * x + z1;
    z1 = b1 * x - a1 * y + z2;
    z2 = b2 * x - a2 * y;
    signal[i] = y;
  }
}

/** The audio as it leaves a phone line: 8 kHz, 300–3400 Hz, every sample a G.711 μ-law value. */
export function narrowband(audio: Audio): Audio {
  const signal = Float64Array.from(resample(audio, TELEPHONE_RATE).pcm);
  for (const biquad of BAND_PASS) filterInPlace(signal, biquad);
  const pcm = Int16Array.from(signal, (value) => muLawDecode(muLawEncode(toInt16(value))));
  return { pcm, sampleRate: TELEPHONE_RATE };
}

/**
 * A phone line heard at the audio's own rate: `narrowband`, then resampled back. The agent gets the
 * same WAV format as for the clean variant, so only the sound tells it the call came over a phone;
 * an agent that wants 8 kHz resamples as it does for any audio.
 */
export function telephone(audio: Audio): Audio {
  return resample(narrowband(audio), audio.sampleRate);
}
