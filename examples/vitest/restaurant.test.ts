// russo inside a Vitest suite: each test says what a caller says and which tool call must follow,
// runs it several times in several voices against the agent of russo.config.yaml, and fails with
// the per-call diff when the agent gets it wrong too often.
//
// In your own project: `import { expectToolCalls } from 'russo/vitest'`, and leave out `cwd` (the
// config is then read from the working directory).
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { expectToolCalls } from '../../src/vitest.js';

const cwd = fileURLToPath(new URL('.', import.meta.url));

describe('the sample restaurant agent', () => {
  test('books a table for two at seven', async () => {
    await expectToolCalls({
      cwd,
      prompts: ['Book a table for two at seven tonight', 'Can I get a reservation for 2 people at 7pm?'],
      expect: [{ name: 'book_table', arguments: { party_size: 2, time: { regex: '^19:00$' } } }],
      forbid: ['cancel_reservation'],
      runs: 3,
      minPassRate: 0.8,
    });
  });

  test('asks for the time instead of guessing one', async () => {
    await expectToolCalls({ cwd, prompt: "I'd like to book a table for two.", expect: [] });
  });

  test('cancels without booking', async () => {
    await expectToolCalls({
      cwd,
      prompt: 'Please cancel my reservation for tomorrow.',
      expect: [{ name: 'cancel_reservation', arguments: { day: 'tomorrow' } }],
      forbid: ['book_table'],
    });
  });

  test('a wrong expectation fails the test with what the agent heard and did', async () => {
    const failure = expectToolCalls({
      cwd,
      name: 'party of four',
      prompt: 'Book a table for two at seven tonight',
      expect: [{ name: 'book_table', arguments: { party_size: 4 } }],
      runs: 1,
    });
    await expect(failure).rejects.toThrow(/^party of four: 0% passed \(0\/2\), needs 80%/);
    await expect(failure).rejects.toThrow(/heard: "book a table for two at seven tonight"/);
    await expect(failure).rejects.toThrow(/book_table: party_size expected 4, got 2/);
  });
});
