import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandAgent } from '../../src/agents/command.js';
import type { Audio, ToolDefinition, ToolResponder } from '../../src/core/types.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';

// The example agents of docs/command-agent.md, run as they are written there: each code block is
// saved to a file and tested as a command agent, in spawn and serve mode.
const DOC = readFileSync('docs/command-agent.md', 'utf8');
const TOOLS: ToolDefinition[] = JSON.parse(readFileSync('tools/restaurant.json', 'utf8')) as ToolDefinition[];
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** The code block of the docs whose first line names `file` (`# agent.py`, `// agent.mjs`). */
function example(file: string): string {
  const block = [...DOC.matchAll(/```(?:python|js)\n((?:#|\/\/) (\S+?):?\s[^]*?)```/g)].find(
    (match) => match[2] === file,
  );
  if (!block?.[1]) throw new Error(`docs/command-agent.md has no example that starts with ${file}`);
  return block[1];
}

let dir: string;
let audio: Audio;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'russo-docs-agents-'));
  for (const file of ['agent.py', 'agent.mjs', 'dialog_agent.py', 'dialog-agent.mjs']) {
    writeFileSync(join(dir, file), example(file));
  }
  audio = await new FliteSynthesizer().synthesize('Two people at seven');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function command(file: string): string[] {
  return file.endsWith('.py') ? ['python3', join(dir, file)] : [process.execPath, join(dir, file)];
}

const BOOKING = { name: 'book_table', arguments: { party_size: 2, time: '19:00' } };

describe.each([
  ['agent.mjs', true],
  ['agent.py', hasPython],
])('the one-turn example %s', (file, runnable) => {
  it.runIf(runnable).each(['spawn', 'serve'] as const)('answers with its calls in %s mode', async (mode) => {
    const agent = new CommandAgent({ command: command(file), mode, tools: TOOLS });
    const responses = [await agent.run(audio), await agent.run(audio)];
    await agent.close();
    for (const response of responses) expect(response.toolCalls).toEqual([BOOKING]);
  });
});

describe.each([
  ['dialog-agent.mjs', true],
  ['dialog_agent.py', hasPython],
])('the conversation example %s', (file, runnable) => {
  const booked: ToolResponder = () => ({ result: { confirmed: true, reference: 'R-17' } });
  const full: ToolResponder = () => ({ error: 'no table free' });

  it.runIf(runnable).each(['spawn', 'serve'] as const)(
    'asks, books with the mocked result, and says when booking failed, in %s mode',
    async (mode) => {
      const agent = new CommandAgent({ command: command(file), mode, processes: 1, tools: TOOLS });
      for (let conversation = 0; conversation < 2; conversation++) {
        // The second conversation starts afresh, on the same serve-mode process.
        const session = await agent.converse();
        const asks = await session.turn(audio, { respond: booked });
        const books = await session.turn(audio, { respond: booked });
        const fails = await session.turn(audio, { respond: full });
        await session.close();
        expect(asks).toEqual({
          toolCalls: [],
          transcript: 'two people at seven',
          text: 'For how many people?',
        });
        expect(books).toEqual({
          toolCalls: [BOOKING],
          toolResults: [{ call: BOOKING, outcome: { result: { confirmed: true, reference: 'R-17' } } }],
          transcript: 'two people at seven',
          text: 'Booked, reference R-17.',
        });
        expect(fails.toolResults).toEqual([{ call: BOOKING, outcome: { error: 'no table free' } }]);
        expect(fails.text).toBe('Sorry, I could not book: no table free');
      }
      // A run alone is a conversation of one turn.
      expect((await agent.run(audio)).text).toBe('For how many people?');
      await agent.close();
    },
  );
});
