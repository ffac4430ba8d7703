import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A frame the fake received: parsed JSON from a text frame, or the bytes of a binary frame. */
export type ReceivedFrame = { json: unknown } | { binary: Buffer };

/** One client connection as the fake saw it. */
export interface FakeConnection {
  headers: IncomingHttpHeaders;
  path: string;
  frames: ReceivedFrame[];
  /** Resolves with the close code once the connection is closed, by either side. */
  closed: Promise<number>;
  socket: WebSocket;
}

/** A real WebSocket server on 127.0.0.1 that plays an agent; the test scripts each connection. */
export interface FakeWebSocketServer {
  url: string;
  connections: FakeConnection[];
  close(): Promise<void>;
}

/**
 * Starts a fake agent. `onFrame` is called for every frame after it is recorded, with the
 * connection, so a test can answer when it sees the end of the audio.
 */
export async function startWebSocketServer(
  onFrame: (connection: FakeConnection, frame: ReceivedFrame) => void | Promise<void>,
  options: { verifyClient?: (headers: IncomingHttpHeaders) => number | undefined } = {},
): Promise<FakeWebSocketServer> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (info, callback) => {
      const refusal = options.verifyClient?.(info.req.headers);
      if (refusal === undefined) callback(true);
      else callback(false, refusal, 'refused by the fake');
    },
  });
  const fake: FakeWebSocketServer = {
    url: '',
    connections: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket, request) => {
    const connection: FakeConnection = {
      headers: request.headers,
      path: request.url ?? '',
      frames: [],
      closed: new Promise((resolve) => socket.on('close', (code) => resolve(code))),
      socket,
    };
    fake.connections.push(connection);
    socket.on('message', async (data, isBinary) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
      const frame: ReceivedFrame = isBinary
        ? { binary: bytes }
        : { json: JSON.parse(bytes.toString('utf8')) };
      connection.frames.push(frame);
      await onFrame(connection, frame);
    });
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  fake.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** True for the JSON frame `{type}` (the end marker the tests send after the audio). */
export function isType(frame: ReceivedFrame, type: string): boolean {
  return 'json' in frame && (frame.json as { type?: unknown } | null)?.type === type;
}
