import type { AgentResponse } from '../core/types.js';

/**
 * The answers of the requests of one turn (the first, then one per round of tool results) as one
 * response: every call in order, the texts joined, the first transcript (only the first request
 * carries audio), the usage summed with `turns` counting the requests when there were several.
 */
export function mergeAnswers(answers: readonly AgentResponse[]): AgentResponse {
  const merged: AgentResponse = { toolCalls: answers.flatMap((answer) => answer.toolCalls) };
  const transcript = answers.find((answer) => answer.transcript !== undefined)?.transcript;
  if (transcript !== undefined) merged.transcript = transcript;
  const texts = answers.flatMap((answer) => (answer.text === undefined ? [] : [answer.text]));
  if (texts.length > 0) merged.text = texts.join('\n');
  for (const { usage } of answers) {
    if (!usage) continue;
    merged.usage ??= {};
    for (const [key, value] of Object.entries(usage)) merged.usage[key] = (merged.usage[key] ?? 0) + value;
  }
  if (merged.usage && answers.length > 1) merged.usage.turns = answers.length;
  return merged;
}
