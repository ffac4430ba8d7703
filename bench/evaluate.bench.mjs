// The evaluator's cost per run, against the cost of a run itself: grading must stay a rounding error
// next to even the fastest agent (the offline sample agent takes ~10 ms per clip). Also shows what
// reusing one ToolCallEvaluator (specs compiled once) saves over calling evaluate() every time.
import { evaluate, ToolCallEvaluator } from '../lib/evaluate/index.js';
import { timeMicros } from './time.mjs';

const FASTEST_AGENT_RUN_MS = 10;

const typical = {
  expected: [
    { name: 'check_availability', arguments: { date: { regex: '^2026-' }, party_size: { one_of: [2, 3] } } },
    {
      name: 'book_table',
      arguments: { party_size: 2, time: { regex: '^19:00' }, guest: { name: { ignore_case: 'ann' } } },
    },
    { name: 'send_confirmation', arguments: { channel: { type: 'string' } } },
  ],
  actual: [
    { name: 'greet', arguments: {} },
    { name: 'check_availability', arguments: { date: '2026-11-03', party_size: 2 } },
    { name: 'book_table', arguments: { party_size: 2, time: '19:00', guest: { name: 'Ann', phone: '555' } } },
    { name: 'send_confirmation', arguments: { channel: 'sms' } },
  ],
};

// The worst shape for the pairing: many calls of one tool, all candidates of each other.
const crowded = {
  expected: Array.from({ length: 20 }, (_, i) => ({
    name: 'add_item',
    arguments: { item: `dish ${i}`, qty: i % 3 },
  })),
  actual: Array.from({ length: 30 }, (_, i) => ({
    name: 'add_item',
    arguments: { item: `dish ${(i * 7) % 30}`, qty: i % 3 },
  })),
};

const rows = [];
for (const [label, { expected, actual }] of Object.entries({ typical, crowded })) {
  for (const order of ['any', 'in-order']) {
    const evaluator = new ToolCallEvaluator({ order, extraCalls: 'allow' });
    const iterations = label === 'typical' ? 50_000 : 500;
    const reused = timeMicros(() => evaluator.evaluate(expected, actual), iterations);
    const fresh = timeMicros(() => evaluate(expected, actual, { order, extraCalls: 'allow' }), iterations);
    rows.push({
      case: `${label} (${expected.length} expected × ${actual.length} calls)`,
      order,
      'µs per run (reused evaluator)': reused.toFixed(1),
      'share of a 10 ms agent run': `${((reused / 1000 / FASTEST_AGENT_RUN_MS) * 100).toFixed(3)}%`,
      'evaluate() each time ÷ reused': (fresh / reused).toFixed(2),
    });
  }
}
console.table(rows);
