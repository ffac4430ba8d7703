import { pcm16Bytes } from '../audio/pcm.js';
import { encodeWav } from '../audio/wav.js';
import type { Audio } from '../core/types.js';

/** How audio bytes are laid out on the wire: a WAV file, or raw 16-bit little-endian mono PCM. */
export type AudioEncoding = 'wav' | 'pcm16';

/** Names of the fields of a JSON audio message. */
export interface AudioFields {
  audio: string;
  format: string;
  sampleRate: string;
}

/** `{audio, format, sample_rate}`: the message shape of the original library's HTTP agent. */
export const DEFAULT_AUDIO_FIELDS: AudioFields = {
  audio: 'audio',
  format: 'format',
  sampleRate: 'sample_rate',
};

/** The field names of a JSON audio message: `names`, and the defaults for the ones it leaves out. */
export function audioFields(names: Partial<AudioFields> = {}): AudioFields {
  return { ...DEFAULT_AUDIO_FIELDS, ...names };
}

/** The audio in the given encoding. */
export function encodeAudio(audio: Audio, encoding: AudioEncoding): Buffer {
  return encoding === 'wav' ? encodeWav(audio) : pcm16Bytes(audio.pcm);
}

/**
 * A JSON message carrying audio bytes as base64, with `extra` fields (constants such as a message
 * type or a session id) first so that the audio fields win on a name clash.
 */
export function audioMessage(
  bytes: Uint8Array,
  encoding: AudioEncoding,
  sampleRate: number,
  fields: AudioFields,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ...extra,
    [fields.audio]: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    [fields.format]: encoding,
    [fields.sampleRate]: sampleRate,
  };
}
