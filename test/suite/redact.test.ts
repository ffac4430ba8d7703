import { describe, expect, it } from 'vitest';
import { FunctionAgent } from '../../src/agents/function.js';
import { ScenarioError } from '../../src/scenarios/errors.js';
import { loadSuite } from '../../src/suite/load.js';
import { runSuite } from '../../src/suite/run.js';
import { CachedSynthesizer } from '../../src/synthesize/cached.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import { project } from '../fixtures/project.js';

const voices = [
  {
    voice: 'kal16',
    synthesizer: new CachedSynthesizer(new FliteSynthesizer({ voice: 'kal16' }), { dir: false }),
  },
];
const SCENARIO = {
  'scenarios/book.yaml': 'name: book\nprompts: [Book a table]\nruns: 2\nexpect: [{name: book_table}]\n',
};
// The config expands AGENT_URL, whose name does not look secret.
const CONFIG = "agent:\n  provider: http\n  url: '${AGENT_URL}'\n";
const ENV = {
  AGENT_URL: 'https://hooks.example/agent-7f3a9c21',
  DEPLOY_TOKEN: 'tok-0b1c2d3e4f',
  HOME: '/home/an-ordinary-user',
  PIN_KEY: '1234',
};
const EXTRA = 'ghs_extrasecretgiven';

describe('runSuite redacts what comes from outside', () => {
  it('the config’s variables, secret-looking ones and the caller’s, in answers and in errors', async () => {
    const suite = await loadSuite(undefined, { cwd: project({ ...SCENARIO, 'russo.config.yaml': CONFIG }) });
    let calls = 0;
    const agent = new FunctionAgent(() => {
      if (calls++ === 1) throw new Error(`could not call ${ENV.AGENT_URL} with ${ENV.DEPLOY_TOKEN}`);
      return {
        toolCalls: [
          { name: 'book_table', arguments: { [EXTRA]: ENV.DEPLOY_TOKEN, home: ENV.HOME, pin: '1234' } },
        ],
        transcript: `posted to ${ENV.AGENT_URL}`,
        text: `token ${Buffer.from(`Bearer ${ENV.DEPLOY_TOKEN}`).toString('base64')}`,
      };
    });
    const result = await runSuite(suite, { agent, voices, env: ENV, secrets: [EXTRA] });
    const [answered, failed] = result.scenarios[0]!.runs;
    expect(answered?.status).toBe('passed');
    expect(answered?.response).toEqual({
      // Ordinary values, and values under 8 characters, stay.
      toolCalls: [
        { name: 'book_table', arguments: { '[redacted]': '[redacted]', home: ENV.HOME, pin: '1234' } },
      ],
      transcript: 'posted to [redacted]',
      text: 'token QmVhcmVyIH[redacted]',
    });
    expect(failed?.error).toBe('agent: could not call [redacted] with [redacted]');
    expect(result.errors).toEqual([
      { message: 'agent: could not call [redacted] with [redacted]', count: 1 },
    ]);
  });

  it('in the error of a provider that cannot be built', async () => {
    const suite = await loadSuite(undefined, { cwd: project({ ...SCENARIO, 'russo.config.yaml': CONFIG }) });
    const error = await runSuite(suite, {
      voices,
      env: { AGENT_URL: 'hooks.example/no-scheme-7f3a9c21' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScenarioError);
    const [problem] = (error as ScenarioError).problems;
    expect(problem).toMatchObject({ file: expect.stringMatching(/russo\.config\.yaml$/), line: 2 });
    expect(problem?.message).toBe('cannot set up the agent: "[redacted]" is not a URL');
  });
});
