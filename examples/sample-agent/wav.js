// Reads the WAV file that russo sends (16-bit mono PCM) and brings it to the recognizer's rate.
// The sample agent stands for a program of your own, so it carries its own small reader.

/** Decodes a 16-bit PCM mono WAV file into `{pcm: Int16Array, sampleRate}`; throws on anything else. */
export function readWav(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    bytes.byteLength < 12 ||
    bytes.toString('ascii', 0, 4) !== 'RIFF' ||
    bytes.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    throw new Error(
      `expected a WAV file, got ${bytes.byteLength} bytes starting "${bytes.toString('latin1', 0, 4)}"`,
    );
  }
  let sampleRate;
  for (let offset = 12; offset + 8 <= bytes.byteLength;) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      const [format, channels, bits] = [
        view.getUint16(body, true),
        view.getUint16(body + 2, true),
        view.getUint16(body + 14, true),
      ];
      if (format !== 1 || channels !== 1 || bits !== 16) {
        throw new Error(`expected 16-bit PCM mono, got format ${format}, ${channels} channels, ${bits} bits`);
      }
      sampleRate = view.getUint32(body + 4, true);
    } else if (id === 'data') {
      if (sampleRate === undefined) throw new Error('WAV data chunk before its fmt chunk');
      const length = Math.floor(Math.min(size, bytes.byteLength - body) / 2);
      const pcm = new Int16Array(length);
      for (let i = 0; i < length; i++) pcm[i] = view.getInt16(body + i * 2, true);
      return { pcm, sampleRate };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV file without a data chunk');
}

/** Resamples mono PCM to `rate` by linear interpolation (enough for speech recognition). */
export function resample({ pcm, sampleRate }, rate) {
  if (sampleRate === rate) return pcm;
  const out = new Int16Array(Math.floor((pcm.length * rate) / sampleRate));
  const step = sampleRate / rate;
  for (let i = 0; i < out.length; i++) {
    const position = i * step;
    const index = Math.floor(position);
    const next = Math.min(index + 1, pcm.length - 1);
    const fraction = position - index;
    out[i] = Math.round(pcm[index] * (1 - fraction) + pcm[next] * fraction);
  }
  return out;
}
