import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSuite } from '../../src/suite/load.js';
import { createAgent, createVoices } from '../../src/suite/providers.js';

// The config examples of docs/agents.md (http, websocket) and docs/gemini.md, loaded and built the
// way `russo run` does: the loader's schema accepts every documented key, and the agents build.

let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'russo-config-'));
  await mkdir(join(project, 'scenarios'));
  await mkdir(join(project, 'tools'));
  await writeFile(
    join(project, 'scenarios', 'book.yaml'),
    'name: book\nprompts: [Book a table for two at seven]\nexpect: [{ name: book_table }]\n',
  );
  await writeFile(
    join(project, 'tools', 'restaurant.json'),
    JSON.stringify([
      { name: 'book_table', parameters: { type: 'object', properties: { party_size: { type: 'integer' } } } },
    ]),
  );
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

const env = { AGENT_API_KEY: 'k-1', AGENT_URL: 'https://agent.test/turn', GEMINI_API_KEY: 'AIzaFAKE' };

async function load(config: string) {
  await writeFile(join(project, 'russo.config.yaml'), config);
  const suite = await loadSuite(undefined, { cwd: project });
  const options = { env, concurrency: 1, cacheDir: false as const };
  return { suite, agent: await createAgent(suite, options), voices: await createVoices(suite, options) };
}

describe('config examples of the http, websocket and Gemini providers', () => {
  it('http', async () => {
    const { agent } = await load(`
agent:
  provider: http
  url: \${AGENT_URL}
  body: json
  sample_rate: 16000
  audio_encoding: pcm16
  fields: { audio: speech, format: encoding, sample_rate: rate }
  extra_fields: { session: ci }
  headers:
    X-Api-Key: \${AGENT_API_KEY}
  tool_calls_path: result.tool_calls
  name_key: function.name
  arguments_key: function.arguments
  transcript_path: heard
  text_path: reply
  conversation_fields: { conversation: session_id, turn: turn_index, tool_results: results }
  tool_result_fields: { id: call_id, result: output }
  id_key: call_id
  max_tool_rounds: 4
  max_attempts: 3
  tools: tools/restaurant.json
`);
    expect(agent.id).toBe('http:https://agent.test/turn');
  });

  it('websocket', async () => {
    const { agent } = await load(`
agent:
  provider: websocket
  url: wss://agent.test/stream
  headers: { X-Api-Key: '\${AGENT_API_KEY}' }
  send: json
  sample_rate: 16000
  start_message: { type: start, sample_rate: 16000 }
  extra_fields: { type: audio }
  chunk_ms: 100
  realtime: true
  end_message: { type: end }
  done: { message_type: response.done, type_key: type }
  tool_calls_path: call
  missing_path: no_calls
  transcript_path: text
  tool_result_message: { type: tool_result }
  tool_result_fields: { id: call_id, error: failure }
  id_key: id
  open_timeout_s: 5
  response_timeout_s: 20
  close_timeout_s: 1
`);
    expect(agent.id).toBe('websocket:wss://agent.test/stream');
  });

  it('gemini and gemini-live agents, and the gemini synthesizer', async () => {
    const generate = await load(`
synthesizer:
  provider: gemini
  voices: [Kore, Puck]
  model: gemini-3.8-flash-lite-tts
  instructions: Say it like a busy caller on the phone
  language_code: en-US
agent:
  provider: gemini
  model: gemini-2.5-flash
  instructions: You are the booking assistant of Chez Marcel.
  tools: tools/restaurant.json
  tool_choice: auto
  temperature: 0.2
  request_timeout_s: 30
  max_attempts: 4
  max_retry_wait_s: 20
`);
    expect(generate.agent.id).toBe('gemini:gemini-2.5-flash');
    expect(generate.voices.map((voice) => voice.synthesizer.id)).toEqual([
      expect.stringMatching(/^gemini:gemini-3\.8-flash-lite-tts:Kore:lang=en-US:instructions=/),
      expect.stringMatching(/^gemini:gemini-3\.8-flash-lite-tts:Puck:lang=en-US:instructions=/),
    ]);
    const live = await load(`
agent:
  provider: gemini-live
  model: gemini-live-2.5-flash-preview
  instructions: You are the booking assistant of Chez Marcel.
  tools: tools/restaurant.json
  response_modality: AUDIO
  tool_call_idle_ms: 1500
  max_tool_rounds: 4
  base_url: http://127.0.0.1:9
`);
    expect(live.agent.id).toBe('gemini-live:gemini-live-2.5-flash-preview');
  });

  it('points at the line of a websocket agent with a missing done rule', async () => {
    await expect(
      load('agent:\n  provider: websocket\n  url: ws://agent.test/stream\n  done: {}\n'),
    ).rejects.toThrow(
      /russo\.config\.yaml:2:3: cannot set up the agent: `done` must name exactly one completion rule/,
    );
  });
});
