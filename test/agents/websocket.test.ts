import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketAgent, websocketAgentProvider } from '../../src/agents/websocket.js';
import { resample } from '../../src/audio/resample.js';
import { decodeWav } from '../../src/audio/wav.js';
import { AgentError, CancelledError } from '../../src/core/errors.js';
import type { Audio } from '../../src/core/types.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import {
  isType,
  startWebSocketServer,
  type FakeConnection,
  type FakeWebSocketServer,
  type ReceivedFrame,
} from '../fakes/websocket-server.js';
import { waitFor } from '../wait-for.js';
import { BOOKED, respond, speakTurns } from './booking-dialog.js';

let audio: Audio;
let server: FakeWebSocketServer | undefined;

beforeAll(async () => {
  audio = await new FliteSynthesizer({ voice: 'kal16' }).synthesize('What is the weather in Paris');
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function create(options: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  return websocketAgentProvider.create(
    { url: `${server?.url}/agent`, ...options },
    { baseDir: process.cwd(), env, tools: [], concurrency: 1 },
  );
}

const send = (socket: { send(data: string): void }, message: unknown) => socket.send(JSON.stringify(message));

describe('websocket agent: streaming and collecting', () => {
  it('streams JSON chunks between a start and an end message, and joins the calls of every message', async () => {
    server = await startWebSocketServer(({ socket }, frame) => {
      if (!isType(frame, 'end')) return;
      send(socket, { type: 'transcript', text: 'what is the weather in paris' });
      send(socket, { type: 'tool_call', call: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
      send(socket, {
        type: 'tool_call',
        call: { name: 'get_forecast', arguments: { city: 'Paris', days: 2 } },
      });
      send(socket, { type: 'response.done' });
      send(socket, { type: 'tool_call', call: { name: 'after_done', arguments: {} } });
    });
    const agent = await create(
      {
        headers: { Authorization: '${AGENT_TOKEN}' },
        chunk_ms: 100,
        extra_fields: { type: 'audio' },
        start_message: { type: 'start', rate: 16000 },
        end_message: { type: 'end' },
        done: { message_type: 'response.done' },
        tool_calls_path: 'call',
        transcript_path: 'text',
      },
      { AGENT_TOKEN: 'secret-1' },
    );
    const response = await agent.run(audio);
    expect(response.toolCalls).toEqual([
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'get_forecast', arguments: { city: 'Paris', days: 2 } },
    ]);
    expect(response.transcript).toBe('what is the weather in paris');

    const [connection] = server.connections;
    expect(connection?.path).toBe('/agent');
    expect(connection?.headers.authorization).toBe('secret-1');
    const frames = connection?.frames ?? [];
    expect(frames[0]).toEqual({ json: { type: 'start', rate: 16000 } });
    expect(frames.at(-1)).toEqual({ json: { type: 'end' } });
    const chunks = frames.slice(1, -1).map((frame) => (frame as { json: Record<string, unknown> }).json);
    // 100 ms at 16 kHz is 1600 samples, 3200 bytes.
    expect(chunks).toHaveLength(Math.ceil((audio.pcm.length * 2) / 3200));
    expect(
      chunks.every(
        (chunk) => chunk.type === 'audio' && chunk.format === 'pcm16' && chunk.sample_rate === 16000,
      ),
    ).toBe(true);
    const pcm = Buffer.concat(chunks.map((chunk) => Buffer.from(chunk.audio as string, 'base64')));
    expect(new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2)).toEqual(audio.pcm);
    expect(await connection?.closed).toBe(1000);
  });

  it('sends one binary WAV frame and ends after a count of messages', async () => {
    server = await startWebSocketServer(({ socket }, frame) => {
      if (!('binary' in frame)) return;
      send(socket, { event: 'heard' });
      send(socket, { event: 'result', tool_calls: [{ name: 'book_table', arguments: { party_size: 2 } }] });
    });
    const agent = await create({ send: 'binary', audio_encoding: 'wav', done: { count: 2 } });
    expect((await agent.run(audio)).toolCalls).toEqual([
      { name: 'book_table', arguments: { party_size: 2 } },
    ]);
    const frames = server.connections[0]?.frames ?? [];
    expect(frames).toHaveLength(1);
    const sent = decodeWav((frames[0] as { binary: Buffer }).binary);
    expect(sent.pcm).toEqual(audio.pcm);
  });

  it('resamples before streaming binary PCM at the rate the agent wants', async () => {
    server = await startWebSocketServer(({ socket }, frame) => {
      if (isType(frame, 'end')) send(socket, { tool_calls: [] });
    });
    const agent = await create({
      send: 'binary',
      sample_rate: 8000,
      chunk_ms: 250,
      end_message: { type: 'end' },
      done: { count: 1 },
    });
    await agent.run(audio);
    const frames = server.connections[0]?.frames ?? [];
    const chunks = frames
      .filter((frame): frame is { binary: Buffer } => 'binary' in frame)
      .map((frame) => frame.binary);
    // 250 ms at 8 kHz is 2000 samples, 4000 bytes.
    expect(chunks.slice(0, -1).every((chunk) => chunk.length === 4000)).toBe(true);
    const pcm = Buffer.concat(chunks);
    expect(new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2)).toEqual(resample(audio, 8000).pcm);
  });

  it('ends after an idle gap, counting binary frames as activity', async () => {
    server = await startWebSocketServer(async ({ socket }, frame) => {
      if (!isType(frame, 'end')) return;
      for (const name of ['a', 'b']) {
        await new Promise((resolve) => setTimeout(resolve, 60));
        socket.send(Buffer.alloc(320));
        send(socket, { tool_calls: [{ name, arguments: {} }] });
      }
    });
    const agent = await create({ end_message: { type: 'end' }, done: { idle_ms: 250 } });
    const started = performance.now();
    const response = await agent.run(audio);
    expect(response.toolCalls.map((call) => call.name)).toEqual(['a', 'b']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250 + 120 - 20);
  });

  it('ends when a message carries a field, or when the server closes', async () => {
    server = await startWebSocketServer(({ socket }, frame) => {
      if (!isType(frame, 'end')) return;
      send(socket, { partial: true });
      send(socket, { result: { tool_calls: [] } });
      socket.close(1000, 'bye');
    });
    const byField = await create({
      end_message: { type: 'end' },
      done: { field: 'result' },
      tool_calls_path: 'result.tool_calls',
    });
    expect(await byField.run(audio)).toEqual({ toolCalls: [] });
    const byClose = await create({
      end_message: { type: 'end' },
      done: { close: true },
      tool_calls_path: 'result.tool_calls',
    });
    expect(await byClose.run(audio)).toEqual({ toolCalls: [] });
  });

  it('paces chunks in real time when asked', async () => {
    const short: Audio = { pcm: audio.pcm.subarray(0, 4800), sampleRate: 16000 };
    server = await startWebSocketServer(({ socket }, frame) => {
      if (isType(frame, 'end')) send(socket, { tool_calls: [] });
    });
    const agent = await create({
      chunk_ms: 100,
      realtime: true,
      end_message: { type: 'end' },
      done: { count: 1 },
    });
    const started = performance.now();
    await agent.run(short);
    // Three chunks of 100 ms: two waits between them.
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(server.connections[0]?.frames).toHaveLength(4);
  });

  it('keeps messages that come while the audio is being sent, and applies the rule once it is out', async () => {
    server = await startWebSocketServer(({ socket }, frame) => {
      if (server?.connections[0]?.frames.length === 1)
        send(socket, { type: 'done', tool_calls: [{ name: 'early', arguments: {} }] });
      if (isType(frame, 'end')) send(socket, { type: 'done', tool_calls: [{ name: 'late', arguments: {} }] });
    });
    const agent = await create({
      chunk_ms: 100,
      realtime: true,
      end_message: { type: 'end' },
      done: { count: 2 },
    });
    expect(
      (await agent.run({ pcm: audio.pcm.subarray(0, 8000), sampleRate: 16000 })).toolCalls.map(
        (call) => call.name,
      ),
    ).toEqual(['early', 'late']);
  });
});

describe('websocket agent: broken, slow and malformed agents', () => {
  it('a server that closes before the done rule is a run error quoting the last message', async () => {
    server = await startWebSocketServer(({ socket }) => {
      send(socket, { type: 'error', message: 'model overloaded' });
      socket.close(1011, 'internal error');
    });
    const agent = await create({ done: { message_type: 'response.done' } });
    await expect(agent.run(audio)).rejects.toThrow(
      /closed the connection \(code 1011: internal error\) before a message with type "response.done"; 1 JSON messages; the last was \{"type":"error","message":"model overloaded"\}/,
    );
  });

  it('a silent agent hits the response timeout, and the socket is still closed', async () => {
    server = await startWebSocketServer(() => undefined);
    const agent = await create({ done: { message_type: 'response.done' }, response_timeout_s: 0.2 });
    await expect(agent.run(audio)).rejects.toThrow(
      /no answer from .*\/agent within 0.2 s of the end of the audio/,
    );
    expect(await server.connections[0]?.closed).toBe(1000);
  });

  it('an agent that never completes the handshake hits the open timeout', async () => {
    const sockets = new Set<Socket>();
    let dropped = 0;
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => dropped++);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const agent = new WebSocketAgent({
        url: `ws://127.0.0.1:${(silent.address() as AddressInfo).port}/agent`,
        done: { count: 1 },
        openTimeoutMs: 200,
      });
      await expect(agent.run(audio)).rejects.toThrow(/no connection to .*\/agent within 0.2 s/);
      // The half-open connection was dropped, not left behind.
      await waitFor(() => dropped === 1);
      expect(sockets.size).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('drops a connection whose server never answers the close handshake', async () => {
    // A raw TCP server that completes the upgrade, answers once, then ignores every frame, the close included.
    let dropped = false;
    const deaf: Server = createServer((socket) => {
      let upgraded = false;
      socket.on('close', () => (dropped = true));
      socket.on('data', (data) => {
        if (upgraded) return;
        upgraded = true;
        const key = /sec-websocket-key: (.+)\r\n/i.exec(data.toString())?.[1] ?? '';
        const accept = createHash('sha1')
          .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
          .digest('base64');
        socket.write(
          `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
        );
        const payload = Buffer.from('{"tool_calls":[]}');
        socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
      });
    });
    await new Promise<void>((resolve) => deaf.listen(0, '127.0.0.1', resolve));
    try {
      const agent = new WebSocketAgent({
        url: `ws://127.0.0.1:${(deaf.address() as AddressInfo).port}`,
        done: { count: 1 },
        closeTimeoutMs: 200,
      });
      const started = performance.now();
      expect(await agent.run(audio)).toEqual({ toolCalls: [] });
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      await waitFor(() => dropped);
    } finally {
      await new Promise((resolve) => deaf.close(resolve));
    }
  });

  it('a refused upgrade names the HTTP status', async () => {
    server = await startWebSocketServer(() => undefined, {
      verifyClient: (headers) => (headers.authorization === 'right' ? undefined : 401),
    });
    const agent = await create({ done: { count: 1 }, headers: { Authorization: 'wrong' } });
    await expect(agent.run(audio)).rejects.toThrow(/refused the WebSocket upgrade with HTTP 401/);
  });

  it('an agent that is down is a run error', async () => {
    server = await startWebSocketServer(() => undefined);
    const url = server.url;
    await server.close();
    server = undefined;
    const agent = new WebSocketAgent({ url, done: { count: 1 } });
    await expect(agent.run(audio)).rejects.toThrow(/WebSocket error from .*ECONNREFUSED/);
  });

  it('messages that are not JSON or lack the path are a run error, unless no_calls is allowed', async () => {
    server = await startWebSocketServer(({ socket }, frame) => {
      if (!isType(frame, 'end')) return;
      send(socket, { type: 'text', text: 'Sure.' });
      socket.send('<<not json>>');
      send(socket, { type: 'response.done' });
    });
    const strict = await create({ end_message: { type: 'end' }, done: { message_type: 'response.done' } });
    await expect(strict.run(audio)).rejects.toThrow(
      /none of the 2 JSON messages from .*\/agent has `tool_calls`; the last was \{"type":"response.done"\}/,
    );
    const lenient = await create({
      end_message: { type: 'end' },
      done: { message_type: 'response.done' },
      missing_path: 'no_calls',
      text_path: 'text',
    });
    expect(await lenient.run(audio)).toEqual({ toolCalls: [], text: 'Sure.' });
  });

  it('a cancel closes the socket and rejects with the reason', async () => {
    const controller = new AbortController();
    // Cancelled at the first frame the server gets, which it never answers.
    server = await startWebSocketServer(() => controller.abort(new CancelledError('cancelled')));
    const agent = await create({ done: { message_type: 'response.done' } });
    await expect(agent.run(audio, { signal: controller.signal })).rejects.toThrow(CancelledError);
    expect(await server.connections[0]?.closed).toBe(1000);
  });

  it('checks its options when it is built', async () => {
    server = await startWebSocketServer(() => undefined);
    await expect(create({ done: {} })).rejects.toThrow(/exactly one completion rule, got none/);
    await expect(create({ done: { count: 1, idle_ms: 100 } })).rejects.toThrow(/got idleMs and count/);
    await expect(create({ done: { count: 1 }, chunk_ms: 100, audio_encoding: 'wav' })).rejects.toThrow(
      /chunk_ms splits raw PCM/,
    );
    await expect(create({ url: 'http://127.0.0.1/agent', done: { count: 1 } })).rejects.toThrow(
      /use ws: or wss:/,
    );
    await expect(create({ done: { count: 1 }, headers: { 'X-Key': '${KEY}' } })).rejects.toThrow(
      /KEY is not set/,
    );
  });
});

describe('websocket agent: conversations on one connection', () => {
  let turns: Audio[];
  beforeAll(async () => {
    turns = await speakTurns('awb');
  });
  const options = {
    start_message: { type: 'start' },
    extra_fields: { type: 'audio' },
    end_message: { type: 'end' },
    done: { message_type: 'turn.done' },
    tool_calls_path: 'call',
    text_path: 'text',
    missing_path: 'no_calls',
    tool_result_message: { type: 'tool_result' },
  };
  const ends = (connection: FakeConnection) =>
    connection.frames.filter((frame) => isType(frame, 'end')).length;

  /**
   * A slot-filling agent on one connection: it asks for the party size, then the time, then books
   * with a tool call and reads the reference back from the tool result. It greets on connect and
   * says a word after each turn is done: messages that belong to no turn.
   */
  const host = ({ socket, frames }: FakeConnection, frame: ReceivedFrame) => {
    if (isType(frame, 'start')) return send(socket, { type: 'reply', text: 'Welcome!' });
    if (isType(frame, 'tool_result')) {
      const { result, error } = (frame as { json: { result?: { reference: string }; error?: string } }).json;
      send(socket, {
        type: 'reply',
        text: result ? `Booked, your reference is ${result.reference}.` : `No: ${error}`,
      });
      send(socket, { type: 'turn.done' });
      return send(socket, { type: 'reply', text: 'Anything else?' });
    }
    if (!isType(frame, 'end')) return;
    const turn = frames.filter((received) => isType(received, 'end')).length;
    if (turn === 3)
      return send(socket, {
        type: 'tool_call',
        call: { id: 't1', name: 'book_table', arguments: { party_size: 2, time: '19:00' } },
      });
    send(socket, { type: 'reply', text: turn === 1 ? 'For how many people?' : 'What time would you like?' });
    send(socket, { type: 'turn.done' });
    send(socket, { type: 'reply', text: 'Anything else?' });
  };

  it('plays every turn on one connection, answers the calls with tool result messages, and reads a reply per turn', async () => {
    server = await startWebSocketServer(host);
    const agent = await create(options);
    const conversation = await agent.converse!();
    const replies = [];
    for (const turn of turns) replies.push(await conversation.turn(turn, { respond }));
    await conversation.close();
    await conversation.close();

    expect(replies.map((reply) => reply.text)).toEqual([
      'For how many people?',
      'What time would you like?',
      'Booked, your reference is R-17.',
    ]);
    const booking = { name: 'book_table', arguments: { party_size: 2, time: '19:00' } };
    expect(replies.map((reply) => reply.toolCalls)).toEqual([[], [], [booking]]);
    expect(replies[2]?.toolResults).toEqual([{ call: booking, outcome: { result: BOOKED } }]);

    expect(server.connections).toHaveLength(1);
    const [connection] = server.connections as [FakeConnection];
    const frames = connection.frames.map((frame) =>
      'json' in frame ? (frame.json as { type: string }) : frame,
    );
    // The start message once, then each turn's audio and end, then the tool result of turn 3.
    expect(frames.map((frame) => ('type' in frame ? frame.type : 'binary'))).toEqual([
      'start',
      'audio',
      'end',
      'audio',
      'end',
      'audio',
      'end',
      'tool_result',
    ]);
    expect(frames.at(-1)).toEqual({ type: 'tool_result', id: 't1', ...booking, result: BOOKED });
    const audios = frames.filter((frame) => 'type' in frame && frame.type === 'audio') as unknown as Array<{
      audio: string;
    }>;
    for (const [index, audio] of turns.entries()) {
      const pcm = Buffer.from(audios[index]?.audio ?? '', 'base64');
      expect(new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2)).toEqual(audio.pcm);
    }
    expect(await connection.closed).toBe(1000);
  });

  it('tells the agent when no result is mocked, with the key names configured', async () => {
    server = await startWebSocketServer((connection, frame) => {
      if (isType(frame, 'result')) {
        send(connection.socket, {
          type: 'reply',
          text: `noted ${JSON.stringify((frame as { json: unknown }).json)}`,
        });
        return send(connection.socket, { type: 'turn.done' });
      }
      if (isType(frame, 'end'))
        send(connection.socket, { type: 'tool_call', call: { call_id: 'x', name: 'cancel', arguments: {} } });
    });
    const agent = await create({
      ...options,
      tool_result_message: { type: 'result' },
      id_key: 'call_id',
      tool_result_fields: { id: 'call_id', error: 'problem' },
    });
    const conversation = await agent.converse!();
    const reply = await conversation.turn(turns[0]!);
    await conversation.close();
    const message = "no result is mocked for cancel: add it to the scenario's tool_results";
    expect(reply.toolResults).toEqual([
      { call: { name: 'cancel', arguments: {} }, outcome: { missing: message } },
    ]);
    expect(JSON.parse(reply.text?.replace(/^noted /, '') ?? '')).toEqual({
      type: 'result',
      call_id: 'x',
      name: 'cancel',
      arguments: {},
      problem: message,
    });
  });

  it('rejects the turn whose connection closed, naming it, and rejects later turns at once', async () => {
    server = await startWebSocketServer((connection, frame) => {
      if (isType(frame, 'end') && ends(connection) === 2) return connection.socket.terminate();
      host(connection, frame);
    });
    const conversation = await (await create(options)).converse!();
    expect((await conversation.turn(turns[0]!, { respond })).text).toBe('For how many people?');
    const dropped = (await conversation.turn(turns[1]!, { respond }).catch((e: unknown) => e)) as Error;
    expect(dropped).toBeInstanceOf(AgentError);
    expect(dropped.message).toMatch(
      /^the WebSocket connection ended in turn 2: ws:\/\/127\.0\.0\.1:\d+\/agent closed the connection \(code 1006\) before a message with type "turn.done"; 0 JSON messages$/,
    );
    const later = (await conversation.turn(turns[2]!, { respond }).catch((e: unknown) => e)) as Error;
    expect(later.message).toMatch(/^the WebSocket connection ended in turn 2: .*; turn 3 was not played$/);
    await conversation.close();
    expect(server.connections).toHaveLength(1);
  });

  it('closes the connection when a turn is cancelled, and rejects the later turns', async () => {
    server = await startWebSocketServer((connection, frame) => {
      if (!(isType(frame, 'end') && ends(connection) === 2)) host(connection, frame);
    });
    const conversation = await (await create(options)).converse!();
    await conversation.turn(turns[0]!, { respond });
    const controller = new AbortController();
    const reason = new CancelledError('cancelled by the test');
    const second = conversation.turn(turns[1]!, { respond, signal: controller.signal });
    const [connection] = server.connections as [FakeConnection];
    await waitFor(() => ends(connection) === 2);
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    expect(await connection.closed).toBe(1000);
    await expect(conversation.turn(turns[2]!, { respond })).rejects.toThrow(/turn 3 was not played/);
  });

  it('needs a done rule other than close, and a server that accepts the connection', async () => {
    server = await startWebSocketServer(host, { verifyClient: () => 401 });
    await expect((await create({ ...options, done: { close: true } })).converse!()).rejects.toThrow(
      /`done: \{close: true\}` ends the connection after one turn/,
    );
    await expect((await create(options)).converse!()).rejects.toThrow(
      /refused the WebSocket upgrade with HTTP 401/,
    );
  });
});
