import { rms } from '../audio/measure.js';
import { toInt16 } from '../audio/pcm.js';
import { deriveSeed, mulberry32 } from '../audio/random.js';
import type { Audio } from '../core/types.js';
import { CachedSynthesizer } from './cached.js';
import { FliteSynthesizer } from './flite.js';

/**
 * Babble: the noise of a room of people talking, made offline from Flite voices speaking sentences
 * of their own (never the prompts), so that a `noise: {type: babble}` variant needs no recording and
 * no network. It lives here, not in audio/, because it needs a synthesizer; the audio layer takes the
 * finished bed as an input (applyVariant's `sources.babble`).
 */

/** What the talkers say: everyday sentences with no words of a booking or an order. */
const SENTENCES = [
  'Did you see the game last night? It went to extra time.',
  'My sister is moving to a new flat next month.',
  'The train was late again this morning, as usual.',
  'I think it is going to rain later in the afternoon.',
  'We should really paint the kitchen before the summer.',
  'He said the meeting was moved to the other building.',
  'Have you finished the book I lent you in March?',
  'The garden looks lovely now that the roses are out.',
  'They are building a new bridge over the river.',
  'I need to call my mother back before she worries.',
  'The printer on the second floor is broken once more.',
  'Honestly, the film was much longer than it needed to be.',
];

/** Flite voices at 16 kHz and speeds: six talkers, the repeated voices at another pace. */
const TALKERS: ReadonlyArray<{ voice: string; speed: number }> = [
  { voice: 'kal16', speed: 1 },
  { voice: 'slt', speed: 1 },
  { voice: 'rms', speed: 1 },
  { voice: 'awb', speed: 1 },
  { voice: 'slt', speed: 1.15 },
  { voice: 'rms', speed: 0.9 },
];

/** Options of a babble bed. */
export interface BabbleOptions {
  /** Which sentences each talker says in which order, and where it starts (default 1). */
  seed?: number;
  /** Length of the bed in seconds; a longer clip loops it from a seeded offset (default 20). */
  seconds?: number;
  /** Disk cache of the talkers' speech, as CachedSynthesizer's `dir` (default false: memory only). */
  cacheDir?: string | false;
}

const RATE = 16000;
const beds = new Map<string, Promise<Audio>>();

/**
 * A babble bed at 16 kHz: six talkers (four Flite voices) each saying a seeded sequence of
 * SENTENCES with seeded pauses, every talker at the same RMS, summed. The same options give the same
 * bed on every run and machine; each bed is made once per process and kept.
 */
export function babbleBed(options: BabbleOptions = {}): Promise<Audio> {
  const seed = options.seed ?? 1;
  const seconds = options.seconds ?? 20;
  const key = `${seed}:${seconds}`;
  let bed = beds.get(key);
  if (bed === undefined) {
    bed = makeBabbleBed({ seed, seconds, cacheDir: options.cacheDir });
    beds.set(key, bed);
    // A failure is not kept: the next call tries again.
    bed.catch(() => beds.delete(key));
  }
  return bed;
}

/** A new babble bed, not kept (babbleBed keeps them): the same options give the same samples. */
export async function makeBabbleBed(options: BabbleOptions = {}): Promise<Audio> {
  const { seed = 1, seconds = 20, cacheDir = false } = options;
  const length = Math.round(seconds * RATE);
  const tracks = await Promise.all(
    TALKERS.map((talker, index) =>
      talkerTrack(talker, length, deriveSeed(seed, `talker ${index}`), cacheDir),
    ),
  );
  const mix = new Float64Array(length);
  for (const track of tracks) {
    // Every talker equally loud, so no single voice stands out of the crowd.
    const gain = 1 / Math.max(1, rms(track));
    for (let i = 0; i < length; i++) mix[i] = (mix[i] as number) + (track[i] as number) * gain;
  }
  let peak = 0;
  for (const value of mix) peak = Math.max(peak, Math.abs(value));
  // Scaled to a peak of half full scale: the level does not matter (the SNR sets it), the headroom does.
  const scale = peak === 0 ? 0 : 16384 / peak;
  return { pcm: Int16Array.from(mix, (value) => toInt16(value * scale)), sampleRate: RATE };
}

/** One talker's speech, `length` samples long: seeded sentence order, pauses and starting point. */
async function talkerTrack(
  talker: { voice: string; speed: number },
  length: number,
  seed: number,
  cacheDir: string | false,
): Promise<Int16Array> {
  const random = mulberry32(seed);
  const order = SENTENCES.map((sentence) => ({ sentence, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map(({ sentence }) => sentence);
  const synthesizer = new CachedSynthesizer(new FliteSynthesizer(talker), { dir: cacheDir });
  const track = new Int16Array(length);
  // Only the sentences the track needs are spoken, one after the other (the talkers run side by side).
  let clip = (await synthesizer.synthesize(order[0] as string)).pcm;
  // Start somewhere inside the first sentence, so the talkers do not all begin together.
  let position = -Math.floor(random() * clip.length);
  for (let i = 1; ; i++) {
    const from = Math.max(0, -position);
    track.set(clip.subarray(from, Math.min(clip.length, length - position)), Math.max(0, position));
    position += clip.length + Math.round((0.1 + 0.3 * random()) * RATE);
    if (position >= length) break;
    clip = (await synthesizer.synthesize(order[i % order.length] as string)).pcm;
  }
  return track;
}
