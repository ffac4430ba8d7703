import { encodeWav } from '../audio/wav.js';
import { AgentError } from '../core/errors.js';
import type { AgentConversation, AgentResponse, Audio, TurnOptions } from '../core/types.js';
import type { LineProcess } from './command-lines.js';

/**
 * One conversation with a command agent: every turn goes to the same process (a serve-mode process
 * held from the pool, or the conversation's own spawn-mode process) as a request carrying the
 * conversation's id and the turn number. When the process dies, the turn in flight fails with its
 * stderr and every later turn says the session has ended.
 */
export class CommandConversation implements AgentConversation {
  private turns = 0;
  private inTurn = false;
  private closed = false;

  /**
   * @param id unique among the agent's conversations
   * @param signal the conversation's own signal (its timeout, the suite's cancel), besides each turn's
   * @param release gives the process back to the pool, or ends it
   */
  constructor(
    private readonly process: LineProcess,
    private readonly id: string,
    private readonly signal: AbortSignal | undefined,
    private readonly release: () => Promise<void>,
  ) {}

  /** Plays one caller turn; resolves with the agent's calls, the tool results russo gave and its reply. */
  async turn(audio: Audio, options: TurnOptions = {}): Promise<AgentResponse> {
    if (this.closed) throw new AgentError('the conversation was closed');
    if (this.inTurn) throw new AgentError('a turn of this conversation is still in flight');
    const turn = this.turns++;
    const ended = this.process.ended;
    if (ended) {
      throw turn === 0
        ? ended
        : new AgentError(`the agent's session ended before turn ${turn + 1}: ${ended.message}`, ended.hint);
    }
    const signals = [this.signal, options.signal].filter(
      (signal): signal is AbortSignal => signal !== undefined,
    );
    this.inTurn = true;
    try {
      return await this.process.request(
        encodeWav(audio),
        { conversation: this.id, turn },
        options.respond,
        signals.length > 1 ? AbortSignal.any(signals) : signals[0],
      );
    } finally {
      this.inTurn = false;
    }
  }

  /** Gives the process back (serve) or ends it (spawn); idempotent, never throws. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A turn still in flight leaves the program mid-request: it cannot serve anyone else.
    if (this.inTurn) this.process.kill(new AgentError('the conversation was closed during a turn'));
    await this.release().catch(() => undefined);
  }
}
