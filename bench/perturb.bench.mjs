// What each variant condition costs: CPU ms of the main thread per second of audio (issue 14's
// target: at most 2 ms each), over 10 real Flite sentences (kal16 and slt, 16 kHz, ~25 s of speech),
// each condition applied with applyVariant as the suite will. The babble bed is made once per process
// and reported apart (it is synthesis, not perturbation); Pico's synthesis speed closes the table.
import { applyVariant, CLEAN_VARIANT } from '../lib/audio/variant.js';
import { babbleBed } from '../lib/synthesize/babble.js';
import { FliteSynthesizer } from '../lib/synthesize/flite.js';
import { PICO_VOICES, PicoSynthesizer } from '../lib/synthesize/pico.js';

const SENTENCES = [
  'Book a table for two at seven tonight.',
  'Can I get a reservation for four people tomorrow at noon?',
  'Cancel my booking please.',
  'What time do you open on Sundays?',
  'Move my appointment from Tuesday to Thursday afternoon.',
];
const TARGET_MS = 2;

const clips = [];
for (const voice of ['kal16', 'slt']) {
  const flite = new FliteSynthesizer({ voice });
  for (const sentence of SENTENCES) clips.push(await flite.synthesize(sentence));
}
const audioSeconds = clips.reduce((sum, clip) => sum + clip.pcm.length / clip.sampleRate, 0);

let started = performance.now();
const babble = await babbleBed();
const bedMs = performance.now() - started;

const CONDITIONS = [
  ['speed 0.8 (Sonic)', { speed: 0.8 }],
  ['speed 1.25 (Sonic)', { speed: 1.25 }],
  ['speed 2 (Sonic)', { speed: 2 }],
  ['noise white 10 dB', { noise: { type: 'white', snr_db: 10 } }],
  ['noise pink 10 dB', { noise: { type: 'pink', snr_db: 10 } }],
  ['noise brown 10 dB', { noise: { type: 'brown', snr_db: 10 } }],
  ['noise hum 60 Hz 10 dB', { noise: { type: 'hum', snr_db: 10, hum_hz: 60 } }],
  ['noise babble 10 dB', { noise: { type: 'babble', snr_db: 10 } }],
  ['channel telephone', { channel: 'telephone' }],
  ['packet_loss 5% of 20 ms', { packet_loss: { rate: 0.05, frame_ms: 20 } }],
  ['gain_db -10', { gain_db: -10 }],
  ['leading/trailing silence 500 ms', { leading_silence_ms: 500, trailing_silence_ms: 500 }],
  [
    'all of them at once',
    {
      speed: 1.25,
      leading_silence_ms: 500,
      trailing_silence_ms: 500,
      noise: { type: 'babble', snr_db: 10 },
      gain_db: -10,
      channel: 'telephone',
      packet_loss: { rate: 0.05 },
    },
  ],
];

/** CPU ms of this thread per second of input audio, after a warm-up pass (JIT, Sonic's first load). */
async function cpuPerAudioSecond(variant) {
  for (const clip of clips) await applyVariant(clip, variant, 1, { babble });
  const rounds = 5;
  const before = process.threadCpuUsage();
  for (let round = 0; round < rounds; round++) {
    for (const clip of clips) await applyVariant(clip, variant, round, { babble });
  }
  const cpu = process.threadCpuUsage(before);
  return (cpu.user + cpu.system) / 1000 / (rounds * audioSeconds);
}

const rows = [];
for (const [name, conditions] of CONDITIONS) {
  const ms = await cpuPerAudioSecond({ name: 'bench', ...conditions });
  rows.push({
    condition: name,
    'CPU ms per audio second': ms.toFixed(3),
    'faster than real time': `${Math.round(1000 / ms)}×`,
    [`≤ ${TARGET_MS} ms`]: name === 'all of them at once' ? '(sum)' : ms <= TARGET_MS ? 'yes' : 'NO',
  });
}
const clean = await cpuPerAudioSecond(CLEAN_VARIANT);
console.log(
  `${clips.length} Flite clips, ${audioSeconds.toFixed(1)} s of speech at 16 kHz, 5 rounds each; the clean variant costs ${clean.toFixed(3)} ms (validation only)`,
);
console.table(rows);
console.log(`babble bed (6 Flite talkers, 20 s, made once per process): ${bedMs.toFixed(0)} ms wall`);

// Pico: the first call starts a worker and compiles svoxpico.wasm; then one sentence at a time per language.
started = performance.now();
await new PicoSynthesizer({ voice: 'en-US' }).synthesize('Hello.');
const firstMs = performance.now() - started;
const pico = [];
for (const voice of Object.keys(PICO_VOICES)) {
  const synthesizer = new PicoSynthesizer({ voice });
  await synthesizer.synthesize('Warm up.');
  let wall = 0;
  let seconds = 0;
  for (const sentence of SENTENCES) {
    const t0 = performance.now();
    const audio = await synthesizer.synthesize(sentence);
    wall += performance.now() - t0;
    seconds += audio.pcm.length / audio.sampleRate;
  }
  pico.push({
    voice,
    'ms per sentence (mean)': (wall / SENTENCES.length).toFixed(1),
    'faster than real time': `${Math.round(seconds / (wall / 1000))}×`,
  });
}
console.log(
  `\nPico: first call (worker start, compile) ${firstMs.toFixed(0)} ms; ${SENTENCES.length} English sentences per voice:`,
);
console.table(pico);
