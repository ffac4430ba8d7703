// How the sample agent's grammar writes what a prompt says, and how far a transcript is from it: shared
// by the sample agent's tests (test/examples/) and the quick start's (test/e2e/quick-start.test.ts).

const NUMBERS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

/** The words a prompt is spoken as, the way the grammar writes them: `7pm` → `seven pm`. */
export function spokenWords(prompt: string): string[] {
  return prompt
    .toLowerCase()
    .replace(/(\d+)(am|pm)\b/g, '$1 $2')
    .replace(/\d+/g, (digits) => NUMBERS[Number(digits)] ?? digits)
    .replace(/[^a-z' ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** Word-level edit distance between what was said and what was heard. */
export function wordErrors(said: string[], heard: string[]): number {
  let previous = Array.from({ length: heard.length + 1 }, (_, j) => j);
  for (let i = 1; i <= said.length; i++) {
    const row = [i];
    for (let j = 1; j <= heard.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (said[i - 1] === heard[j - 1] ? 0 : 1);
      row.push(Math.min(substitution, (previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1));
    }
    previous = row;
  }
  return previous[heard.length] ?? 0;
}
