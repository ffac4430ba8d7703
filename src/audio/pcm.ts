import { endianness } from 'node:os';

/** The nearest 16-bit sample value: rounded, and clipped to −32768..32767 instead of wrapping around. */
export function toInt16(value: number): number {
  return value >= 32767 ? 32767 : value <= -32768 ? -32768 : Math.round(value);
}

// WAV files and the audio APIs carry samples little-endian; an Int16Array holds them in the host's order.
const HOST_IS_LITTLE_ENDIAN = endianness() === 'LE';

/** The samples as 16-bit little-endian bytes, a copy: one block copy, not a write per sample. */
export function pcm16Bytes(pcm: Int16Array): Buffer {
  const bytes = Buffer.alloc(pcm.byteLength);
  writePcm16(pcm, bytes, 0);
  return bytes;
}

/** Writes the samples into `target` from `offset` on, as 16-bit little-endian bytes (a WAV file's data chunk). */
export function writePcm16(pcm: Int16Array, target: Buffer, offset: number): void {
  const bytes = target.subarray(offset, offset + pcm.byteLength);
  bytes.set(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  if (!HOST_IS_LITTLE_ENDIAN) bytes.swap16();
}

/** 16-bit little-endian bytes (an even number of them) as samples, a copy: one block copy, not a read per sample. */
export function pcm16FromBytes(bytes: Uint8Array): Int16Array {
  const pcm = new Int16Array(bytes.byteLength / 2);
  const into = Buffer.from(pcm.buffer);
  into.set(bytes);
  if (!HOST_IS_LITTLE_ENDIAN) into.swap16();
  return pcm;
}
