import { createHash } from 'node:crypto';
import { DEFAULT_MATCH_OPTIONS } from '../evaluate/match-options.js';
import type { Scenario, SourceLocation } from '../scenarios/types.js';

/** What a scenario asks of the agent: the fields whose change makes old pass rates incomparable. */
export type Expectation = Pick<
  Scenario,
  'expect' | 'forbid' | 'match' | 'turns' | 'toolResults' | 'variants'
>;

/**
 * The expectation hash of a scenario (DESIGN.md, "Expectation hash"): the sha256, in hex, of its
 * expect, forbid, match, turns, tool results and the conditions of its variants as canonical JSON
 * (object keys sorted), without the places they are written in. Moving a scenario in its file or
 * rewording a prompt keeps the hash; a changed expected argument, matcher, forbidden tool, match
 * option, turn, mocked result or audio condition changes it, and a baseline then no longer compares
 * the scenario's pass rate (its runs were heard otherwise). A scenario without variants hashes as it
 * did before variants existed; a variant's name and threshold are not part of it.
 */
export function expectationHash(scenario: Expectation): string {
  const expectation = {
    expect: scenario.expect.map(withoutLocation),
    forbid: scenario.forbid,
    // Defaults filled in: a report written before a match option existed hashes like one with its default.
    match: { ...DEFAULT_MATCH_OPTIONS, ...scenario.match },
    turns: scenario.turns?.map((turn) => ({
      say: turn.say,
      expect: turn.expect?.map(withoutLocation),
      forbid: turn.forbid,
      reply: turn.reply && withoutLocation(turn.reply),
    })),
    toolResults: scenario.toolResults,
    variants: scenario.variants?.map(({ variant: { name: _name, ...conditions } }) => conditions),
  };
  return createHash('sha256').update(canonicalJson(expectation)).digest('hex');
}

/** A part of a scenario without its `location`, which says where it is written, not what it asks. */
function withoutLocation<T extends { location: SourceLocation }>({
  location: _,
  ...rest
}: T): Omit<T, 'location'> {
  return rest;
}

/**
 * JSON with the keys of every object sorted and undefined members left out (as JSON.stringify
 * leaves them out), so equal values always give equal text.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
