import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandAgent } from '../../src/agents/command.js';
import { resample } from '../../src/audio/resample.js';
import { encodeWav } from '../../src/audio/wav.js';
import type { Audio, ToolCall, ToolDefinition } from '../../src/core/types.js';
import { loadSuite } from '../../src/suite/load.js';
import { runSuite } from '../../src/suite/run.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import { spokenWords } from './spoken.js';

// The sample agent as russo runs it: a real process that hears Flite audio through the command
// protocol, recognizes it with pocketsphinx and answers with tool calls. How it hears and grades the
// example scenarios is checked on the quick start's run of them (test/e2e/quick-start.test.ts).
const AGENT = ['node', 'examples/sample-agent/agent.js'];
const VOICES = ['kal16', 'slt', 'rms'];
const TOOLS = JSON.parse(readFileSync('tools/restaurant.json', 'utf8')) as ToolDefinition[];

describe('the sample agent on natural variants', () => {
  let agent: CommandAgent;
  beforeAll(() => {
    agent = new CommandAgent({ command: AGENT, mode: 'serve', processes: 2, tools: TOOLS });
  });
  afterAll(() => agent.close());

  const variants: Array<[string, ToolCall[]]> = [
    [
      'Book a table for five at six thirty tomorrow',
      [call('book_table', { party_size: 5, time: '18:30', day: 'tomorrow' })],
    ],
    ['Could I book a table for two at eight pm', [call('book_table', { party_size: 2, time: '20:00' })]],
    ["We'd like a table for four people at seven", [call('book_table', { party_size: 4, time: '19:00' })]],
    [
      'I want to reserve a table for twelve at noon on Saturday',
      [call('book_table', { party_size: 12, time: '12:00', day: 'saturday' })],
    ],
    [
      'Can you book us a table for three at half past six',
      [call('book_table', { party_size: 3, time: '18:30' })],
    ],
    ['A table for two at quarter to nine please', [call('book_table', { party_size: 2, time: '20:45' })]],
    [
      "Reserve a table for eight guests at seven o'clock this evening",
      [call('book_table', { party_size: 8, time: '19:00', day: 'today' })],
    ],
    [
      'Can I make a reservation for one at eleven in the morning',
      [call('book_table', { party_size: 1, time: '11:00' })],
    ],
    [
      'Book me a table for two of us at nine thirty on Friday',
      [call('book_table', { party_size: 2, time: '21:30', day: 'friday' })],
    ],
    ['Cancel my booking please', [call('cancel_reservation', {})]],
    ['Please cancel our reservation for tonight', [call('cancel_reservation', { day: 'today' })]],
    ['When are you open on Monday', [call('get_opening_hours', { day: 'monday' })]],
    ['What time do you close tonight', [call('get_opening_hours', { day: 'today' })]],
    ['How late are you open on Friday', [call('get_opening_hours', { day: 'friday' })]],
    ['Good morning', []],
    ['Thanks a lot', []],
    ['My flight was delayed by two hours', []],
    ['I would like to book a flight to London', []],
    ['Turn off the lights in the living room', []],
  ];

  it.each(VOICES.slice(0, 2))('turns each variant into the right call in voice %s', async (voice) => {
    const synthesizer = new FliteSynthesizer({ voice });
    const answers = await Promise.all(
      variants.map(async ([prompt]) => agent.run(await synthesizer.synthesize(prompt))),
    );
    answers.forEach((answer, index) => {
      const [prompt, calls] = variants[index] ?? ['', []];
      expect.soft(answer.toolCalls, `${voice}: ${prompt} (heard "${answer.transcript}")`).toEqual(calls);
    });
  });

  it('hears audio at another sample rate (24 kHz, as OpenAI TTS speaks) the same', async () => {
    const audio = await new FliteSynthesizer({ voice: 'slt' }).synthesize('Are you open on Sunday?');
    const upsampled: Audio = { pcm: resample(audio, 24000).pcm, sampleRate: 24000 };
    const answer = await agent.run(upsampled);
    expect(answer.transcript).toBe('are you open on sunday');
    expect(answer.toolCalls).toEqual([call('get_opening_hours', { day: 'sunday' })]);
  });

  it('hears a clip 30 dB quieter the same', async () => {
    const audio = await new FliteSynthesizer({ voice: 'rms' }).synthesize('Cancel my booking please');
    const quiet: Audio = {
      pcm: audio.pcm.map((sample) => Math.round(sample * 0.03)),
      sampleRate: audio.sampleRate,
    };
    const answer = await agent.run(quiet);
    expect(answer.transcript).toBe('cancel my booking please');
    expect(answer.toolCalls).toEqual([call('cancel_reservation', {})]);
  });

  it('hears a clip inside a second of faint noise on each side the same: only the speech is decoded', async () => {
    const audio = await new FliteSynthesizer({ voice: 'kal16' }).synthesize('Are you open on Sunday?');
    // About 45 dB under the speech's loudest 10 ms, where the agent stops decoding.
    let seed = 7;
    const noise = () =>
      Int16Array.from({ length: audio.sampleRate }, () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return (seed % 61) - 30;
      });
    const padded: Audio = {
      pcm: Int16Array.from([...noise(), ...audio.pcm, ...noise()]),
      sampleRate: audio.sampleRate,
    };
    const answer = await agent.run(padded);
    expect(answer.transcript).toBe('are you open on sunday');
    expect(answer.toolCalls).toEqual([call('get_opening_hours', { day: 'sunday' })]);
  });

  it('hears a clip the same whatever the process heard before', async () => {
    const single = new CommandAgent({ command: AGENT, mode: 'serve', tools: TOOLS });
    const synthesizer = new FliteSynthesizer({ voice: 'slt' });
    const clip = await synthesizer.synthesize('Good evening.');
    const others = await Promise.all(variants.slice(0, 6).map(([prompt]) => synthesizer.synthesize(prompt)));
    const heard = [(await single.run(clip)).transcript];
    for (const other of others) await single.run(other);
    heard.push((await single.run(clip)).transcript);
    await single.close();
    expect(heard).toEqual(['good evening', 'good evening']);
  });

  it('makes no call on silence', async () => {
    const answer = await agent.run({ pcm: new Int16Array(16000), sampleRate: 16000 });
    expect(answer.toolCalls).toEqual([]);
  });
});

describe('the sample agent as a program', () => {
  it('answers the same in spawn mode, where each run is a fresh process', async () => {
    const agent = new CommandAgent({ command: AGENT, tools: TOOLS });
    const prompts = [
      'Book a table for four at eight tonight.',
      'Thank you very much.',
      'Could we get a table tomorrow for six people at eight thirty?',
    ];
    for (const voice of VOICES) {
      const synthesizer = new FliteSynthesizer({ voice });
      for (const prompt of prompts) {
        const answer = await agent.run(await synthesizer.synthesize(prompt));
        expect.soft(answer.transcript, `${voice}: ${prompt}`).toBe(spokenWords(prompt).join(' '));
      }
    }
  });

  it('only calls the tools it is given in RUSSO_TOOLS', async () => {
    const agent = new CommandAgent({
      command: AGENT,
      tools: TOOLS.filter((tool) => tool.name !== 'book_table'),
    });
    const answer = await agent.run(
      await new FliteSynthesizer().synthesize('Book a table for two at seven tonight'),
    );
    expect(answer.transcript).toBe('book a table for two at seven tonight');
    expect(answer.toolCalls).toEqual([]);
  });

  it('exits with an error on stderr when stdin is not a WAV file', async () => {
    const child = promisify(execFile)(process.execPath, [resolvePath(AGENT[1] ?? '')], { encoding: 'utf8' });
    child.child.stdin?.end('this is not audio');
    const failure = await child.then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('expected a WAV file, got 17 bytes starting "this"');
  });

  it('speaks serve mode over stdin and stdout: one JSON line per request, errors as {id, error}', async () => {
    const audio = await new FliteSynthesizer().synthesize('Hello there');
    const requests = [
      { id: 'a', audio: encodeWav(audio).toString('base64') },
      { id: 'b', audio: Buffer.from('not a wav').toString('base64') },
    ];
    const child = promisify(execFile)(process.execPath, [resolvePath(AGENT[1] ?? '')], {
      encoding: 'utf8',
      env: { ...process.env, RUSSO_MODE: 'serve' },
    });
    child.child.stdin?.end(requests.map((request) => JSON.stringify(request)).join('\n') + '\n');
    const lines = (await child).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ id: 'a', tool_calls: [], transcript: 'hello there' });
    expect(lines[1]).toEqual({ id: 'b', error: expect.stringContaining('expected a WAV file') });
  });
});

describe('the sample agent in conversations', () => {
  // The answers and corrections of a booking dialog, each heard on its own.
  const fragments = [
    "I'd like to book a table",
    "I'd like to book a table for two",
    'Can I book a table',
    'Two people please',
    'Three people',
    'For three',
    'For twelve',
    'For two please',
    'For six people please',
    'At seven tonight',
    'At eight tonight',
    'At half past seven',
    'At nine tomorrow',
    'At quarter to eight please',
    'Tomorrow at seven',
    'Actually, make it three',
    'Actually, make it four people',
    'Actually, at eight',
    'Actually, for two',
    'No, four people',
    'No, make it five',
    'No, at eight thirty',
    'Sorry, five people',
    'Sorry, at nine',
  ];

  it('hears every answer and correction of the dialog word for word in each voice', async () => {
    const agent = new CommandAgent({ command: AGENT, mode: 'serve', processes: 2, tools: TOOLS });
    let exact = 0;
    for (const voice of VOICES) {
      const synthesizer = new FliteSynthesizer({ voice });
      const answers = await Promise.all(
        fragments.map(async (fragment) => agent.run(await synthesizer.synthesize(fragment))),
      );
      answers.forEach((answer, index) => {
        const said = spokenWords(fragments[index] ?? '').join(' ');
        if (answer.transcript === said) exact++;
        expect.soft(answer.transcript, `${voice}: ${fragments[index]}`).toBe(said);
        // One turn, as before: a fragment alone books nothing.
        expect.soft(answer.toolCalls, `${voice}: ${fragments[index]}`).toEqual([]);
      });
    }
    await agent.close();
    console.log(`dialog phrases heard exactly: ${exact} of ${fragments.length * VOICES.length}`);
  });

  // The example conversations, played by russo turn by turn to the real agent in every voice:
  // each turn's calls graded against its expect/forbid, its reply against its checks, the tool
  // results picked by the first rule whose `when` matches.
  const files = ['scenarios/conversations', 'scenarios/failing/conversation-books-too-early.yaml'];
  // What the agent says in each turn of each example, and the failures the failing one must show.
  const replies: Record<string, string[]> = {
    'book over three turns': [
      'For how many people?',
      'At what time?',
      'Booked: a table for 2 at 19:00, reference R-17.',
    ],
    'a correction before booking changes the party size': [
      'At what time?',
      'OK, 3 people. At what time?',
      'Booked: a table for 3 at 19:00, reference R-23.',
    ],
    'a failed booking is reported, and a smaller party is booked': [
      'Sorry, I could not book a table for 12 at 20:00: no table for more than eight. Would another time or party size suit you?',
      'Booked: a table for 4 at 20:00, reference R-42.',
    ],
    'deliberately failing — expects a booking before the time is known': [
      'For how many people?',
      'At what time?',
      'Booked: a table for 2 at 19:00, reference R-17.',
    ],
  };
  const expectedFailures: Record<string, string[]> = {
    'deliberately failing — expects a booking before the time is known': [
      'turn 2: missing call book_table({party_size: 2})',
      'turn 2: the reply does not contain "Booked": "At what time?"',
    ],
  };

  it('has an example for every dialog the sample agent holds', async () => {
    const suite = await loadSuite(files);
    expect(suite.scenarios.map((scenario) => scenario.name).sort()).toEqual(Object.keys(replies).sort());
  });

  it.each(['serve', 'spawn'] as const)(
    'holds each example conversation in every voice, %s mode',
    async (mode) => {
      const suite = await loadSuite(files);
      const agent = new CommandAgent({ command: AGENT, mode, processes: 2, tools: TOOLS });
      const result = await runSuite(suite, { agent, cacheDir: false, overrides: { runs: 1 } });
      for (const scenario of result.scenarios) {
        const { name, turns = [] } = scenario.scenario;
        expect(scenario.runs.map((run) => run.voice)).toEqual(VOICES);
        for (const run of scenario.runs) {
          const where = `${run.voice}, ${name}`;
          expect
            .soft(
              run.turns?.map((turn) => turn.response?.text),
              where,
            )
            .toEqual(replies[name]);
          expect
            .soft(
              run.turns?.map((turn) => turn.response?.transcript),
              where,
            )
            .toEqual(turns.map((turn) => spokenWords(turn.say).join(' ')));
          expect
            .soft(run.evalResult?.failures.map((failure) => failure.message) ?? run.error, where)
            .toEqual(expectedFailures[name] ?? []);
          // Every call was reported, answered with the outcome its rules pick, and recorded.
          for (const turn of run.turns ?? []) {
            expect
              .soft(turn.response?.toolResults?.map((exchange) => exchange.call) ?? [], where)
              .toEqual(turn.response?.toolCalls);
          }
        }
      }
      const failing = result.scenarios.find((scenario) =>
        scenario.scenario.location.file.includes('failing/'),
      );
      expect(failing?.runs.map((run) => run.turns?.map((turn) => turn.status))).toEqual(
        VOICES.map(() => ['passed', 'failed', 'passed']),
      );
      expect(result.summary).toMatchObject({ total: 12, passed: 9, failed: 3, errored: 0 });
    },
    120_000,
  );
});

function call(name: string, args: Record<string, unknown>): ToolCall {
  return { name, arguments: args };
}
