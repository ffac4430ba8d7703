// JSON reports of many runs for the benches that read reports (compare, grade): each run graded by
// the real evaluator, so the reports carry what real ones carry (calls, evalResult with failures,
// transcripts), and the scenario files the reports were made from. Imports the built library from
// ../lib (bench/run.mjs builds it first).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolCallEvaluator } from '../lib/evaluate/index.js';
import { renderJson } from '../lib/report/json.js';
import { scenarioResult, suiteResult } from '../lib/suite/result.js';

const expected = [{ name: 'book_table', arguments: { party_size: 2, time: { regex: '^19:00' } } }];
const good = [{ name: 'book_table', arguments: { party_size: 2, time: '19:00' } }];
const wrong = [{ name: 'book_table', arguments: { party_size: 3, time: '19:00' } }];
const evaluator = new ToolCallEvaluator({ order: 'any', extraCalls: 'fail', arguments: 'subset' });
const graded = { good: evaluator.evaluate(expected, good), wrong: evaluator.evaluate(expected, wrong) };
const VOICES = ['kal16', 'slt'];

const promptText = (index) => `Book a table for two at seven, take ${index}`;

function scenario(name, prompts, runs) {
  const file = `scenarios/${name}.yaml`;
  return {
    name,
    location: { file, line: 1, column: 1 },
    prompts: Array.from({ length: prompts }, (_, i) => ({
      text: promptText(i),
      location: { file, line: 3 + i, column: 5 },
    })),
    expect: expected.map((call) => ({ ...call, location: { file, line: 9, column: 5 } })),
    forbid: ['cancel_reservation'],
    match: { order: 'any', extraCalls: 'fail', arguments: 'subset', validateArguments: true },
    runs,
    minPassRate: 0.8,
    timeoutMs: 60_000,
    tags: [],
  };
}

/** A scenario's runs, each failing with chance `failRate` (a fixed pseudo-random sequence). */
function result(name, prompts, runs, failRate, seed) {
  const sc = scenario(name, prompts, runs);
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const suiteRuns = [];
  for (let promptIndex = 0; promptIndex < prompts; promptIndex++) {
    for (const voice of VOICES) {
      for (let runIndex = 0; runIndex < runs; runIndex++) {
        const fails = random() < failRate;
        suiteRuns.push({
          prompt: sc.prompts[promptIndex].text,
          promptIndex,
          runIndex,
          voice,
          variant: 'default',
          status: fails ? 'failed' : 'passed',
          evalResult: fails ? graded.wrong : graded.good,
          response: {
            toolCalls: fails ? wrong : good,
            transcript: sc.prompts[promptIndex].text.toLowerCase(),
            latencyMs: 700,
          },
          latencyMs: 900 + (runIndex % 7) * 13,
        });
      }
    }
  }
  return scenarioResult(sc, suiteRuns);
}

/** The shapes of 10,000 runs: name → the scenarios' names, prompts and runs per prompt and voice. */
export const SHAPES = {
  '50 scenarios × 200 runs': {
    names: Array.from({ length: 50 }, (_, i) => `scenario ${i}`),
    prompts: 4,
    runs: 25,
  },
  '1 scenario × 10,000 runs': { names: ['book a table'], prompts: 4, runs: 1250 },
};

/** The JSON report of one shape, each run failing with chance `failRate`. */
export function report(shape, failRate, seed) {
  const { names, prompts, runs } = SHAPES[shape];
  return renderJson(
    suiteResult({
      scenarios: names.map((name, i) => result(name, prompts, runs, failRate, seed + i)),
      minPassRate: null,
      maxErrors: 0,
      cancelled: false,
      agent: 'bench',
      voices: VOICES,
      startedAt: '2026-11-30T00:00:00.000Z',
      durationMs: 1,
    }),
  );
}

/**
 * A project in `dir` with the scenario files and config a report of `shape` was made from, its
 * expectation now `party_size: 2` and `time` exactly '19:00' (a changed matcher, as in a tuning).
 * The config's agent is a module that is never started by `russo grade`.
 */
export function project(dir, shape) {
  const { names, prompts, runs } = SHAPES[shape];
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  writeFileSync(
    join(dir, 'russo.config.yaml'),
    `agent: { provider: module, module: agent.mjs }\nsynthesizer: { provider: flite, voices: [${VOICES.join(', ')}] }\n`,
  );
  writeFileSync(join(dir, 'agent.mjs'), "throw new Error('russo grade started the agent');\n");
  for (const name of names) {
    const lines = [
      `name: ${name}`,
      'prompts:',
      ...Array.from({ length: prompts }, (_, i) => `  - ${promptText(i)}`),
      `runs: ${runs}`,
      'min_pass_rate: 0.8',
      'expect:',
      '  - name: book_table',
      "    arguments: { party_size: 2, time: '19:00' }",
      'forbid: [cancel_reservation]',
      'match: { order: any, extra_calls: fail, arguments: subset }',
    ];
    writeFileSync(join(dir, 'scenarios', `${name.replaceAll(' ', '-')}.yaml`), `${lines.join('\n')}\n`);
  }
}
