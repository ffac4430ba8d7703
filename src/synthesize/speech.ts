import { createHash } from 'node:crypto';
import { SynthesisError } from '../core/errors.js';
import type { Audio } from '../core/types.js';

/** What the synthesizers behind a speech API share: their id, and the raw PCM of their answers as Audio. */

/**
 * A synthesizer's id, which the audio cache keys on: `parts` (provider, model, voice, settings)
 * joined by `:`, then a short hash of the instructions when there are any.
 */
export function voiceId(parts: readonly string[], instructions: string | undefined): string {
  const hashed = instructions === undefined ? [] : [`instructions=${shortHash(instructions)}`];
  return [...parts, ...hashed].join(':');
}

/**
 * Raw signed 16-bit little-endian mono PCM as Audio. An empty or odd body means the answer was not
 * audio or was cut: a SynthesisError that names `what` answered, with `hint`.
 */
export function pcm16Audio(bytes: Uint8Array, sampleRate: number, what: string, hint?: string): Audio {
  if (bytes.byteLength === 0 || bytes.byteLength % 2 !== 0) {
    throw new SynthesisError(`${what} returned ${bytes.byteLength} bytes, not 16-bit PCM audio`, hint);
  }
  // Copy into an aligned buffer: the bytes may start at an odd offset.
  const pcm = new Int16Array(bytes.byteLength / 2);
  new Uint8Array(pcm.buffer).set(bytes);
  return { pcm, sampleRate };
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
