import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';
import { AudioFormatError } from '../../src/core/errors.js';

/** Builds a WAV header by hand, so the decoder is checked against bytes it did not write itself. */
function wavBytes(options: {
  format?: number;
  channels?: number;
  bits?: number;
  rate?: number;
  data: Uint8Array;
  declared?: number;
  extraChunk?: boolean;
}): Buffer {
  const { format = 1, channels = 1, bits = 16, rate = 16000, data } = options;
  const extra = options.extraChunk
    ? Buffer.concat([Buffer.from('LIST'), u32(3), Buffer.from([1, 2, 3, 0])])
    : Buffer.alloc(0);
  const fmt = Buffer.concat([
    Buffer.from('fmt '),
    u32(16),
    u16(format),
    u16(channels),
    u32(rate),
    u32((rate * channels * bits) / 8),
    u16((channels * bits) / 8),
    u16(bits),
  ]);
  const dataChunk = Buffer.concat([Buffer.from('data'), u32(options.declared ?? data.length), data]);
  const body = Buffer.concat([Buffer.from('WAVE'), fmt, extra, dataChunk]);
  return Buffer.concat([Buffer.from('RIFF'), u32(body.length), body]);
}
const u16 = (n: number) => Buffer.from(new Uint16Array([n]).buffer);
const u32 = (n: number) => Buffer.from(new Uint32Array([n]).buffer);

describe('encodeWav / decodeWav', () => {
  it('round-trips samples, including the extremes, and writes the canonical header', () => {
    const pcm = Int16Array.from([0, 1, -1, 32767, -32768, 1234, -4321]);
    const bytes = encodeWav({ pcm, sampleRate: 22050 });
    expect(bytes.length).toBe(44 + pcm.length * 2);
    expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(bytes.readUInt16LE(20)).toBe(1); // PCM
    expect(bytes.readUInt16LE(22)).toBe(1); // mono
    expect(bytes.readUInt32LE(24)).toBe(22050);
    expect(bytes.readUInt32LE(28)).toBe(44100); // byte rate
    expect(bytes.readUInt16LE(34)).toBe(16);
    expect(bytes.readUInt32LE(40)).toBe(pcm.length * 2);
    expect(bytes.readInt16LE(44 + 3 * 2)).toBe(32767);
    const decoded = decodeWav(bytes);
    expect(decoded.sampleRate).toBe(22050);
    expect(Array.from(decoded.pcm)).toEqual(Array.from(pcm));
  });

  it('encodes empty audio as a valid file', () => {
    const decoded = decodeWav(encodeWav({ pcm: new Int16Array(0), sampleRate: 16000 }));
    expect(decoded.pcm.length).toBe(0);
    expect(decoded.sampleRate).toBe(16000);
  });

  it('reads a view into a larger buffer at an odd offset', () => {
    const inner = encodeWav({ pcm: Int16Array.from([5, -6, 7]), sampleRate: 8000 });
    const outer = Buffer.concat([Buffer.from([9]), inner, Buffer.from([9, 9])]);
    expect(Array.from(decodeWav(outer.subarray(1, 1 + inner.length)).pcm)).toEqual([5, -6, 7]);
  });

  it('decodes a copy: the samples stay when the bytes they came from change', () => {
    const bytes = encodeWav({ pcm: Int16Array.from([5, -6, 7]), sampleRate: 8000 });
    const decoded = decodeWav(bytes);
    bytes.fill(0, 44);
    expect(Array.from(decoded.pcm)).toEqual([5, -6, 7]);
  });

  it('encodes only the samples of a view into larger audio', () => {
    const whole = Int16Array.from([1, 2, 3, -4, 5, 6]);
    const bytes = encodeWav({ pcm: whole.subarray(2, 5), sampleRate: 8000 });
    expect(bytes.length).toBe(44 + 3 * 2);
    expect(Array.from(decodeWav(bytes).pcm)).toEqual([3, -4, 5]);
  });

  it('skips unknown chunks, padded to an even size', () => {
    const decoded = decodeWav(wavBytes({ data: Buffer.from([1, 0, 2, 0]), extraChunk: true }));
    expect(Array.from(decoded.pcm)).toEqual([1, 2]);
  });

  it('reads a streamed file whose data size is unknown (0xFFFFFFFF) up to the end', () => {
    const decoded = decodeWav(wavBytes({ data: Buffer.from([1, 0, 2, 0, 3]), declared: 0xffffffff }));
    expect(Array.from(decoded.pcm)).toEqual([1, 2]);
  });

  it('rejects a sample rate that is not a positive integer', () => {
    expect(() => encodeWav({ pcm: new Int16Array(1), sampleRate: 0 })).toThrow(AudioFormatError);
    expect(() => encodeWav({ pcm: new Int16Array(1), sampleRate: 44100.5 })).toThrow(/positive integer/);
  });

  it.each([
    ['stereo', { channels: 2 }, /found 2 channels; russo reads 16-bit PCM mono WAV/],
    ['8-bit', { bits: 8 }, /found 8-bit samples/],
    ['float', { format: 3, bits: 32 }, /format code 3 \(IEEE float\), 32-bit samples/],
    ['µ-law', { format: 7, bits: 8 }, /µ-law/],
  ])('rejects %s audio, naming what it found and what it needs', (_name, header, message) => {
    const error = catchError(() => decodeWav(wavBytes({ ...header, data: new Uint8Array(8) })));
    expect(error).toBeInstanceOf(AudioFormatError);
    expect(error.message).toMatch(message);
    expect((error as AudioFormatError).hint).toMatch(/ffmpeg/);
  });

  it('rejects a truncated file: the data chunk promises more than follows', () => {
    const whole = encodeWav({ pcm: new Int16Array(100), sampleRate: 16000 });
    expect(() => decodeWav(whole.subarray(0, whole.length - 10))).toThrow(
      /truncated WAV: the data chunk declares 200 bytes but only 190 follow/,
    );
    expect(() => decodeWav(whole.subarray(0, 30))).toThrow(AudioFormatError);
  });

  it('rejects bytes that are not a WAV file', () => {
    expect(() => decodeWav(Buffer.from('ID3\u0003 an mp3 file, in fact'))).toThrow(
      /not a WAV file: found "ID3\?"/,
    );
    expect(() => decodeWav(new Uint8Array(3))).toThrow(/found 3 bytes/);
  });

  it('rejects a WAV without a data chunk', () => {
    expect(() => decodeWav(encodeWav({ pcm: new Int16Array(0), sampleRate: 16000 }).subarray(0, 36))).toThrow(
      /no data chunk/,
    );
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}
