import { AudioFormatError } from '../core/errors.js';
import type { Audio } from '../core/types.js';
import { compileWasm, instantiateGlue, packageFile } from './emscripten.js';

/**
 * Speaking-rate change with the pitch kept, by Sonic (Bill Cox's speech speed-up library, Apache-2.0,
 * compiled to WebAssembly): it cuts and overlaps whole pitch periods, so a voice talks faster or slower
 * and still sounds like itself. changeSpeed (speed.ts) is the other kind: tape-style, pitch moves.
 */

/** The speaking rates a variant accepts: half as fast to twice as fast. */
export const SPEAKING_RATE_RANGE = { min: 0.5, max: 2 } as const;

// ncc sees these literals, copies sonic.js and sonic.wasm next to the bundle and makes them plain
// paths (emscripten.ts). Keep this file free of `??=` and `||=`: ncc's asset parser fails on them.
const bundledGlue: URL | string = new URL(
  '../../node_modules/@echogarden/sonic-wasm/sonic.js',
  import.meta.url,
);
const bundledWasm: URL | string = new URL(
  '../../node_modules/@echogarden/sonic-wasm/sonic.wasm',
  import.meta.url,
);

/** The part of Sonic's C interface used here (emscripten exports: pointers are byte offsets into HEAP*). */
interface Sonic {
  HEAP16: Int16Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _sonicCreateStream(sampleRate: number, channels: number): number;
  _sonicDestroyStream(stream: number): void;
  _sonicSetSpeed(stream: number, speed: number): void;
  _sonicWriteShortToStream(stream: number, samples: number, count: number): number;
  _sonicFlushStream(stream: number): number;
  _sonicSamplesAvailable(stream: number): number;
  _sonicReadShortFromStream(stream: number, samples: number, max: number): number;
}

let sonic: Promise<Sonic> | undefined;

/** Sonic, loaded once per process (~20 KB of WebAssembly). */
function loadSonic(): Promise<Sonic> {
  if (sonic === undefined) {
    const name = '@echogarden/sonic-wasm';
    sonic = compileWasm(packageFile(bundledWasm, name, 'sonic.wasm')).then((module) =>
      instantiateGlue<Sonic>(packageFile(bundledGlue, name, 'sonic.js'), module),
    );
  }
  return sonic;
}

/**
 * Speaks the audio `factor` times as fast with the same pitch and sample rate: 1.5 lasts two thirds
 * as long, 0.5 twice as long. Returns `audio` itself at 1.
 */
export async function changeSpeakingRate(audio: Audio, factor: number): Promise<Audio> {
  if (!Number.isFinite(factor) || factor < SPEAKING_RATE_RANGE.min || factor > SPEAKING_RATE_RANGE.max) {
    throw new AudioFormatError(
      `cannot change the speaking rate by ${factor}`,
      `give a factor from ${SPEAKING_RATE_RANGE.min} to ${SPEAKING_RATE_RANGE.max} (1 is unchanged)`,
    );
  }
  if (factor === 1) return audio;
  const module = await loadSonic();
  // Everything below is synchronous, so concurrent calls never interleave on the shared instance.
  const stream = module._sonicCreateStream(audio.sampleRate, 1);
  const input = module._malloc(Math.max(2, audio.pcm.byteLength));
  let output = 0;
  try {
    module._sonicSetSpeed(stream, factor);
    module.HEAP16.set(audio.pcm, input >> 1);
    module._sonicWriteShortToStream(stream, input, audio.pcm.length);
    module._sonicFlushStream(stream);
    const available = module._sonicSamplesAvailable(stream);
    output = module._malloc(Math.max(2, available * 2));
    const read = module._sonicReadShortFromStream(stream, output, available);
    // HEAP16 is read only now: a malloc above may have grown the memory and replaced the view.
    return { pcm: module.HEAP16.slice(output >> 1, (output >> 1) + read), sampleRate: audio.sampleRate };
  } finally {
    module._free(input);
    if (output !== 0) module._free(output);
    module._sonicDestroyStream(stream);
  }
}
