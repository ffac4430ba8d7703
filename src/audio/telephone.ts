import type { Audio } from '../core/types.js';
import { decimateBy2, interpolateBy2 } from './halfband.js';
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

/** The sample each of the 256 codes decodes to. */
const MU_LAW_VALUES = Int16Array.from({ length: 256 }, (_, code) => muLawDecode(code));

/** Biquad coefficients, normalised so that a0 = 1. */
interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Quality factors of the 2nd-order sections of an n-th-order Butterworth filter (maximally flat). */
function butterworthQ(order: number): number[] {
  return Array.from(
    { length: order / 2 },
    (_, k) => 1 / (2 * Math.cos(((2 * k + 1) * Math.PI) / (2 * order))),
  );
}

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

/**
 * The filters of the line at 8 kHz: the send side band-passes with a 4th-order Butterworth high-pass
 * at 300 Hz and an 8th-order low-pass at 3400 Hz (−48 dB at 3700 Hz); the receive side low-passes
 * again, as a codec's reconstruction filter does, which also takes μ-law's quantization noise above
 * 3400 Hz out. Steep enough that the half-band rate changes around them (halfband.ts) have nothing
 * left near 4 kHz to alias or image.
 */
const LOW_PASS: readonly Biquad[] = butterworthQ(8).map((q) =>
  section('lowpass', TELEPHONE_BAND.highHz, q, TELEPHONE_RATE),
);
const SEND_FILTER: readonly Biquad[] = [
  ...butterworthQ(4).map((q) => section('highpass', TELEPHONE_BAND.lowHz, q, TELEPHONE_RATE)),
  ...LOW_PASS,
];

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
  // 16 kHz (Flite, Pico) halves with the cheap half-band filter; any other rate takes the general resampler.
  const signal =
    audio.sampleRate === 2 * TELEPHONE_RATE
      ? decimateBy2(audio.pcm)
      : Float64Array.from(resample(audio, TELEPHONE_RATE).pcm);
  for (const biquad of SEND_FILTER) filterInPlace(signal, biquad);
  const pcm = new Int16Array(signal.length);
  for (let i = 0; i < pcm.length; i++)
    pcm[i] = MU_LAW_VALUES[muLawEncode(toInt16(signal[i] as number))] as number;
  return { pcm, sampleRate: TELEPHONE_RATE };
}

/**
 * A phone line heard at the audio's own rate and length: `narrowband`, the receiver's low-pass, then
 * resampled back. The agent gets the same WAV format as for the clean variant, so only the sound
 * tells it the call came over a phone; an agent that wants 8 kHz resamples as it does for any audio.
 */
export function telephone(audio: Audio): Audio {
  const received = Float64Array.from(narrowband(audio).pcm);
  for (const biquad of LOW_PASS) filterInPlace(received, biquad);
  const heard =
    audio.sampleRate === 2 * TELEPHONE_RATE
      ? interpolateBy2(received)
      : resample({ pcm: Int16Array.from(received, toInt16), sampleRate: TELEPHONE_RATE }, audio.sampleRate)
          .pcm;
  // Exactly as long as the input: rounding in the rate changes may add or drop one sample.
  const pcm = new Int16Array(audio.pcm.length);
  for (let i = 0; i < Math.min(pcm.length, heard.length); i++) pcm[i] = toInt16(heard[i] as number);
  return { pcm, sampleRate: audio.sampleRate };
}
