import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the fake server received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What a test's handler gets: the request and the response to write (or to break). */
export type FakeHandler = (request: RecordedRequest, response: ServerResponse, index: number) => unknown;

/** A real HTTP server on 127.0.0.1 that plays an agent endpoint; `requests` records what russo sent. */
export interface FakeHttpServer {
  url: string;
  requests: RecordedRequest[];
  /** Connections closed by the client before the server answered (a cancelled or timed-out run). */
  abortedByClient: number;
  close(): Promise<void>;
}

/** Starts a fake endpoint on a free port; each request is read whole, then given to `handler`. */
export async function startHttpServer(handler: FakeHandler): Promise<FakeHttpServer> {
  const sockets = new Set<Socket>();
  const fake: FakeHttpServer = {
    url: '',
    requests: [],
    abortedByClient: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    fake.requests.push(request);
    res.on('close', () => {
      if (!res.writableFinished) fake.abortedByClient++;
    });
    await handler(request, res, fake.requests.length - 1);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** Writes a JSON answer. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** The parsed JSON body of a request. */
export function jsonBody(request: RecordedRequest): Record<string, unknown> {
  return JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
}
