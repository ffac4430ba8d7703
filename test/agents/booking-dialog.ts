// The booking dialog every agent's conversation tests play: three caller turns spoken by Flite, and
// the mocked result of book_table that the agent reads back.
import type { Audio, ToolResponder } from '../../src/core/types.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';

/** What the caller says, one turn each. */
export const SAYS = ["I'd like to book a table", 'Two people please', 'At seven tonight'];

/** The mocked result of book_table. */
export const BOOKED = { confirmed: true, reference: 'R-17' };

/** Answers book_table with BOOKED; any other call has no mocked result. */
export const respond: ToolResponder = (call) =>
  call.name === 'book_table' ? { result: BOOKED } : { missing: `no result is mocked for ${call.name}` };

/** The caller's turns spoken in a Flite voice. */
export function speakTurns(voice: string): Promise<Audio[]> {
  const synthesizer = new FliteSynthesizer({ voice });
  return Promise.all(SAYS.map((text) => synthesizer.synthesize(text)));
}
