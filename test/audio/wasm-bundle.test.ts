import { execFile } from 'node:child_process';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/audio/wav.js';
import { bundleElsewhere } from '../e2e/bundle.js';

const run = promisify(execFile);
const entry = 'test/audio/fixtures/wasm-bundle-entry.ts';

/** The files that must travel with a bundle that uses Pico and Sonic, and where they come from. */
const SHIPPED: Record<string, string> = {
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
 * Bundles a tiny entry that speaks with Pico and changes the rate with Sonic the way `npm run bundle`
 * builds dist/, moves the bundle to a folder with no node_modules or vendor/ above it, and runs it.
 */
describe('Pico and Sonic inside an ncc bundle', () => {
  let work: string;
  let moved: string;

  beforeAll(async () => {
    ({ work, moved } = await bundleElsewhere(entry, 'russo-wasm-bundle-'));
  }, 180_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('ships the glue, the WebAssembly and every language file byte for byte, and nothing corrupt', async () => {
    const files = await readdir(moved);
    expect(files.sort()).toEqual([...Object.keys(SHIPPED), 'index.js', 'package.json'].sort());
    for (const [file, source] of Object.entries(SHIPPED)) {
      expect((await readFile(join(moved, file))).equals(await readFile(source)), file).toBe(true);
    }
  });

  it('speaks and changes the rate from the moved bundle, with nothing on stderr', async () => {
    const out = join(work, 'faster.wav');
    const { stdout, stderr } = await run(
      process.execPath,
      ['index.js', 'es-ES', 'Una mesa para dos, por favor.', out],
      {
        cwd: moved,
        timeout: 60_000,
      },
    );
    expect(stderr).toBe('');
    const result = JSON.parse(stdout) as { speech: number; faster: number; sampleRate: number };
    expect(result.sampleRate).toBe(16000);
    expect(result.speech / 16000).toBeGreaterThan(1);
    expect(Math.abs(result.speech / result.faster / 1.5 - 1)).toBeLessThan(0.02);
    expect(decodeWav(await readFile(out)).pcm.length).toBe(result.faster);
  });
});
