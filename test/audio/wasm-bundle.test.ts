import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/audio/wav.js';
import { SYSTEM_LANGUAGE_DIR } from '../../src/synthesize/pico.js';
import { bundleElsewhere } from '../e2e/bundle.js';

const run = promisify(execFile);
const entry = 'test/audio/fixtures/wasm-bundle-entry.ts';

/** The files that must travel with a bundle that uses Pico and Sonic, and where they come from. */
const SHIPPED: Record<string, string> = {
  'sonic.js': 'node_modules/@echogarden/sonic-wasm/sonic.js',
  'sonic.wasm': 'node_modules/@echogarden/sonic-wasm/sonic.wasm',
  'svoxpico.js': 'node_modules/@echogarden/svoxpico-wasm/svoxpico.js',
  'svoxpico.wasm': 'node_modules/@echogarden/svoxpico-wasm/svoxpico.wasm',
};

const LANGUAGE_FILES = 'vendor/svox-pico/lang';

/**
 * Bundles a tiny entry that speaks with Pico and changes the rate with Sonic the way `npm run bundle`
 * builds dist/, moves the bundle to a folder with no node_modules or vendor/ above it, and runs it:
 * first alone, then with the repository's language files beside it, as the Action's dist/ has them.
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

  it('ships the glue and the WebAssembly byte for byte, and no copy of the language files', async () => {
    const files = await readdir(moved);
    expect(files.sort()).toEqual([...Object.keys(SHIPPED), 'index.js', 'package.json'].sort());
    for (const [file, source] of Object.entries(SHIPPED)) {
      expect((await readFile(join(moved, file))).equals(await readFile(source)), file).toBe(true);
    }
  });

  const speak = (out: string) =>
    run(process.execPath, ['index.js', 'es-ES', 'Una mesa para dos, por favor.', out], {
      cwd: moved,
      timeout: 60_000,
    });

  it.skipIf(existsSync(join(SYSTEM_LANGUAGE_DIR, 'es-ES_ta.bin')))(
    'without the repository beside it, names the language files it misses',
    async () => {
      const failed = await speak(join(work, 'none.wav')).then(
        () => undefined,
        (error: { stderr: string }) => error,
      );
      expect(failed?.stderr).toContain(
        "Pico's language files es-ES_ta.bin and es-ES_zl0_sg.bin are not installed",
      );
    },
  );

  it('speaks and changes the rate from the moved bundle, with the language files of vendor/ beside it, with nothing on stderr', async () => {
    await cp(LANGUAGE_FILES, join(moved, '..', LANGUAGE_FILES), { recursive: true });
    const out = join(work, 'faster.wav');
    const { stdout, stderr } = await speak(out);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout) as { speech: number; faster: number; sampleRate: number };
    expect(result.sampleRate).toBe(16000);
    expect(result.speech / 16000).toBeGreaterThan(1);
    expect(Math.abs(result.speech / result.faster / 1.5 - 1)).toBeLessThan(0.02);
    expect(decodeWav(await readFile(out)).pcm.length).toBe(result.faster);
  });
});
