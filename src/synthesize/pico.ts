import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileWasm, type CompiledModule, packageFile } from '../audio/emscripten.js';
import { SynthesisError } from '../core/errors.js';
import type { SynthesizerProvider } from '../core/provider.js';
import type { Audio, Synthesizer } from '../core/types.js';
import { WorkerPool } from './worker-pool.js';

// ncc sees each literal `new URL(…, import.meta.url)` below, copies the file next to the bundle and
// turns the expression into a plain path; outside a bundle they point into node_modules. Keep this
// file free of `??=` and `||=`: ncc's asset parser fails on them, silently (see flite-worker.ts).
// The language files are not among them: see repositoryLanguageDirs.
const bundledGlue: URL | string = new URL(
  '../../node_modules/@echogarden/svoxpico-wasm/svoxpico.js',
  import.meta.url,
);
const bundledWasm: URL | string = new URL(
  '../../node_modules/@echogarden/svoxpico-wasm/svoxpico.wasm',
  import.meta.url,
);

/** A Pico voice: the names of its language files (text analysis and signal generation). */
interface PicoVoice {
  description: string;
  textAnalysis: string;
  signalGeneration: string;
}

/** The six languages of SVOX Pico, one female voice each, all at 16 kHz. */
export const PICO_VOICES: Readonly<Record<string, PicoVoice>> = {
  'en-US': {
    description: 'US English',
    textAnalysis: 'en-US_ta.bin',
    signalGeneration: 'en-US_lh0_sg.bin',
  },
  'en-GB': {
    description: 'British English',
    textAnalysis: 'en-GB_ta.bin',
    signalGeneration: 'en-GB_kh0_sg.bin',
  },
  'de-DE': {
    description: 'German',
    textAnalysis: 'de-DE_ta.bin',
    signalGeneration: 'de-DE_gl0_sg.bin',
  },
  'es-ES': {
    description: 'Spanish (Spain)',
    textAnalysis: 'es-ES_ta.bin',
    signalGeneration: 'es-ES_zl0_sg.bin',
  },
  'fr-FR': {
    description: 'French (France)',
    textAnalysis: 'fr-FR_ta.bin',
    signalGeneration: 'fr-FR_nk0_sg.bin',
  },
  'it-IT': {
    description: 'Italian',
    textAnalysis: 'it-IT_ta.bin',
    signalGeneration: 'it-IT_cm0_sg.bin',
  },
};

/**
 * Pico's only output format: PICO_DATA_PCM_16BIT, signed 16-bit mono samples at 16 kHz, with no
 * header to read the rate from; the worker checks the data type of every chunk it gets.
 */
export const PICO_SAMPLE_RATE = 16000;

// The worker (worker-pool.ts): the Emscripten glue imported from its file, instantiated with the
// module compiled once in the main thread. Each synthesis starts a fresh Pico system in a zeroed
// memory area: a reused system, or an area holding a past text's leftovers, changes the next speech.
// Pico's C interface (picoapi.h): initialize a system in a memory area, load the two language files,
// define a voice of them, make an engine, put the text in, get 16-bit PCM out until it is idle (200).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { basename } = require('node:path');
const AREA_BYTES = 2500000;
const PICO_STEP_IDLE = 200;
const PICO_STEP_BUSY = 201;
const PICO_DATA_PCM_16BIT = 1;
const CHUNK_BYTES = 16384;
let pico;
const written = new Set();
function load() {
  if (pico === undefined) {
    pico = import(workerData.glue).then((glue) => glue.default({
      instantiateWasm(imports, receive) {
        const instance = new WebAssembly.Instance(workerData.module, imports);
        receive(instance, workerData.module);
        return instance.exports;
      },
    }));
  }
  return pico;
}
function speak(m, text, files) {
  const allocated = [];
  const alloc = (bytes) => { const pointer = m._malloc(bytes); allocated.push(pointer); return pointer; };
  const cString = (value) => {
    const bytes = new TextEncoder().encode(value + '\\0');
    const pointer = alloc(bytes.length);
    m.HEAPU8.set(bytes, pointer);
    return { pointer, length: bytes.length };
  };
  const readString = (pointer) => new TextDecoder().decode(m.HEAPU8.subarray(pointer, m.HEAPU8.indexOf(0, pointer)));
  const systemRef = alloc(4);
  let system = 0;
  const check = (code, what, success = [0]) => {
    if (success.includes(code)) return;
    const message = alloc(200);
    if (system !== 0) m._pico_getSystemStatusMessage(system, code, message);
    throw new Error(what + ' (Pico status ' + code + (system !== 0 ? ': ' + readString(message) : '') + ')');
  };
  try {
    // Zeroed: Pico reads memory it never wrote, and the leftovers of the last text would change this one.
    const area = alloc(AREA_BYTES);
    m.HEAPU8.fill(0, area, area + AREA_BYTES);
    check(m._pico_initialize(area, AREA_BYTES, systemRef), 'cannot start Pico');
    system = m.HEAP32[systemRef >> 2];
    const voice = cString('voice').pointer;
    check(m._pico_createVoiceDefinition(system, voice), 'cannot define a voice');
    for (const file of files) {
      const name = '/' + basename(file);
      if (!written.has(name)) {
        m.FS.writeFile(name, readFileSync(file));
        written.add(name);
      }
      const resourceRef = alloc(4);
      check(m._pico_loadResource(system, cString(name).pointer, resourceRef), 'cannot load ' + basename(file));
      const resourceName = alloc(32);
      check(m._pico_getResourceName(system, m.HEAP32[resourceRef >> 2], resourceName), 'cannot name ' + basename(file));
      check(m._pico_addResourceToVoiceDefinition(system, voice, resourceName), 'cannot add ' + basename(file));
    }
    const engineRef = alloc(4);
    check(m._pico_newEngine(system, voice, engineRef), 'cannot start a Pico engine');
    const engine = m.HEAP32[engineRef >> 2];
    const input = cString(text);
    const put = alloc(4);
    const chunk = alloc(CHUNK_BYTES);
    const size = alloc(4);
    const type = alloc(4);
    const parts = [];
    let total = 0;
    for (let offset = 0; offset < input.length; ) {
      check(m._pico_putTextUtf8(engine, input.pointer + offset, input.length - offset, put), 'cannot put the text in');
      offset += m.HEAP16[put >> 1];
      for (;;) {
        const status = m._pico_getData(engine, chunk, CHUNK_BYTES, size, type);
        check(status, 'cannot get the speech out', [PICO_STEP_IDLE, PICO_STEP_BUSY]);
        const bytes = m.HEAP16[size >> 1];
        if (bytes > 0) {
          if (m.HEAP16[type >> 1] !== PICO_DATA_PCM_16BIT) throw new Error('Pico answered data of type ' + m.HEAP16[type >> 1] + ', not 16-bit PCM');
          parts.push(m.HEAPU8.slice(chunk, chunk + bytes));
          total += bytes;
        }
        if (status === PICO_STEP_IDLE) break;
      }
    }
    const pcm = new Int16Array(total >> 1);
    const out = new Uint8Array(pcm.buffer);
    let at = 0;
    for (const part of parts) { out.set(part.subarray(0, out.length - at), at); at += part.length; }
    return pcm;
  } finally {
    if (system !== 0) m._pico_terminate(systemRef);
    for (const pointer of allocated) m._free(pointer);
  }
}
parentPort.on('message', async ({ text, files }) => {
  try {
    const pcm = speak(await load(), text, files);
    parentPort.postMessage({ reply: pcm }, [pcm.buffer]);
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
});`;

const PACKAGE = '@echogarden/svoxpico-wasm';
let compiled: Promise<CompiledModule> | undefined;

/** svoxpico.wasm (~1 MB), read and compiled once per process and shared by every worker. */
function picoModule(): Promise<CompiledModule> {
  if (compiled === undefined) {
    compiled = compileWasm(packageFile(bundledWasm, PACKAGE, 'svoxpico.wasm'));
    // A failure is not kept: the next synthesis tries again.
    compiled.catch(() => {
      compiled = undefined;
    });
  }
  return compiled;
}

/** Where Debian's and Ubuntu's package `libttspico-data` installs the language files. */
export const SYSTEM_LANGUAGE_DIR = '/usr/share/pico/lang';

/**
 * Where a clone of russo's repository keeps the language files, vendor/svox-pico/lang/, seen from
 * this module: one folder up from the Action's bundle (dist/), two from src/synthesize/ and
 * lib/synthesize/. The Action is downloaded as the whole repository, so its bundle carries no second
 * copy of them (6.2 MB); the npm package has no vendor/. Built from folder names at run time, so
 * that ncc does not copy the files next to the bundle.
 */
function repositoryLanguageDirs(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  return ['..', join('..', '..')].map((up) => join(here, up, 'vendor', 'svox-pico', 'lang'));
}

/**
 * The language files of a voice as paths. With `languageDir` only that folder is read. Otherwise the
 * repository's (the Action, a clone), then the system's: the npm package leaves them out (6 MB of
 * speech data in a package that is 1 MB without them), so a project that installs russo and speaks
 * with Pico installs `libttspico-data`.
 */
function languageFiles(voice: PicoVoice, languageDir: string | undefined): string[] {
  const names = [voice.textAnalysis, voice.signalGeneration];
  const folders =
    languageDir !== undefined ? [languageDir] : [...repositoryLanguageDirs(), SYSTEM_LANGUAGE_DIR];
  for (const folder of folders) {
    const files = names.map((name) => join(folder, name));
    if (files.every((file) => existsSync(file))) return files;
  }
  const wanted = names.join(' and ');
  throw new SynthesisError(
    languageDir !== undefined
      ? `Pico's language files ${wanted} are not in ${languageDir} (synthesizer.language_dir)`
      : `Pico's language files ${wanted} are not installed`,
    languageDir !== undefined
      ? 'point language_dir at a folder that holds them, e.g. /usr/share/pico/lang'
      : `install them with \`sudo apt-get install libttspico-data\` (Debian non-free, Ubuntu multiverse; into ${SYSTEM_LANGUAGE_DIR}), or set synthesizer.language_dir to a folder that holds them (russo's repository has them in vendor/svox-pico/lang/, which the Action reads)`,
  );
}

// One pool per process: every voice shares the compiled module and the worker threads.
let sharedPool: WorkerPool<{ text: string; files: string[] }, Int16Array> | undefined;

function pool(): WorkerPool<{ text: string; files: string[] }, Int16Array> {
  if (sharedPool === undefined) {
    sharedPool = new WorkerPool('Pico', async () => ({
      source: WORKER_SOURCE,
      workerData: {
        glue: pathToFileURL(packageFile(bundledGlue, PACKAGE, 'svoxpico.js')).href,
        module: await picoModule(),
      },
    }));
  }
  return sharedPool;
}

/** Options of a Pico synthesizer. */
export interface PicoOptions {
  /** One of PICO_VOICES, a language tag (default en-US). */
  voice?: string;
  /** The folder of the language files; default: the repository's (the Action, a clone), else the system's. */
  languageDir?: string;
}

/**
 * Offline text to speech with SVOX Pico (WebAssembly, Apache-2.0): six languages, no key, no network,
 * 16 kHz audio. Each synthesis runs in a worker thread and gives the same samples every time.
 */
export class PicoSynthesizer implements Synthesizer {
  readonly id: string;
  readonly voice: string;
  private readonly files: string[];

  constructor(options: PicoOptions = {}) {
    this.voice = options.voice ?? 'en-US';
    const voice = Object.hasOwn(PICO_VOICES, this.voice) ? PICO_VOICES[this.voice] : undefined;
    if (voice === undefined) {
      throw new SynthesisError(
        `unknown Pico voice "${this.voice}"`,
        `use one of ${Object.keys(PICO_VOICES).join(', ')}`,
      );
    }
    this.files = languageFiles(voice, options.languageDir);
    this.id = `pico:${this.voice}`;
  }

  /** Speaks `text` in the voice's language, at 16 kHz. */
  async synthesize(text: string, signal?: AbortSignal): Promise<Audio> {
    if (text.trim() === '') {
      throw new SynthesisError('cannot synthesize an empty text', 'give the prompt some words');
    }
    const pcm = await pool().run({ text, files: this.files }, signal);
    if (pcm.length === 0) {
      throw new SynthesisError(
        `Pico (voice ${this.voice}) produced no audio for "${text.slice(0, 80)}"`,
        'write the prompt in words of the voice’s language',
      );
    }
    return { pcm, sampleRate: PICO_SAMPLE_RATE };
  }
}

/** `provider: pico` in the config: offline voices in six languages and accents. */
export const picoSynthesizerProvider: SynthesizerProvider = {
  id: 'pico',
  description: 'Offline text to speech with SVOX Pico (WebAssembly): six languages, no key, no network.',
  optionsSchema: {
    type: 'object',
    properties: {
      voices: {
        type: 'array',
        minItems: 1,
        items: { enum: Object.keys(PICO_VOICES) },
        description: `Every prompt is spoken in each voice (language): ${Object.entries(PICO_VOICES)
          .map(([name, voice]) => `${name} (${voice.description})`)
          .join(', ')}.`,
      },
      language_dir: {
        type: 'string',
        minLength: 1,
        description: `The folder of Pico's language files (relative to the config file). Default: russo's own (the Action has them), else ${SYSTEM_LANGUAGE_DIR} (Debian/Ubuntu package libttspico-data).`,
      },
    },
    additionalProperties: false,
  },
  defaultVoices: ['en-US'],
  create(options, voice, { baseDir }) {
    const languageDir =
      typeof options.language_dir === 'string' ? resolve(baseDir, options.language_dir) : undefined;
    return new PicoSynthesizer({ voice, ...(languageDir !== undefined ? { languageDir } : {}) });
  },
};
