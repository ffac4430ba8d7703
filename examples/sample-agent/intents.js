// Rules from what the agent heard to what it does: the "brain" of the sample agent. The words
// are those of the grammar (grammar.js), so a few token patterns cover every phrase it accepts.
import { UNINTELLIGIBLE } from './grammar.js';

const NUMBERS = [
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
const MINUTES = { fifteen: 15, thirty: 30, forty: 45 };
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * Decides what to do with a transcript: `{toolCalls, text}`. Bookings need a party size and a
 * time (the agent asks for what is missing instead of guessing); small talk and anything out of
 * grammar make no call.
 */
export function decide(transcript) {
  const words = transcript.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.includes(UNINTELLIGIBLE)) {
    return {
      toolCalls: [],
      text: "Sorry, I didn't catch that. I can book, cancel, or tell you our opening hours.",
    };
  }
  const day = findDay(words);
  if (words.includes('cancel')) {
    return reply(
      { name: 'cancel_reservation', arguments: day ? { day } : {} },
      'Your reservation is cancelled.',
    );
  }
  if (words.includes('open') || words.includes('close') || words.includes('hours')) {
    return reply({ name: 'get_opening_hours', arguments: day ? { day } : {} }, 'Here are our opening hours.');
  }
  if (asksForBooking(words)) {
    const partySize = findPartySize(words);
    const time = findTime(words);
    if (partySize === undefined) return { toolCalls: [], text: 'For how many people?' };
    if (time === undefined) return { toolCalls: [], text: 'At what time?' };
    const args = { party_size: partySize, time, ...(day ? { day } : {}) };
    return reply({ name: 'book_table', arguments: args }, `A table for ${partySize} at ${time}.`);
  }
  return {
    toolCalls: [],
    text: words.includes('thank') || words.includes('thanks') ? "You're welcome!" : 'Hello! How can I help?',
  };
}

/** Whether the caller asks for a booking in so many words ("a table", "a reservation", "a booking"). */
export function asksForBooking(words) {
  return words.includes('table') || words.includes('reservation') || words.includes('booking');
}

function reply(call, text) {
  return { toolCalls: [call], text };
}

function number(word) {
  const index = NUMBERS.indexOf(word);
  return index === -1 ? undefined : index + 1;
}

/**
 * `for two`, `for a party of four`, `two people`, `six guests`, `make it three`; a number after
 * `at` is a time.
 */
export function findPartySize(words) {
  for (let i = 0; i < words.length; i++) {
    const value = number(words[i]);
    if (value === undefined) continue;
    const before = words[i - 1];
    const after = words[i + 1];
    if (before === 'for' || before === 'of' || before === 'it' || after === 'people' || after === 'guests') {
      return value;
    }
  }
  return undefined;
}

/**
 * The clock after `at` as 24-hour `HH:MM`. A restaurant books lunch and dinner, so an hour without
 * `am`/`in the morning` is afternoon or evening: `seven` is 19:00, `twelve` is noon.
 */
export function findTime(words) {
  const at = words.indexOf('at');
  if (at === -1) return undefined;
  let i = at + 1;
  if (words[i] === 'around' || words[i] === 'about') i++;
  if (words[i] === 'noon') return '12:00';
  let minutes = 0;
  let hourOffset = 0;
  if (words[i] === 'half' || words[i] === 'quarter') {
    minutes = words[i] === 'half' ? 30 : words[i + 1] === 'to' ? -15 : 15;
    i += 2;
  }
  const hour = number(words[i]);
  if (hour === undefined) return undefined;
  i++;
  if (minutes === 0 && words[i] in MINUTES) {
    minutes = MINUTES[words[i]];
    i += words[i] === 'forty' ? 2 : 1;
  }
  if (minutes < 0) {
    hourOffset = -1;
    minutes += 60;
  }
  const morning = words[i] === 'am' || words.slice(i, i + 3).join(' ') === 'in the morning';
  const hour24 = ((morning ? hour % 12 : hour === 12 ? 12 : hour + 12) + hourOffset + 24) % 24;
  return `${String(hour24).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** `tonight`/`today`/`this evening` → today, `tomorrow` → tomorrow, a weekday → its name. */
export function findDay(words) {
  const text = words.join(' ');
  if (words.includes('tomorrow')) return 'tomorrow';
  if (words.includes('tonight') || words.includes('today') || text.includes('this evening')) return 'today';
  return WEEKDAYS.find((weekday) => words.includes(weekday));
}
