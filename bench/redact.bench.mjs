// The cost of redaction per run: every agent answer is redacted before it is graded, and every
// error message before it is stored. It must stay a rounding error next to even the fastest agent
// run (~10 ms), also with many secrets known (a CI job's environment holds a dozen).
import { createRedactor, redactDeep } from '../lib/core/redact.js';
import { timeMicros } from './time.mjs';

const FASTEST_AGENT_RUN_MS = 10;

const secretsOf = (count) =>
  Array.from({ length: count }, (_, i) => `sk-proj-${i}${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(2)}`);

// A typical answer: three calls with a few arguments, a transcript and a reply.
const answer = {
  toolCalls: [
    { name: 'check_availability', arguments: { date: '2026-11-03', party_size: 2 } },
    {
      name: 'book_table',
      arguments: {
        party_size: 2,
        time: '19:00',
        guest: { name: 'Ann', phone: '555-0100' },
        notes: ['window'],
      },
    },
    { name: 'send_confirmation', arguments: { channel: 'sms' } },
  ],
  transcript: 'Book a table for two at seven tonight, under the name Ann, by the window please.',
  text: 'Your table for two is booked for 19:00 tonight. I sent a confirmation by SMS.',
  usage: { input_tokens: 812, output_tokens: 64 },
};
// A failed run's message: the 2 KB stderr tail of a command agent, no secret in it.
const stderrTail = `agent: the agent command exited with code 1; stderr:\n${'Traceback line: File "agent.py", line 12, in run\n'.repeat(40)}`;
// The same tail with one key echoed in it.
const leakingTail = `${stderrTail}OPENAI_API_KEY=${secretsOf(1)[0]}\n`;

const rows = [];
for (const count of [1, 12, 50]) {
  const secrets = secretsOf(count);
  const build = timeMicros(() => createRedactor(secrets), 200);
  const redact = createRedactor(secrets);
  const clean = timeMicros(() => redactDeep(answer, redact), 20_000);
  const tail = timeMicros(() => redact(stderrTail), 5_000);
  const leak = timeMicros(() => redact(leakingTail), 5_000);
  rows.push({
    secrets: count,
    'build once (µs)': build.toFixed(0),
    'answer, nothing to redact (µs)': clean.toFixed(1),
    '2 KB error, nothing to redact (µs)': tail.toFixed(1),
    '2 KB error with a key (µs)': leak.toFixed(1),
    'worst share of a 10 ms run': `${((Math.max(clean, tail, leak) / 1000 / FASTEST_AGENT_RUN_MS) * 100).toFixed(3)}%`,
  });
}
console.table(rows);
