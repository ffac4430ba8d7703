/** A replay (`russo grade`) as plain text every renderer shares: what was graded again and what could not be. */
import type { SuiteResult } from '../suite/types.js';
import { plural } from './numbers.js';

// Run ids shown per reason; the JSON report lists them all.
const MAX_IDS = 3;

/**
 * `Re-graded 12 runs of old.json with the current scenario files (no speech, no agent).`, then one
 * line per reason a run could not be: `2 runs not replayable (its prompt changed): book/p1/kal16/default/r0, …`;
 * empty when the result is not a replay.
 */
export function replayLines(result: SuiteResult): string[] {
  const replay = result.replay;
  if (replay === undefined) return [];
  const byReason = new Map<string, string[]>();
  for (const run of replay.notReplayable) {
    byReason.set(run.reason, [...(byReason.get(run.reason) ?? []), run.id]);
  }
  return [
    `Re-graded ${plural(replay.regraded, 'run')} of ${replay.source} with the current scenario files (no speech, no agent).`,
    ...[...byReason].map(([reason, ids]) => {
      const shown = ids.slice(0, MAX_IDS).join(', ');
      return `${plural(ids.length, 'run')} not replayable (${reason}): ${shown}${ids.length > MAX_IDS ? ', …' : ''}`;
    }),
  ];
}
