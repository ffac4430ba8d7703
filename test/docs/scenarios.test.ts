// The scenario examples of docs/scenarios.md are real: each full one (it has a `name`) loads with the
// repository's tools file, and each `tool_results` example loads inside a conversation.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSuite } from '../../src/suite/load.js';
import { project } from '../fixtures/project.js';

const page = readFileSync('docs/scenarios.md', 'utf8');
const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] as string);
const config = [
  'agent: { provider: module, module: agent.mjs, tools: tools.json }',
  'judge: { provider: openai, model: gpt-4o-mini }',
  '',
].join('\n');

describe('docs/scenarios.md', () => {
  const scenarios = blocks.filter((block) => /^name: /m.test(block));
  const toolResults = blocks.filter((block) => /^tool_results:/.test(block));

  it('has the scenario, conversation and tool_results examples', () => {
    expect(scenarios.map((block) => /^turns:/m.test(block))).toEqual([false, true]);
    expect(toolResults).toHaveLength(1);
  });

  it.each(scenarios.map((block, index) => [index, block]))('example %i loads', async (_, block) => {
    const cwd = project({
      'russo.config.yaml': config,
      'tools.json': readFileSync('tools/restaurant.json', 'utf8'),
      'scenarios/example.yaml': block,
    });
    await expect(loadSuite(undefined, { cwd })).resolves.toMatchObject({ scenarios: [{}] });
  });

  it('the tool_results example loads in a conversation', async () => {
    const cwd = project({
      'russo.config.yaml': config,
      'tools.json': readFileSync('tools/restaurant.json', 'utf8'),
      'scenarios/example.yaml': `name: x\nturns: [{ say: hi }]\n${toolResults[0] ?? ''}`,
    });
    const [scenario] = (await loadSuite(undefined, { cwd })).scenarios;
    expect(Object.keys(scenario?.toolResults ?? {})).toEqual(['get_opening_hours', 'book_table']);
  });
});
