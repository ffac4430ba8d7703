// A config is checked against a schema that holds the options of only the providers it names
// (compiling every provider's options was a large part of russo's start): it must find exactly the
// problems the whole schema finds.
import { describe, expect, it } from 'vitest';
import { buildConfigSchema } from '../../src/scenarios/schema.js';
import { compileSchema } from '../../src/scenarios/validate.js';
import { parseYamlBytes } from '../../src/scenarios/yaml.js';
import { providerCatalog } from '../../src/suite/load.js';

const whole = compileSchema(buildConfigSchema(providerCatalog));

/** The problems of a config, by the whole schema and by the one made for the providers it names. */
function problems(yaml: string) {
  const [document] = parseYamlBytes('russo.config.yaml', new TextEncoder().encode(yaml)).documents;
  if (document === undefined) throw new Error('no document');
  const value = document.value as {
    agent?: { provider?: unknown };
    synthesizer?: { provider?: unknown };
    judge?: { provider?: unknown };
  };
  const id = (provider: unknown) => (typeof provider === 'string' ? provider : undefined);
  const configured = {
    agent: id(value.agent?.provider),
    synthesizer: id(value.synthesizer?.provider),
    judge: id(value.judge?.provider),
  };
  const narrow = compileSchema(buildConfigSchema(providerCatalog, configured));
  return { whole: whole(document), narrow: narrow(document) };
}

describe('the config schema for the providers a config names', () => {
  it.each([
    [
      'a valid config',
      'agent: { provider: command, command: [node, agent.js] }\nsynthesizer: { provider: flite, voices: [slt] }\n',
    ],
    ['an unknown option of the agent', 'agent: { provider: command, comand: [node, agent.js] }\n'],
    ['a missing required option', 'agent: { provider: http }\n'],
    ['an option of another provider', 'agent: { provider: command, command: [node], url: "http://x" }\n'],
    ['a wrong type in the synthesizer', 'synthesizer: { provider: openai, voices: alloy, speed: fast }\n'],
    ['an unknown option of the judge', 'judge: { provider: openai, modle: gpt-4.1-mini }\n'],
    ['an unknown provider', 'agent: { provider: comand, command: [node] }\n'],
    ['a provider that is not a string', 'agent: { provider: [command], command: [node] }\n'],
    ['an agent that is not a mapping', 'agent: command\nmax_concurrency: 0\n'],
    ['no provider at all', 'agent: { command: [node] }\ndefaults: { runs: 0 }\n'],
  ])('%s: the same problems', (_, yaml) => {
    const found = problems(yaml);
    expect(found.narrow).toEqual(found.whole);
  });

  it('finds problems in the configs above that have them (the comparison is not of empty lists)', () => {
    expect(problems('agent: { provider: command, comand: [node, agent.js] }\n').narrow).toEqual([
      expect.objectContaining({ line: 1, message: 'missing required key "command" in "agent"' }),
      expect.objectContaining({
        line: 1,
        message: 'unknown key "comand" in "agent"',
        hint: 'did you mean "command"?',
      }),
    ]);
    expect(problems('agent: { provider: http }\n').narrow).not.toEqual([]);
  });

  it('leaves the options of the providers not named out of the schema', () => {
    const narrow = JSON.stringify(
      buildConfigSchema(providerCatalog, { agent: 'command', synthesizer: 'flite', judge: undefined }),
    );
    expect(narrow.length).toBeLessThan(JSON.stringify(buildConfigSchema(providerCatalog)).length / 3);
    expect(narrow).not.toContain('"base_url"');
  });
});
