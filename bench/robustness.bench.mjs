// The robustness curve of the offline sample agent (examples/sample-agent: pocketsphinx with a
// grammar, driven as a command agent in serve mode): the pass rate of the repository's single-turn
// scenarios (scenarios/*.yaml) under white and babble noise from 30 to 0 dB SNR, and over a
// telephone line, against clean speech. One runSuite with every condition as a variant of every
// scenario, as a `variants:` list in the config gives them: prompts × the config's Flite voices
// (kal16, slt, rms) × 12 variants, one run each (the sample agent and the perturbations are
// deterministic, so more runs would repeat the same answers). Speech is synthesized once per prompt
// and voice and perturbed once per variant, with no cache on disk. About 1.5 minutes on 2 cores.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandAgent, loadSuite, runSuite } from '../lib/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SNRS = [30, 20, 10, 5, 0];
const VARIANTS = [
  { variant: { name: 'clean' } },
  ...['white', 'babble'].flatMap((type) =>
    SNRS.map((snr) => ({ variant: { name: `${type} ${snr} dB`, noise: { type, snr_db: snr } } })),
  ),
  { variant: { name: 'telephone', channel: 'telephone' } },
];

const loaded = await loadSuite(['scenarios/*.yaml'], { cwd: root });
// Single-turn scenarios without variants of their own (not the robustness example), each under every
// condition, judged at 0: the curve is measured, not gated.
const scenarios = loaded.scenarios
  .filter((scenario) => scenario.turns === undefined && scenario.variants === undefined)
  .map((scenario) => ({ ...scenario, variants: VARIANTS.map((entry) => ({ ...entry, minPassRate: 0 })) }));
const suite = { ...loaded, scenarios };
const voices = loaded.config.synthesizer.voices;
const prompts = scenarios.reduce((count, scenario) => count + scenario.prompts.length, 0);
const tools = JSON.parse(readFileSync(join(root, 'tools/restaurant.json'), 'utf8'));
const agent = new CommandAgent({
  command: ['node', 'examples/sample-agent/agent.js'],
  cwd: root,
  mode: 'serve',
  processes: 2,
  tools,
});

const started = performance.now();
const result = await runSuite(suite, {
  agent,
  cacheDir: false,
  overrides: { runs: 1, maxConcurrency: 2 },
  onWarning: () => {},
});
const seconds = (performance.now() - started) / 1000;

const percent = (rate) => (rate === null ? '–' : `${(100 * rate).toFixed(0)}%`);
const rows = result.breakdown.variants.map(({ name, summary, interval }) => {
  const runs = result.scenarios.flatMap((scenario) => scenario.runs.filter((run) => run.variant === name));
  const byVoice = Object.fromEntries(
    voices.map((voice) => {
      const voiced = runs.filter((run) => run.voice === voice);
      return [voice, `${voiced.filter((run) => run.status === 'passed').length}/${voiced.length}`];
    }),
  );
  return {
    condition: name,
    'pass rate': percent(summary.passRate),
    '95% CI': interval ? `${percent(interval.low)}–${percent(interval.high)}` : '–',
    passed: `${summary.passed}/${summary.total}`,
    errored: summary.errored,
    ...byVoice,
  };
});
console.log(
  `sample agent, ${scenarios.length} single-turn scenarios, ${prompts} prompts × ${voices.length} Flite voices × ${VARIANTS.length} variants, 1 run each, ${seconds.toFixed(0)} s:`,
);
console.table(rows);
const perturbed = result.providers?.perturbed;
console.log(
  `speech: ${result.providers?.synthesis.requests} synthesized; variants: ${perturbed?.made} perturbed, ${perturbed?.cacheHits} from cache`,
);
