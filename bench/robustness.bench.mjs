// A first robustness curve of the offline sample agent (examples/sample-agent: pocketsphinx with a
// grammar, driven as a command agent in serve mode): the pass rate of the repository's single-turn
// scenarios (scenarios/*.yaml) under white and babble noise from 30 to 0 dB SNR, and over a
// telephone line, against clean speech. Each condition is a full runSuite over every prompt × the
// config's Flite voices (kal16, slt, rms), one run each: the sample agent and the perturbations are
// deterministic, so more runs would repeat the same answers. The speech is synthesized once and
// shared; each condition applies its variant with applyVariant, as the suite will. About 4 minutes
// on 2 cores (12 conditions × 51 runs).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CachedSynthesizer, CommandAgent, FliteSynthesizer, loadSuite, runSuite } from '../lib/index.js';
import { applyVariant, CLEAN_VARIANT } from '../lib/audio/variant.js';
import { babbleBed } from '../lib/synthesize/babble.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const VOICES = ['kal16', 'slt', 'rms'];
const SNRS = [30, 20, 10, 5, 0];
const CONDITIONS = [
  CLEAN_VARIANT,
  ...SNRS.map((snr) => ({ name: `white ${snr} dB`, noise: { type: 'white', snr_db: snr } })),
  ...SNRS.map((snr) => ({ name: `babble ${snr} dB`, noise: { type: 'babble', snr_db: snr } })),
  { name: 'telephone', channel: 'telephone' },
];

const loaded = await loadSuite(['scenarios/*.yaml'], { cwd: root });
const suite = { ...loaded, scenarios: loaded.scenarios.filter((scenario) => scenario.turns === undefined) };
const prompts = suite.scenarios.reduce((count, scenario) => count + scenario.prompts.length, 0);
const tools = JSON.parse(readFileSync(join(root, 'tools/restaurant.json'), 'utf8'));
// runSuite closes the agent it is given when it ends: a fresh pool of two processes per condition.
const sampleAgent = () =>
  new CommandAgent({
    command: ['node', 'examples/sample-agent/agent.js'],
    cwd: root,
    mode: 'serve',
    processes: 2,
    tools,
  });
const babble = await babbleBed();
const speech = VOICES.map((voice) => new CachedSynthesizer(new FliteSynthesizer({ voice }), { dir: false }));

/** A seed per text, so that each prompt hears its own stretch of noise. */
const seedOf = (text) =>
  [...text].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 16777619), 2166136261) >>> 0;

/** The config's voices, each heard under `variant`. */
function voicesUnder(variant) {
  return speech.map((synthesizer) => ({
    voice: synthesizer.voice,
    synthesizer: {
      id: `${synthesizer.id}|${variant.name}`,
      voice: synthesizer.voice,
      synthesize: async (text, signal) =>
        applyVariant(await synthesizer.synthesize(text, signal), variant, seedOf(text), { babble }),
    },
  }));
}

const rows = [];
for (const variant of CONDITIONS) {
  const started = performance.now();
  const result = await runSuite(suite, {
    voices: voicesUnder(variant),
    agent: sampleAgent(),
    cacheDir: false,
    overrides: { runs: 1, concurrency: 2 },
    onWarning: () => {},
  });
  const { total, passed, errored, passRate, interval } = result.summary;
  const byVoice = Object.fromEntries(VOICES.map((voice) => [voice, { passed: 0, total: 0 }]));
  for (const scenario of result.scenarios) {
    for (const run of scenario.runs) {
      byVoice[run.voice].total++;
      if (run.status === 'passed') byVoice[run.voice].passed++;
    }
  }
  rows.push({
    condition: variant.name,
    'pass rate': `${(100 * passRate).toFixed(0)}%`,
    '95% CI': interval ? `${(100 * interval.low).toFixed(0)}–${(100 * interval.high).toFixed(0)}%` : '–',
    passed: `${passed}/${total}`,
    errored,
    ...Object.fromEntries(VOICES.map((voice) => [voice, `${byVoice[voice].passed}/${byVoice[voice].total}`])),
    's wall': ((performance.now() - started) / 1000).toFixed(1),
  });
}
console.log(
  `sample agent, ${suite.scenarios.length} single-turn scenarios, ${prompts} prompts × ${VOICES.length} Flite voices, 1 run each per condition:`,
);
console.table(rows);
