import type { Audio } from '../core/types.js';
import { samplesIn } from './level.js';
import { mulberry32 } from './random.js';

/**
 * Drops packets as a network does: the audio is cut into frames of `frameMs` (20 ms is the usual
 * VoIP packet) from its first sample, and each frame is lost independently with probability `rate`;
 * a lost frame becomes silence (no concealment, the worst case a jitter buffer hands on).
 */
export function dropPackets(audio: Audio, rate: number, frameMs: number, seed: number): Audio {
  const random = mulberry32(seed);
  const frame = Math.max(1, samplesIn(frameMs, audio.sampleRate));
  const pcm = audio.pcm.slice();
  for (let start = 0; start < pcm.length; start += frame) {
    if (random() < rate) pcm.fill(0, start, Math.min(pcm.length, start + frame));
  }
  return { pcm, sampleRate: audio.sampleRate };
}
