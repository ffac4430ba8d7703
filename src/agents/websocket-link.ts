import type { RawData, WebSocket } from 'ws';
import { AgentError } from '../core/errors.js';
import { excerpt } from '../core/tool-call.js';
import { causeMessage } from './endpoint.js';
import { readPath } from './extract-calls.js';
import type { DoneRule } from './websocket-done-rule.js';

/** A frame from the agent: parsed JSON, or the text of a frame that was not JSON. */
export type Received = { json: unknown } | { text: string };

/**
 * The connection of a run or of a conversation: its frames go to the turn in flight (none between
 * the turns of a conversation: those are dropped), its first failure (an error, a refused upgrade,
 * the server closing) to that turn, or, between turns, to `onLost`. With the `close` rule the
 * server closing ends the turn instead.
 */
/** The server answered the WebSocket upgrade with an HTTP status instead (a 429 asks russo to slow down). */
export class UpgradeRefusedError extends AgentError {
  constructor(
    shownUrl: string,
    readonly status: number,
  ) {
    super(
      `${shownUrl} refused the WebSocket upgrade with HTTP ${status}`,
      status === 401 || status === 403
        ? 'check the credentials in `headers` (and the environment variables they name)'
        : 'check `url`: the endpoint must accept WebSocket connections',
    );
  }
}

export class Link {
  #turn: Turn | undefined;
  #failure: unknown;
  readonly #failed: Promise<never>;
  #reject!: (error: unknown) => void;
  /** Told of a failure while no turn is in flight. */
  onLost: ((error: unknown) => void) | undefined;

  constructor(
    readonly socket: WebSocket,
    private readonly rule: DoneRule,
    private readonly shownUrl: string,
  ) {
    this.#failed = new Promise<never>((_, reject) => (this.#reject = reject));
    this.#failed.catch(() => undefined);
    socket.on('message', (data, isBinary) => this.#turn?.onFrame(data, isBinary));
    socket.on('error', (error) =>
      this.fail(new AgentError(`WebSocket error from ${shownUrl}: ${causeMessage(error)}`)),
    );
    socket.on('unexpected-response', (_request, response) => {
      this.fail(new UpgradeRefusedError(shownUrl, response.statusCode ?? 0));
      response.resume();
    });
    socket.on('close', (code, reason) => {
      const turn = this.#turn;
      if ('close' in rule && turn) return turn.finish();
      const why = reason.length > 0 ? `: ${excerpt(reason.toString(), 100)}` : '';
      this.fail(
        new AgentError(
          `${shownUrl} closed the connection (code ${code}${why})` +
            (turn ? ` before ${describeRule(rule)}; ${turn.summary()}` : ''),
          'check the agent logs, and that `done` names a message the agent really sends',
        ),
      );
    });
  }

  /** Resolves once the socket is open; rejects on a failed handshake, the open timeout or a cancel. */
  async opened(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => this.socket.once('open', () => resolve())),
        this.#failed,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new AgentError(
                  `no connection to ${this.shownUrl} within ${seconds(timeoutMs)}`,
                  'check that the agent is running and `url` is right',
                ),
              ),
            timeoutMs,
          );
          onAbort = () => reject(signal?.reason);
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Starts a turn: the frames from now on are its own, and so is a failure. */
  begin(signal: AbortSignal | undefined, onJson?: (json: unknown) => void): Turn {
    const turn = new Turn(this.rule, this.shownUrl, signal, onJson);
    this.#turn = turn;
    if (this.#failure !== undefined) turn.fail(this.#failure);
    return turn;
  }

  /** Ends the turn in flight: later frames belong to no turn. */
  end(): void {
    this.#turn?.dispose();
    this.#turn = undefined;
  }

  /** Sends one frame and waits until it is written. */
  send(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(data, (error) =>
        error ? reject(new AgentError(`the connection broke while sending: ${error.message}`)) : resolve(),
      ),
    );
  }

  /** Closes the socket politely, and drops it when the server does not finish the close handshake in time. */
  async close(timeoutMs: number): Promise<void> {
    const { socket } = this;
    if (socket.readyState === socket.CLOSED) return;
    if (socket.readyState === socket.CONNECTING) {
      socket.terminate();
      return;
    }
    const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
    socket.close(1000);
    let timer: NodeJS.Timeout | undefined;
    const polite = await Promise.race([
      closed,
      new Promise<boolean>((resolve) => (timer = setTimeout(resolve, timeoutMs, false))),
    ]);
    clearTimeout(timer);
    if (!polite) socket.terminate();
  }

  private fail(error: unknown): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#reject(error);
    if (this.#turn) this.#turn.fail(error);
    else this.onLost?.(error);
  }
}

/**
 * The receiving side of one turn: records its frames and settles `done` when the done rule holds
 * once its audio is sent, or with an error (the connection's failure, the response timeout, a
 * cancel). `onJson` sees each JSON message as it comes (a conversation answers calls with it).
 */
export class Turn {
  readonly received: Received[] = [];
  private jsonCount = 0;
  /** Frames of any kind, binary included. */
  private frames = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private responseTimer: NodeJS.Timeout | undefined;
  private readonly done: Promise<Received[]>;
  private settle!: { resolve: (value: Received[]) => void; reject: (error: unknown) => void };
  private settled = false;
  private readonly onAbort: () => void;

  constructor(
    private readonly rule: DoneRule,
    private readonly shownUrl: string,
    private readonly signal: AbortSignal | undefined,
    private readonly onJson: ((json: unknown) => void) | undefined,
  ) {
    this.done = new Promise<Received[]>((resolve, reject) => (this.settle = { resolve, reject }));
    // Nobody awaits `done` until the audio is sent; a failure before that is rethrown by `finished`.
    this.done.catch(() => undefined);
    this.onAbort = () => this.fail(signal?.reason);
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The frames received once the done rule holds; the response timeout starts now (the audio is sent). */
  finished(timeoutMs: number): Promise<Received[]> {
    if (this.settled) return this.done;
    this.responseTimer = setTimeout(
      () =>
        this.fail(
          new AgentError(
            `no answer from ${this.shownUrl} within ${seconds(timeoutMs)} of the end of the audio: waited for ${describeRule(this.rule)}; ` +
              this.summary(),
            'raise `response_timeout_s`, or check that `done` names a message the agent really sends',
          ),
        ),
      timeoutMs,
    );
    this.armIdle();
    if (this.holds()) this.finish();
    return this.done;
  }

  onFrame(data: RawData, isBinary: boolean): void {
    if (this.settled) return;
    this.frames++;
    if (!isBinary) {
      const text = rawText(data);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        this.received.push({ text });
      }
      if (json !== undefined) {
        this.received.push({ json });
        this.jsonCount++;
        try {
          this.onJson?.(json);
        } catch (error) {
          return this.fail(error);
        }
      }
    }
    // The rules only apply once the audio is out: an early message must not end the turn.
    if (this.responseTimer === undefined) return;
    // Binary frames (the agent's own speech) count for idleness: they show it is still talking.
    this.armIdle();
    if (this.holds()) this.finish();
  }

  /** Settles with the frames so far; later frames (after the agent said it was done) are not part of the turn. */
  finish(): void {
    if (this.settled) return;
    this.settled = true;
    this.dispose();
    this.settle.resolve([...this.received]);
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.dispose();
    this.settle.reject(error);
  }

  /** How many JSON messages came, and the last frame: for messages about a turn that did not end well. */
  summary(): string {
    return `${this.jsonCount} JSON messages${lastMessage(this.received)}`;
  }

  /** Stops the timers and listeners. */
  dispose(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.responseTimer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  /** (Re)starts the idle countdown of an `idleMs` rule, once the agent has sent something. */
  private armIdle(): void {
    if (!('idleMs' in this.rule) || this.frames === 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.finish(), this.rule.idleMs);
  }

  /** True when the frames so far satisfy a rule that is about messages (type, field, count). */
  private holds(): boolean {
    const rule = this.rule;
    if ('count' in rule) return this.jsonCount >= rule.count;
    if (!('messageType' in rule) && !('field' in rule)) return false;
    return this.received.some((item) => {
      if (!('json' in item)) return false;
      if ('field' in rule) return readPath(item.json, rule.field).found;
      const type = readPath(item.json, rule.typeKey ?? 'type');
      return type.found && type.value === rule.messageType;
    });
  }
}

/** A rule in words, for messages: `a message with type "response.done"`. */
export function describeRule(rule: DoneRule): string {
  if ('messageType' in rule) return `a message with ${rule.typeKey ?? 'type'} "${rule.messageType}"`;
  if ('field' in rule) return `a message with \`${rule.field}\``;
  if ('count' in rule) return `${rule.count} JSON messages`;
  if ('idleMs' in rule) return `${rule.idleMs} ms without a message`;
  return 'the server closing the connection';
}

/** `; the last was …` for the last frame received, or nothing. */
export function lastMessage(received: Received[]): string {
  const last = received.at(-1);
  if (last === undefined) return '';
  return `; the last was ${excerpt('json' in last ? JSON.stringify(last.json) : last.text)}`;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
