import type { Audio } from '../core/types.js';
import { toInt16 } from './pcm.js';

/** Multiplies every sample by 10^(db/20), rounded; what passes 16 bits is clipped, as a hot microphone does. */
export function changeGain(audio: Audio, db: number): Audio {
  const factor = 10 ** (db / 20);
  const pcm = new Int16Array(audio.pcm.length);
  for (let i = 0; i < pcm.length; i++) pcm[i] = toInt16((audio.pcm[i] as number) * factor);
  return { pcm, sampleRate: audio.sampleRate };
}

/** The number of samples in `ms` milliseconds at `sampleRate`, rounded to the nearest. */
export function samplesIn(ms: number, sampleRate: number): number {
  return Math.round((ms * sampleRate) / 1000);
}

/** Puts `leadingMs` of digital silence before the audio and `trailingMs` after it. */
export function addSilence(audio: Audio, leadingMs: number, trailingMs: number): Audio {
  const leading = samplesIn(leadingMs, audio.sampleRate);
  const pcm = new Int16Array(leading + audio.pcm.length + samplesIn(trailingMs, audio.sampleRate));
  pcm.set(audio.pcm, leading);
  return { pcm, sampleRate: audio.sampleRate };
}
