// Real speech for the perturbation tests: WAV bytes from the real offline synthesizers, decoded as an
// agent would get them. Each clip is made once per test file.
import { decodeWav, encodeWav } from '../../src/audio/wav.js';
import type { Audio } from '../../src/core/types.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import { PicoSynthesizer } from '../../src/synthesize/pico.js';

export const SENTENCE = 'Book a table for two at seven tonight, and a window seat if you can.';

let flite: Promise<Audio> | undefined;

/** Flite's slt voice (16 kHz) saying SENTENCE. */
export function fliteSpeech(): Promise<Audio> {
  flite ??= new FliteSynthesizer({ voice: 'slt' })
    .synthesize(SENTENCE)
    .then((audio) => decodeWav(encodeWav(audio)));
  return flite;
}

let pico: Promise<Audio> | undefined;

/** SVOX Pico's en-GB voice (16 kHz) saying SENTENCE. */
export function picoSpeech(): Promise<Audio> {
  pico ??= new PicoSynthesizer({ voice: 'en-GB' })
    .synthesize(SENTENCE)
    .then((audio) => decodeWav(encodeWav(audio)));
  return pico;
}

/** Both offline synthesizers' speech, for tests that run on each. */
export const SPEECH: ReadonlyArray<[string, () => Promise<Audio>]> = [
  ['Flite', fliteSpeech],
  ['Pico', picoSpeech],
];
