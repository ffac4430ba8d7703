// The sample agent's side of a conversation: a slot-filling dialog. It remembers the booking the
// caller is making over several turns, asks for what is still missing (party size, then time),
// takes corrections ("actually, make it three"), books once it knows enough, and reads the result
// of the booking back: the reference, or why it failed.
import { asksForBooking, decide, findDay, findPartySize, findTime } from './intents.js';

/** One conversation: what the agent knows so far. */
export class Dialog {
  /** @param {string} id the conversation's id, as russo sends it with each turn */
  constructor(id) {
    this.id = id;
    /** The booking being made: `{partySize?, time?, day?}`, or undefined when none is. */
    this.booking = undefined;
  }

  /**
   * Hears one caller turn. Returns `{text}` to say, or `{call, text}`: a tool call to make first,
   * whose outcome `afterResult` turns into the reply (`text` is the reply when the tool is not
   * offered). Cancelling and opening hours work as in a one-turn request.
   */
  hear(transcript) {
    const words = transcript.split(/\s+/).filter(Boolean);
    const oneTurn = decide(transcript);
    const [call] = oneTurn.toolCalls;
    if (call && call.name !== 'book_table') return { call, text: oneTurn.text };
    const heard = { partySize: findPartySize(words), time: findTime(words), day: findDay(words) };
    const answersSomething = heard.partySize !== undefined || heard.time !== undefined;
    // "A table ..." starts a new booking; "two people", "at seven", "actually, make it three" fill
    // in or correct the one being made (or start one); anything else is not about the booking.
    if (asksForBooking(words)) this.booking = {};
    else if (answersSomething) this.booking ??= {};
    else return { text: oneTurn.text };

    const corrected = [];
    for (const [slot, value] of Object.entries(heard)) {
      if (value === undefined) continue;
      if (this.booking[slot] !== undefined && this.booking[slot] !== value)
        corrected.push(describe(slot, value));
      this.booking[slot] = value;
    }
    const ok = corrected.length > 0 ? `OK, ${corrected.join(' and ')}. ` : '';
    const { partySize, time, day } = this.booking;
    if (partySize === undefined) return { text: `${ok}For how many people?` };
    if (time === undefined) return { text: `${ok}At what time?` };
    return {
      call: { name: 'book_table', arguments: { party_size: partySize, time, ...(day ? { day } : {}) } },
      text: `${ok}A table for ${partySize} at ${time}.`,
    };
  }

  /**
   * The reply once russo has answered the call of `step` with `outcome` (`{result}` or `{error}`):
   * a booking reads its reference back, or says why it could not be made and keeps what the
   * caller said, so that a correction can book again.
   */
  afterResult(step, outcome) {
    const failure = failureOf(outcome);
    if (step.call.name !== 'book_table') return failure ? `Sorry, that did not work: ${failure}.` : step.text;
    const booked = `a table for ${step.call.arguments.party_size} at ${step.call.arguments.time}`;
    if (failure)
      return `Sorry, I could not book ${booked}: ${failure}. Would another time or party size suit you?`;
    this.booking = undefined;
    const reference = outcome.result?.reference;
    return reference === undefined ? `Booked: ${booked}.` : `Booked: ${booked}, reference ${reference}.`;
  }
}

function describe(slot, value) {
  return slot === 'partySize' ? `${value} people` : slot === 'time' ? `at ${value}` : value;
}

/**
 * Why a tool call failed, in words, or undefined when it did not: russo's `tool_error`, or a
 * result that is itself an error object (`{"error": "no table free"}`).
 */
function failureOf(outcome) {
  const error = 'error' in outcome ? outcome.error : outcome.result?.error;
  if (error === undefined || error === null) return undefined;
  const text = typeof error === 'string' ? error : (error.message ?? JSON.stringify(error));
  return String(text).replace(/[.!\s]+$/, '');
}
