// runSuite validates the agent's calls against the tools file: a call whose arguments break the
// tool's JSON Schema fails its run as invalid_arguments, unless match.validate_arguments is false.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FunctionAgent } from '../../src/agents/function.js';
import type { CallFailure } from '../../src/core/types.js';
import { loadSuite } from '../../src/suite/load.js';
import { runSuite } from '../../src/suite/run.js';
import { CachedSynthesizer } from '../../src/synthesize/cached.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import { project } from '../fixtures/project.js';

const TOOLS = readFileSync('tools/restaurant.json', 'utf8');
const CONFIG = 'agent:\n  provider: module\n  module: a.js\n  tools: tools.json\n';
const voices = [
  { voice: 'kal16', synthesizer: new CachedSynthesizer(new FliteSynthesizer(), { dir: false }) },
];
// Hears real speech, and books "two" as a word: the schema says party_size is an integer.
const agent = () =>
  new FunctionAgent(() => [{ name: 'book_table', arguments: { party_size: 'two', time: '19:00' } }]);

const scenario = (match = '') =>
  `name: book\nprompts: [Book a table for two at seven]\nruns: 2\nexpect:\n  - name: book_table\n    arguments: { time: "19:00" }\n${match}`;

async function failuresOf(files: Record<string, string>): Promise<CallFailure[][]> {
  const suite = await loadSuite(undefined, { cwd: project(files) });
  const result = await runSuite(suite, { agent: agent(), voices });
  return result.scenarios[0]!.runs.map((run) => run.evalResult?.failures ?? []);
}

describe('runSuite with a tools file', () => {
  it('fails a call that breaks its schema with invalid_arguments, listing the schema error', async () => {
    const runs = await failuresOf({
      'russo.config.yaml': CONFIG,
      'tools.json': TOOLS,
      'scenarios/book.yaml': scenario(),
    });
    expect(runs).toHaveLength(2);
    for (const failures of runs) {
      expect(failures).toEqual([
        expect.objectContaining({
          kind: 'invalid_arguments',
          index: 0,
          schemaErrors: [{ path: 'party_size', message: 'must be integer, got "two"' }],
          message: 'invalid arguments for book_table: party_size must be integer, got "two"',
        }),
      ]);
    }
  });

  it('lets the same calls pass with validate_arguments: false, in the scenario or the config defaults', async () => {
    const inScenario = await failuresOf({
      'russo.config.yaml': CONFIG,
      'tools.json': TOOLS,
      'scenarios/book.yaml': scenario('match: { validate_arguments: false }\n'),
    });
    expect(inScenario).toEqual([[], []]);
    const inDefaults = await failuresOf({
      'russo.config.yaml': `${CONFIG}defaults:\n  match: { validate_arguments: false }\n`,
      'tools.json': TOOLS,
      'scenarios/book.yaml': scenario(),
    });
    expect(inDefaults).toEqual([[], []]);
  });

  it('without a tools file, grades exactly as before', async () => {
    const runs = await failuresOf({
      'russo.config.yaml': 'agent:\n  provider: module\n  module: a.js\n',
      'scenarios/book.yaml': scenario(),
    });
    expect(runs).toEqual([[], []]);
  });
});
