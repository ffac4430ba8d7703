// The phrases the sample agent understands, as a JSGF grammar for pocketsphinx. A grammar
// makes recognition exact and fast on its own phrases; speech outside it is caught by the
// <garbage> rule (a loop of single phones), so nonsense is heard as nonsense, not as the
// closest booking. <answer> and <correction> are what a caller says within a booking dialog:
// "two people please", "at seven tonight", "actually, make it three", "no, four people".

/** Every phone of the en-us acoustic model: each is a one-phone pseudo-word of the garbage loop. */
const PHONES =
  'aa ae ah ao aw ay b ch d dh eh er ey f g hh ih iy jh k l m n ng ow oy p r s sh t th uh uw v w y z zh'.split(
    ' ',
  );

/** Prefix of the garbage loop's pseudo-words: the recognizer reports a run of them as UNINTELLIGIBLE. */
export const GARBAGE_PREFIX = 'garbage_';

/** What the transcript says where the speech was out of grammar. */
export const UNINTELLIGIBLE = '[unintelligible]';

const RULES = `
public <utterance> = <booking> | <answer> | <correction> | <cancel> | <hours> | <small_talk> | <garbage>;

<booking> = [<lead>] [<book>] <table> <detail>* [please];
<lead> = (i'd | we'd | i would | we would) like [to] | (i | we) (want | need) [to]
       | (can | could) (i | we | you) | please;
<book> = book | reserve | get | make | have;
<table> = a table | a reservation | a booking | table | us a table | me a table;
<detail> = <party> | <time> | <day>;
<party> = for <number> [people | guests | of us] | for a party of <number> | a party of <number>
        | <number> people | <number> guests;
<time> = at [around | about] <clock>;
<clock> = <number> [o'clock | <minutes>] [<meridiem>] | (half past | quarter past | quarter to) <number> [<meridiem>] | noon;
<minutes> = fifteen | thirty | forty five;
<meridiem> = pm | am | in the evening | in the afternoon | in the morning;
<day> = tonight | today | this evening | tomorrow [night | evening] | [on | this | next] <weekday>;
<weekday> = monday | tuesday | wednesday | thursday | friday | saturday | sunday;

<answer> = [<day>] (<party> | <time>) [<detail>] [please];
<correction> = <change> (make it (<number> [people | guests] | <time>) | <party> | <time>) [please];
<change> = actually | no | sorry | no actually | sorry actually;
<number> = one | two | three | four | five | six | seven | eight | nine | ten | eleven | twelve;

<cancel> = [<lead>] cancel <reservation> [<for_day>] [please];
<reservation> = [my | our | the] (reservation | booking | table);
<for_day> = for <day> | <day>;

<hours> = <hours_question> [<for_day>] [please];
<hours_question> = what are your [opening] hours | when are you open | are you open | what time do you (open | close)
                 | how late are you open | what are the opening hours;

<small_talk> = hello [there] | hi [there] | hey | good (morning | afternoon | evening)
             | thank you [very much | so much] | thanks [a lot] | goodbye | bye | how are you [doing] [today];

<garbage> = <phone> <phone>*;
<phone> = ${PHONES.map((phone) => `${GARBAGE_PREFIX}${phone}`).join(' | ')};
`;

/** The JSGF grammar text. */
export const jsgf = `#JSGF V1.0;\ngrammar restaurant;\n${RULES}`;

/** The words of the grammar (without the garbage phones), for the pronunciation dictionary. */
export const grammarWords = [
  ...new Set(
    RULES.replace(/<[^>]+>/g, ' ')
      .split(/[\s()[\]|;=+*]+/)
      .filter((word) => word !== '' && word !== 'public' && !word.startsWith(GARBAGE_PREFIX)),
  ),
];

/**
 * Dictionary lines for the grammar: each word's first pronunciation in cmudict (`word PH ONES`),
 * plus one pseudo-word per phone for the garbage loop. Throws when cmudict lacks a word.
 * Alternative pronunciations are left out: they made "could" and "can" confusable and cost time.
 */
export function dictionaryFor(cmudict) {
  const wanted = new Set(grammarWords);
  const pronunciations = new Map();
  for (const line of cmudict.split('\n')) {
    const space = line.indexOf(' ');
    const word = line.slice(0, space);
    if (wanted.has(word)) pronunciations.set(word, line.slice(space + 1).trim());
  }
  const missing = grammarWords.filter((word) => !pronunciations.has(word));
  if (missing.length > 0) throw new Error(`cmudict has no pronunciation for: ${missing.join(', ')}`);
  const lines = [...pronunciations].map(([word, phones]) => `${word} ${phones}`);
  return (
    [...lines, ...PHONES.map((phone) => `${GARBAGE_PREFIX}${phone} ${phone.toUpperCase()}`)].join('\n') + '\n'
  );
}
