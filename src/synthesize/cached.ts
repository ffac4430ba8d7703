import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeWav, encodeWav } from '../audio/wav.js';
import { fileErrorReason, writeFileAtomic } from '../core/files.js';
import { untilAborted } from '../core/pipeline.js';
import type { Audio, Synthesizer } from '../core/types.js';
import { AudioMemory } from './audio-memory.js';

/** Options of the audio cache. */
export interface CacheOptions {
  /** Folder of the disk cache (default `.russo/cache`); false keeps audio in memory only. */
  dir?: string | false;
  /** Most PCM bytes kept in memory, least recently used dropped first (default 64 MiB). */
  memoryBytes?: number;
  /** Keep audio in this memory, which other caches share, instead of one of its own (`memoryBytes` is then unused). */
  memory?: AudioMemory;
  /** Told once, when the disk cache fails and the cache goes on in memory only (default: a line on stderr). */
  onWarning?: (message: string) => void;
}

/** The default warning: one line on stderr, as the CLI writes its messages. */
export function warnOnStderr(message: string): void {
  process.stderr.write(`russo: warning: ${message}\n`);
}

/** What the cache did so far: `hits + misses` is every successful call; `requests` reached the synthesizer. */
export interface CacheStats {
  /** Calls answered with stored audio (memory or disk). */
  hits: number;
  /** Calls that found nothing stored: they made a request or shared one that another call made. */
  misses: number;
  /** Misses answered by a request that another call made (served without a request of their own). */
  shared: number;
  /** Calls made to the wrapped synthesizer. */
  requests: number;
  /** Disk entries found corrupt or truncated and made again. */
  repaired: number;
  /** Disk writes that failed (the audio was still returned); after the first, the disk is not written again. */
  writeErrors: number;
}

/** One lookup in progress for a key: read from disk, else synthesize; shared by every caller of that key. */
interface Flight {
  promise: Promise<{ audio: Audio; stored: boolean }>;
  /** Aborts the request once every caller waiting on it has given up. */
  controller: AbortController;
  waiting: number;
  settled: boolean;
}

const KEY_VERSION = 'russo-audio-v1';
// A cache file is a WAV file sealed with a trailing `rsum` chunk: the SHA-256 of every byte before it.
// A header left intact over damaged samples or a changed rate (a bad restore, a poisoned Actions
// cache) fails the check and is made again; players and decodeWav skip the extra chunk.
const SEAL_ID = 'rsum';
const SEAL_BYTES = 8 + 32;

/** The cache key of a text spoken by a synthesizer; the id names provider, model, voice and speed. */
export function cacheKey(synthesizerId: string, text: string): string {
  return createHash('sha256')
    .update(JSON.stringify([KEY_VERSION, synthesizerId, text]))
    .digest('hex');
}

/**
 * Wraps a synthesizer with a memory and disk cache of its audio (WAV files named by `cacheKey`).
 * Concurrent calls for the same text share one request; files are written atomically, and a
 * corrupt or truncated file is made again. A folder that cannot be made or written (a path under a
 * file or under /proc, a full disk) costs one warning: the cache goes on in memory. Every caller of
 * a text gets the same samples, not a copy: audio is read, never written (see `Audio`).
 */
export class CachedSynthesizer implements Synthesizer {
  readonly id: string;
  readonly voice: string | undefined;
  readonly dir: string | false;
  private readonly stats: CacheStats = {
    hits: 0,
    misses: 0,
    shared: 0,
    requests: 0,
    repaired: 0,
    writeErrors: 0,
  };
  private readonly memory: AudioMemory;
  private readonly flights = new Map<string, Flight>();
  private readonly onWarning: (message: string) => void;
  private diskFailed = false;

  constructor(
    private readonly inner: Synthesizer,
    options: CacheOptions = {},
  ) {
    this.id = inner.id;
    this.voice = inner.voice;
    this.dir = options.dir ?? join('.russo', 'cache');
    // Caches that share a memory never mix up their audio: keys hold the synthesizer's id.
    this.memory = options.memory ?? new AudioMemory(options.memoryBytes ?? 64 * 1024 * 1024);
    this.onWarning = options.onWarning ?? warnOnStderr;
  }

  /** A copy of the counters, for reports and benchmarks. */
  get counters(): CacheStats {
    return { ...this.stats };
  }

  /** Speaks `text`, from the cache when it can. Aborting stops the shared request only when no other call still waits. */
  async synthesize(text: string, signal?: AbortSignal): Promise<Audio> {
    signal?.throwIfAborted();
    const key = cacheKey(this.id, text);
    const remembered = this.memory.get(key);
    if (remembered !== undefined) {
      this.stats.hits++;
      return remembered;
    }
    let flight = this.flights.get(key);
    const joined = flight !== undefined;
    if (flight === undefined) {
      flight = this.fly(key, text);
      this.flights.set(key, flight);
    }
    flight.waiting++;
    try {
      const { audio, stored } = await (signal ? untilAborted(flight.promise, signal) : flight.promise);
      if (stored) this.stats.hits++;
      else {
        this.stats.misses++;
        if (joined) this.stats.shared++;
      }
      return audio;
    } finally {
      flight.waiting--;
      if (flight.waiting === 0 && !flight.settled) {
        flight.controller.abort(signal?.reason);
        this.flights.delete(key);
      }
    }
  }

  private fly(key: string, text: string): Flight {
    const controller = new AbortController();
    const flight: Flight = {
      controller,
      waiting: 0,
      settled: false,
      promise: this.load(key, text, controller.signal),
    };
    flight.promise.then(
      ({ audio }) => {
        flight.settled = true;
        if (this.flights.get(key) === flight) this.flights.delete(key);
        this.memory.set(key, audio);
      },
      () => {
        // Failures are not cached: the next call tries again.
        flight.settled = true;
        if (this.flights.get(key) === flight) this.flights.delete(key);
      },
    );
    return flight;
  }

  private async load(
    key: string,
    text: string,
    signal: AbortSignal,
  ): Promise<{ audio: Audio; stored: boolean }> {
    const stored = await this.read(key);
    if (stored !== undefined) return { audio: stored, stored: true };
    signal.throwIfAborted();
    this.stats.requests++;
    const audio = await this.inner.synthesize(text, signal);
    await this.write(key, audio);
    return { audio, stored: false };
  }

  private async read(key: string): Promise<Audio | undefined> {
    if (this.dir === false) return undefined;
    let bytes: Buffer;
    try {
      bytes = await readFile(this.pathOf(key));
    } catch {
      return undefined;
    }
    try {
      return decodeWav(unsealed(bytes));
    } catch {
      // A torn or damaged file (a crash mid-copy, a bad cache restore): make it again.
      this.stats.repaired++;
      return undefined;
    }
  }

  private async write(key: string, audio: Audio): Promise<void> {
    if (this.dir === false || this.diskFailed) return;
    try {
      // Atomic: a reader (or a crash) never sees half a file.
      await writeFileAtomic(this.pathOf(key), sealed(encodeWav(audio)));
    } catch (error) {
      this.stats.writeErrors++;
      if (this.diskFailed) return;
      this.diskFailed = true;
      this.onWarning(
        `the audio cache folder ${this.dir} cannot be used: ${fileErrorReason(error)}; speech is kept in memory for this run`,
      );
    }
  }

  private pathOf(key: string): string {
    return join(this.dir as string, `${key}.wav`);
  }
}

/** A WAV file with its seal appended, and the RIFF size grown to cover it. */
function sealed(wav: Buffer): Buffer {
  const out = Buffer.alloc(wav.length + SEAL_BYTES);
  wav.copy(out);
  out.writeUInt32LE(out.length - 8, 4);
  out.write(SEAL_ID, wav.length, 'ascii');
  out.writeUInt32LE(32, wav.length + 4);
  sealOf(out.subarray(0, wav.length)).copy(out, wav.length + 8);
  return out;
}

/** The sealed bytes without their seal; throws when the seal is missing or does not match. */
function unsealed(bytes: Buffer): Buffer {
  const start = bytes.length - SEAL_BYTES;
  if (start < 0 || bytes.toString('ascii', start, start + 4) !== SEAL_ID) throw new Error('no seal');
  // The RIFF size was grown by the seal: the digest covers the file as sealed, minus the seal itself.
  const body = bytes.subarray(0, start);
  if (!sealOf(body).equals(bytes.subarray(start + 8))) throw new Error('the seal does not match');
  return body;
}

/** SHA-256 of a WAV file's bytes with its RIFF size field left out (the seal changes it). */
function sealOf(wav: Uint8Array): Buffer {
  return createHash('sha256').update(wav.subarray(0, 4)).update(wav.subarray(8)).digest();
}
