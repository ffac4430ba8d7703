import { AgentError, errorMessage, FatalProviderError, RussoError } from '../core/errors.js';
import { respondWith } from '../core/tool-call.js';
import type { AgentConversation, AgentResponse, Audio, ToolResponder } from '../core/types.js';

/**
 * Answers the calls of a conversation turn that came without a responder: each is told that no
 * result is mocked. A session cannot go on with calls left unanswered (chat completions rejects
 * the history, a Realtime or Live model waits for the output), so a conversation always answers.
 */
export const NO_MOCKS: ToolResponder = respondWith({});

/** Plays one turn of a conversation: its index (0-based), its calls answered with `respond`. */
export type PlayTurn = (
  audio: Audio,
  index: number,
  respond: ToolResponder,
  signal: AbortSignal | undefined,
) => Promise<AgentResponse>;

/** A conversation whose turns `playTurn` plays, kept by `turns` (a turn without a responder answers with NO_MOCKS). */
export function conversationOf(turns: ConversationTurns, playTurn: PlayTurn): AgentConversation {
  return {
    turn: (audio, options = {}) =>
      turns.play(options.signal, (index, signal) =>
        playTurn(audio, index, options.respond ?? NO_MOCKS, signal),
      ),
    close: () => turns.close(),
  };
}

/**
 * A conversation whose session is state russo keeps (a message history, a conversation id), made
 * of requests: there is no connection to close.
 */
export function requestConversation(signal: AbortSignal | undefined, playTurn: PlayTurn): AgentConversation {
  return conversationOf(new ConversationTurns('the conversation', signal, () => undefined), playTurn);
}

/**
 * The bookkeeping every agent's conversation shares: one turn at a time, numbered; the
 * conversation's signal joined to each turn's, with an optional deadline per turn; and the end of
 * the session. A turn that fails ends the conversation: its session is ended, the turn rejects
 * with an AgentError that names the turn (a fatal error keeps its kind, so the suite still stops;
 * a cancel or timeout rejects with its reason), and every later turn rejects at once saying where
 * it ended. A session lost between turns (`lost`) makes the next turn reject likewise. A dropped
 * session is never opened again behind the caller's back: the context would be lost.
 */
export class ConversationTurns {
  #played = 0;
  #inTurn = false;
  #closed = false;
  #ended: RussoError | undefined;
  #sessionEnded = false;

  /**
   * @param what names the session in messages, e.g. `the Realtime session`
   * @param signal the conversation's own signal (its timeout, the suite's cancel)
   * @param endSession closes the session; called once, when the conversation ends or is closed
   * @param turnTimeoutMs time one turn may take (its deadline), for agents without one of their own
   */
  constructor(
    private readonly what: string,
    private readonly signal: AbortSignal | undefined,
    private readonly endSession: () => void | Promise<void>,
    private readonly turnTimeoutMs?: number,
  ) {}

  /**
   * Plays turn `play(index, signal)` (index 0-based) once the checks pass, with the conversation's
   * signal, the turn's and the deadline joined; its failure ends the conversation.
   */
  async play<T>(
    turnSignal: AbortSignal | undefined,
    play: (index: number, signal: AbortSignal | undefined) => Promise<T>,
  ): Promise<T> {
    if (this.#closed) throw new AgentError('the conversation was closed');
    if (this.#inTurn) throw new AgentError('a turn of this conversation is still in flight');
    const index = this.#played++;
    if (this.#ended) throw copy(this.#ended, `${this.#ended.message}; turn ${index + 1} was not played`);
    const deadline = this.turnTimeoutMs === undefined ? undefined : AbortSignal.timeout(this.turnTimeoutMs);
    const stops = [this.signal, turnSignal].filter((signal) => signal !== undefined);
    const signals = deadline ? [...stops, deadline] : stops;
    this.#inTurn = true;
    try {
      return await play(index, signals.length > 1 ? AbortSignal.any(signals) : signals[0]);
    } catch (caught) {
      const stopped = stops.find((signal) => signal.aborted);
      const error =
        deadline?.aborted && !stopped
          ? new AgentError(`no complete answer within ${(this.turnTimeoutMs ?? 0) / 1000} s`)
          : caught;
      this.#ended = copy(error, `${this.what} ended in turn ${index + 1}: ${errorMessage(error)}`);
      await this.end();
      throw stopped && caught === stopped.reason ? caught : this.#ended;
    } finally {
      this.#inTurn = false;
    }
  }

  /** The session failed while no turn was in flight: the next turn rejects with this. */
  lost(error: unknown): void {
    if (this.#inTurn || this.#ended || this.#closed) return;
    const when = this.#played === 0 ? 'before its first turn' : `after turn ${this.#played}`;
    this.#ended = copy(error, `${this.what} ended ${when}: ${errorMessage(error)}`);
    void this.end();
  }

  /** Ends the session; idempotent, never throws. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.end();
  }

  private async end(): Promise<void> {
    if (this.#sessionEnded) return;
    this.#sessionEnded = true;
    try {
      await this.endSession();
    } catch {
      // Closing a session that already broke may fail too: the conversation is over either way.
    }
  }
}

/** `error` under a new message: a fatal error stays fatal (it stops the suite), anything else is an AgentError. */
function copy(error: unknown, message: string): RussoError {
  const hint = error instanceof RussoError ? error.hint : undefined;
  return error instanceof FatalProviderError
    ? new FatalProviderError(message, hint)
    : new AgentError(message, hint);
}
