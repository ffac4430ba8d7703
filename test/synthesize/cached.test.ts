import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';
import type { Audio, Synthesizer } from '../../src/core/types.js';
import { CachedSynthesizer, cacheKey } from '../../src/synthesize/cached.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import { waitFor } from '../wait-for.js';

const PROMPT = 'Book a table for two at seven tonight.';

/** Wraps a synthesizer and counts the calls that reach it: the number the cache must keep down. */
class Counting implements Synthesizer {
  calls = 0;
  readonly signals: (AbortSignal | undefined)[] = [];
  constructor(readonly inner: Synthesizer) {}
  get id(): string {
    return this.inner.id;
  }
  async synthesize(text: string, signal?: AbortSignal): Promise<Audio> {
    this.calls++;
    this.signals.push(signal);
    return this.inner.synthesize(text, signal);
  }
}

/** A synthesizer that answers only when released, to hold a request open. */
class Held implements Synthesizer {
  readonly id = 'test:held';
  calls = 0;
  private releases: (() => void)[] = [];
  seen: AbortSignal[] = [];
  async synthesize(_text: string, signal?: AbortSignal): Promise<Audio> {
    this.calls++;
    if (signal) this.seen.push(signal);
    await new Promise<void>((resolve, reject) => {
      this.releases.push(resolve);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    return { pcm: Int16Array.from([1, 2, 3]), sampleRate: 16000 };
  }
  release(): void {
    for (const release of this.releases.splice(0)) release();
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'russo-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CachedSynthesizer', () => {
  it('makes one request, then answers from memory, then from disk in a new process-like instance', async () => {
    const flite = new Counting(new FliteSynthesizer({ voice: 'kal16' }));
    const cache = new CachedSynthesizer(flite, { dir });
    const first = await cache.synthesize(PROMPT);
    const second = await cache.synthesize(PROMPT);
    expect(flite.calls).toBe(1);
    expect(second).toEqual(first);
    expect(cache.counters).toEqual({
      hits: 1,
      misses: 1,
      shared: 0,
      requests: 1,
      repaired: 0,
      writeErrors: 0,
    });

    // The stored file is a real WAV of the same audio, named by the key.
    const file = join(dir, `${cacheKey('flite:kal16', PROMPT)}.wav`);
    expect(decodeWav(await readFile(file))).toEqual(first);
    expect(await readdir(dir)).toEqual([`${cacheKey('flite:kal16', PROMPT)}.wav`]);

    const later = new CachedSynthesizer(flite, { dir });
    expect(await later.synthesize(PROMPT)).toEqual(first);
    expect(flite.calls).toBe(1);
    expect(later.counters).toMatchObject({ hits: 1, misses: 0, requests: 0 });
  });

  it('never gives one voice or speed the audio of another', async () => {
    const voices = [
      new FliteSynthesizer({ voice: 'kal16' }),
      new FliteSynthesizer({ voice: 'slt' }),
      new FliteSynthesizer({ voice: 'slt', speed: 1.5 }),
    ].map((synthesizer) => new Counting(synthesizer));
    const first = await Promise.all(
      voices.map((voice) => new CachedSynthesizer(voice, { dir }).synthesize(PROMPT)),
    );
    expect(voices.map((voice) => voice.calls)).toEqual([1, 1, 1]);
    expect(new Set(first.map((audio) => audio.pcm.length)).size).toBe(3);
    expect(await readdir(dir)).toHaveLength(3);

    // From disk, each voice gets its own audio back.
    const again = await Promise.all(
      voices.map((voice) => new CachedSynthesizer(voice, { dir }).synthesize(PROMPT)),
    );
    expect(again).toEqual(first);
    expect(voices.map((voice) => voice.calls)).toEqual([1, 1, 1]);
  });

  it('keys on the exact text', () => {
    expect(cacheKey('flite:kal16', 'Hello.')).not.toBe(cacheKey('flite:kal16', 'Hello'));
    // The id and the text cannot run into each other.
    expect(cacheKey('a', 'bc')).not.toBe(cacheKey('ab', 'c'));
    expect(cacheKey('flite:kal16', 'Hello')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shares one request among concurrent misses of the same text', async () => {
    const flite = new Counting(new FliteSynthesizer({ voice: 'rms' }));
    const cache = new CachedSynthesizer(flite, { dir });
    const texts = ['Cancel my booking.', 'What time do you open?'];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => cache.synthesize(texts[i % 2] as string)),
    );
    expect(flite.calls).toBe(2);
    expect(cache.counters).toMatchObject({ hits: 0, misses: 40, shared: 38, requests: 2 });
    expect(results[0]).toEqual(results[38]);
    expect(results[1]).toEqual(results[39]);
    expect(results[0]?.pcm.length).not.toBe(results[1]?.pcm.length);
  });

  it('remakes a truncated or corrupt entry instead of playing it', async () => {
    const flite = new Counting(new FliteSynthesizer());
    const original = await new CachedSynthesizer(flite, { dir }).synthesize(PROMPT);
    const file = join(dir, `${cacheKey(flite.id, PROMPT)}.wav`);

    await truncate(file, 1000);
    const afterTruncation = new CachedSynthesizer(flite, { dir });
    expect(await afterTruncation.synthesize(PROMPT)).toEqual(original);
    expect(afterTruncation.counters).toMatchObject({ repaired: 1, requests: 1 });
    expect(decodeWav(await readFile(file))).toEqual(original);

    await writeFile(file, 'not a wav at all');
    const afterGarbage = new CachedSynthesizer(flite, { dir });
    expect(await afterGarbage.synthesize(PROMPT)).toEqual(original);
    expect(afterGarbage.counters).toMatchObject({ repaired: 1, requests: 1 });
    expect(flite.calls).toBe(3);
  });

  it('remakes an entry whose header is intact but whose samples or rate were changed', async () => {
    const flite = new Counting(new FliteSynthesizer());
    const original = await new CachedSynthesizer(flite, { dir }).synthesize(PROMPT);
    const file = join(dir, `${cacheKey(flite.id, PROMPT)}.wav`);
    const sealed = await readFile(file);
    // Still a valid WAV file, so only the seal can tell.
    expect(decodeWav(sealed)).toEqual(original);

    const samples = Buffer.from(sealed);
    samples.writeInt16LE(samples.readInt16LE(2000) ^ 0x7fff, 2000);
    await writeFile(file, samples);
    const afterSamples = new CachedSynthesizer(flite, { dir });
    expect(await afterSamples.synthesize(PROMPT)).toEqual(original);
    expect(afterSamples.counters).toMatchObject({ repaired: 1, requests: 1 });

    const rate = Buffer.from(await readFile(file));
    rate.writeUInt32LE(8000, 24);
    await writeFile(file, rate);
    const afterRate = new CachedSynthesizer(flite, { dir });
    expect(await afterRate.synthesize(PROMPT)).toEqual(original);
    expect(afterRate.counters).toMatchObject({ repaired: 1, requests: 1 });

    // An entry written without a seal (an older cache) is made again once, then sealed.
    await writeFile(file, encodeWav(original));
    const unsealed = new CachedSynthesizer(flite, { dir });
    expect(await unsealed.synthesize(PROMPT)).toEqual(original);
    expect(unsealed.counters).toMatchObject({ repaired: 1, requests: 1 });
    expect(await readFile(file)).toEqual(sealed);
  });

  it('leaves no torn file when the process dies in the middle of a write', async () => {
    // A 30 MB entry written by a child process that is killed once half of it is on disk.
    const child = spawn(
      process.execPath,
      ['--experimental-transform-types', 'test/fixtures/cache-crash/writer.mjs', dir, '15000000'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let output = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('half written')) resolve();
      }),
    );
    child.kill('SIGKILL');
    await exited;
    expect(output).toBe('half written\n'); // killed before it finished

    // Half a file on disk, under a temporary name only: never under the entry's own name.
    const names = await readdir(dir);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name.endsWith('.tmp'))).toBe(true);
    const entry = join(dir, `${cacheKey('test:loud', 'a long, long prompt')}.wav`);
    await expect(readFile(entry)).rejects.toThrow(/ENOENT/);
  });

  it('removes its temporary file after a write and keeps nothing but WAV entries', async () => {
    const cache = new CachedSynthesizer(new FliteSynthesizer(), { dir });
    await Promise.all(['One.', 'Two.', 'Three.'].map((text) => cache.synthesize(text)));
    const names = await readdir(dir);
    expect(names).toHaveLength(3);
    expect(names.every((name) => /^[0-9a-f]{64}\.wav$/.test(name))).toBe(true);
  });

  it.each([
    ['under a regular file', () => join(dir, 'a-file', 'cache'), /^ENOTDIR \(not a directory\)$/],
    // Node's recursive mkdir spins forever here: /proc answers ENOENT for a child of a folder that exists.
    ['under /proc', () => '/proc/russo-no-such-folder/cache', /^ENOENT \(no such file or directory\)$/],
  ])('a folder that cannot be made (%s): one warning, then memory only', async (_, folder, reason) => {
    await writeFile(join(dir, 'a-file'), '');
    const warnings: string[] = [];
    const flite = new Counting(new FliteSynthesizer());
    const cache = new CachedSynthesizer(flite, {
      dir: folder(),
      onWarning: (message) => warnings.push(message),
    });
    const texts = ['One.', 'Two.', 'Three.', 'Four.'];
    const audio = await Promise.all([...texts, ...texts].map((text) => cache.synthesize(text)));
    expect(audio.every((clip) => clip.sampleRate === 16000)).toBe(true);
    expect(flite.calls).toBe(4);
    expect(warnings).toHaveLength(1);
    const [, path, why] = warnings[0]!.match(
      /^the audio cache folder (\S+) cannot be used: (.+); speech is kept in memory for this run$/,
    )!;
    expect(path).toBe(folder());
    expect(why).toMatch(reason);
    // Memory answers what was spoken; new texts are spoken without trying the disk again.
    const failed = cache.counters.writeErrors;
    expect(failed).toBeGreaterThanOrEqual(1);
    await Promise.all([...texts, 'Five.', 'Six.'].map((text) => cache.synthesize(text)));
    expect(flite.calls).toBe(6);
    expect(cache.counters).toMatchObject({ hits: 4, misses: 10, requests: 6, writeErrors: failed });
    expect(warnings).toHaveLength(1);
  });

  it('caches in memory only with dir: false', async () => {
    const flite = new Counting(new FliteSynthesizer());
    const cache = new CachedSynthesizer(flite, { dir: false });
    await cache.synthesize(PROMPT);
    await cache.synthesize(PROMPT);
    expect(flite.calls).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('drops the least recently used audio beyond its memory budget, and reads it back from disk', async () => {
    const flite = new Counting(new FliteSynthesizer());
    // Room for about one sentence of 16 kHz audio.
    const cache = new CachedSynthesizer(flite, { dir, memoryBytes: 100_000 });
    await cache.synthesize('First sentence.');
    await cache.synthesize('Second sentence.');
    await rm(join(dir, `${cacheKey(flite.id, 'Second sentence.')}.wav`));
    await cache.synthesize('Second sentence.'); // still in memory: no request although the file is gone
    await cache.synthesize('First sentence.'); // evicted from memory: read from disk
    expect(flite.calls).toBe(2);
    expect(cache.counters).toMatchObject({ hits: 2, misses: 2, requests: 2 });
  });

  it('does not cache a failure: the next call tries again', async () => {
    let calls = 0;
    const flaky: Synthesizer = {
      id: 'test:flaky',
      async synthesize() {
        calls++;
        if (calls === 1) throw new Error('503 from the TTS');
        return { pcm: Int16Array.from([7]), sampleRate: 8000 };
      },
    };
    const cache = new CachedSynthesizer(flaky, { dir });
    await expect(cache.synthesize('hi')).rejects.toThrow('503 from the TTS');
    expect(await cache.synthesize('hi')).toEqual({ pcm: Int16Array.from([7]), sampleRate: 8000 });
    expect(cache.counters).toMatchObject({ requests: 2, misses: 1 });
  });

  it('hands every caller of a text the same samples, without a copy per run', async () => {
    const cache = new CachedSynthesizer(new FliteSynthesizer(), { dir });
    const [first, shared] = await Promise.all([cache.synthesize(PROMPT), cache.synthesize(PROMPT)]);
    expect(shared.pcm).toBe(first.pcm);
    expect((await cache.synthesize(PROMPT)).pcm).toBe(first.pcm);
    // From disk, in a new cache: read once, then the same samples again.
    const reopened = new CachedSynthesizer(new FliteSynthesizer(), { dir });
    const fromDisk = await reopened.synthesize(PROMPT);
    expect(fromDisk.pcm).toEqual(first.pcm);
    expect((await reopened.synthesize(PROMPT)).pcm).toBe(fromDisk.pcm);
  });

  it('keeps a shared request going while one caller still waits, and stops it when all gave up', async () => {
    const held = new Held();
    const cache = new CachedSynthesizer(held, { dir });
    const quitter = new AbortController();
    const quitting = cache.synthesize('x', quitter.signal);
    const staying = cache.synthesize('x');
    await waitFor(() => held.calls === 1);
    quitter.abort(new Error('run timed out'));
    await expect(quitting).rejects.toThrow('run timed out');
    expect(held.seen[0]?.aborted).toBe(false);
    held.release();
    expect((await staying).pcm).toEqual(Int16Array.from([1, 2, 3]));

    const a = new AbortController();
    const b = new AbortController();
    const both = [cache.synthesize('y', a.signal), cache.synthesize('y', b.signal)];
    await waitFor(() => held.calls === 2);
    a.abort(new Error('a'));
    b.abort(new Error('b'));
    await expect(Promise.all(both)).rejects.toThrow();
    expect(held.seen[1]?.aborted).toBe(true);
    // A new call starts afresh instead of joining the abandoned request.
    const fresh = cache.synthesize('y');
    await waitFor(() => held.calls === 3);
    held.release();
    expect((await fresh).pcm).toEqual(Int16Array.from([1, 2, 3]));
    expect(held.calls).toBe(3);
    // Three requests, two answered calls, one of them on another call's request: what the suite
    // reports as served from the cache (hits + shared) stays 1, never 2 − 3 = −1 after the cancel.
    expect(cache.counters).toMatchObject({ hits: 0, misses: 2, shared: 1, requests: 3 });
  });

  it('rejects at once when the signal is already aborted', async () => {
    const held = new Held();
    const cache = new CachedSynthesizer(held, { dir });
    await expect(cache.synthesize('x', AbortSignal.abort(new Error('stop')))).rejects.toThrow('stop');
    expect(held.calls).toBe(0);
  });

  it('keeps the id and voice of the synthesizer it wraps', () => {
    const cache = new CachedSynthesizer(new FliteSynthesizer({ voice: 'awb', speed: 0.8 }));
    expect(cache.id).toBe('flite:awb:speed=0.8');
    expect(cache.voice).toBe('awb');
    expect(cache.dir).toBe(join('.russo', 'cache'));
  });
});
