// The http and websocket agents built from a config count what they send in the suite's provider
// counters, as the OpenAI and Gemini providers do, and a spent quota stops the suite.
import { afterEach, describe, expect, it } from 'vitest';
import { loadSuite } from '../../src/suite/load.js';
import { runSuite } from '../../src/suite/run.js';
import { sendJson, startHttpServer, type FakeHttpServer } from '../fakes/http-server.js';
import { isType, startWebSocketServer, type FakeWebSocketServer } from '../fakes/websocket-server.js';
import { project } from '../fixtures/project.js';

const SCENARIO = 'name: book\nprompts: [Book a table for two]\nruns: 2\nexpect: [{ name: book_table }]\n';
const BOOKED = { tool_calls: [{ name: 'book_table', arguments: { party_size: 2 } }] };

/** A project whose agent is `agent` (YAML lines), one prompt run twice in one voice, one run at a time. */
async function suiteWith(agent: string) {
  const cwd = project({
    'russo.config.yaml': `synthesizer: { provider: flite, voices: [kal16] }\nmax_concurrency: 1\n${agent}`,
    'scenarios/book.yaml': SCENARIO,
  });
  return loadSuite(undefined, { cwd });
}

let http: FakeHttpServer | undefined;
let ws: FakeWebSocketServer | undefined;
afterEach(async () => {
  await http?.close();
  await ws?.close();
  http = undefined;
  ws = undefined;
});

describe('provider counters of the http and websocket agents', () => {
  it('http: every POST is a request, a 429 a throttle and its second attempt a retry', async () => {
    http = await startHttpServer((_request, response, index) =>
      index === 0
        ? sendJson(response, 429, { error: 'slow down' }, { 'retry-after': '0' })
        : sendJson(response, 200, BOOKED),
    );
    const suite = await suiteWith(`agent: { provider: http, url: '${http.url}' }\n`);
    const result = await runSuite(suite, { cacheDir: false });
    expect(result.summary).toMatchObject({ passed: 2, errored: 0 });
    expect(result.providers).toMatchObject({ requests: 3, retries: 1, throttles: 1 });
  });

  it('http: a 429 insufficient_quota is not retried and stops the suite', async () => {
    http = await startHttpServer((_request, response) =>
      sendJson(response, 429, {
        error: {
          message: 'You exceeded your current quota',
          type: 'insufficient_quota',
          code: 'insufficient_quota',
        },
      }),
    );
    const suite = await suiteWith(`agent: { provider: http, url: '${http.url}' }\n`);
    const result = await runSuite(suite, { cacheDir: false });
    expect(http.requests).toHaveLength(1);
    expect(result.stoppedBy).toMatch(/quota/);
    expect(result.scenarios[0]?.runs[0]).toMatchObject({ status: 'error', fatal: true });
    expect(result.gate.failures.map((failure) => failure.kind)).toContain('stopped');
  });

  it('websocket: every connection is a request, an upgrade refused with 429 a throttle', async () => {
    let refused = false;
    ws = await startWebSocketServer(
      (connection, frame) => {
        if (isType(frame, 'end')) connection.socket.send(JSON.stringify(BOOKED));
      },
      {
        verifyClient: () => {
          if (refused) return undefined;
          refused = true;
          return 429;
        },
      },
    );
    const suite = await suiteWith(
      `agent: { provider: websocket, url: '${ws.url}', end_message: { type: end }, done: { count: 1 } }\n`,
    );
    const result = await runSuite(suite, { cacheDir: false });
    expect(result.summary).toMatchObject({ passed: 1, errored: 1 });
    expect(result.scenarios[0]?.runs[0]?.error).toMatch(/refused the WebSocket upgrade with HTTP 429/);
    expect(result.providers).toMatchObject({ requests: 2, retries: 0, throttles: 1 });
  });
});
