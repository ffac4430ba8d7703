import { AudioFormatError } from '../core/errors.js';
import type { Audio } from '../core/types.js';
import { pcm16FromBytes, writePcm16 } from './pcm.js';

const HEADER_BYTES = 44;
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Size that streaming writers put in the data chunk when they do not know the length yet. */
const UNKNOWN_SIZE = 0xffffffff;
const NEEDED = 'russo reads 16-bit PCM mono WAV';
const CONVERT_HINT = 'convert it first, e.g. `ffmpeg -i in.wav -ac 1 -c:a pcm_s16le out.wav`';

/** Encodes mono 16-bit audio as a canonical 44-byte-header WAV file. */
export function encodeWav(audio: Audio): Buffer {
  const { pcm, sampleRate } = audio;
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
    throw new AudioFormatError(`cannot encode WAV: sample rate ${sampleRate} is not a positive integer`);
  }
  const dataBytes = pcm.length * 2;
  const out = Buffer.alloc(HEADER_BYTES + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  writePcm16(pcm, out, HEADER_BYTES);
  return out;
}

/**
 * Decodes a 16-bit PCM mono WAV file. Anything else (another encoding, sample size or channel
 * count, a truncated data chunk) is rejected with an AudioFormatError that says what was found.
 */
export function decodeWav(bytes: Uint8Array): Audio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || tag(bytes, 0) !== 'RIFF' || tag(bytes, 8) !== 'WAVE') {
    throw new AudioFormatError(
      `not a WAV file: found ${bytes.byteLength < 12 ? `${bytes.byteLength} bytes` : `"${printable(bytes.subarray(0, 4))}" where "RIFF" and "WAVE" belong`}; ${NEEDED}`,
      CONVERT_HINT,
    );
  }
  let sampleRate: number | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = tag(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      sampleRate = readFormat(view, body, size);
    } else if (id === 'data') {
      if (sampleRate === undefined)
        throw new AudioFormatError(`WAV data chunk comes before its "fmt " chunk; ${NEEDED}`);
      const available = bytes.byteLength - body;
      const length = size === UNKNOWN_SIZE ? available - (available % 2) : size;
      if (length > available) {
        throw new AudioFormatError(
          `truncated WAV: the data chunk declares ${length} bytes but only ${available} follow`,
          'the file was cut short (an interrupted write or download); make it again',
        );
      }
      if (length % 2 !== 0)
        throw new AudioFormatError(`WAV data chunk has an odd size (${length} bytes) for 16-bit samples`);
      return { pcm: pcm16FromBytes(bytes.subarray(body, body + length)), sampleRate };
    }
    // Chunks are padded to an even size.
    offset = body + size + (size % 2);
  }
  throw new AudioFormatError(
    sampleRate === undefined ? `WAV file has no "fmt " chunk; ${NEEDED}` : 'WAV file has no data chunk',
    'the file is incomplete or not a WAV file; make it again',
  );
}

/** Checks the "fmt " chunk and returns its sample rate. */
function readFormat(view: DataView, body: number, size: number): number {
  if (size < 16 || body + 16 > view.byteLength) {
    throw new AudioFormatError(`WAV "fmt " chunk is ${size} bytes, shorter than the 16 it needs`);
  }
  let format = view.getUint16(body, true);
  const channels = view.getUint16(body + 2, true);
  const sampleRate = view.getUint32(body + 4, true);
  const bits = view.getUint16(body + 14, true);
  // WAVE_FORMAT_EXTENSIBLE carries the real format code in the first two bytes of its sub-format GUID.
  if (format === WAVE_FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= view.byteLength) {
    format = view.getUint16(body + 24, true);
  }
  const found: string[] = [];
  if (format !== WAVE_FORMAT_PCM) found.push(`format code ${format} (${formatName(format)})`);
  if (bits !== 16) found.push(`${bits}-bit samples`);
  if (channels !== 1) found.push(`${channels} channels`);
  if (found.length > 0)
    throw new AudioFormatError(`unsupported WAV: found ${found.join(', ')}; ${NEEDED}`, CONVERT_HINT);
  if (sampleRate === 0) throw new AudioFormatError('WAV "fmt " chunk gives a sample rate of 0');
  return sampleRate;
}

function formatName(code: number): string {
  const names: Record<number, string> = { 1: 'PCM', 3: 'IEEE float', 6: 'A-law', 7: 'µ-law', 0x55: 'MP3' };
  return names[code] ?? 'compressed';
}

function tag(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}

function printable(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '?')).join('');
}
