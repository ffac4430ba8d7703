import { AgentError } from '../core/errors.js';
import type {
  Agent,
  AgentConversation,
  AgentResponse,
  AgentRunOptions,
  Audio,
  ConversationOptions,
  ToolCall,
  TurnOptions,
} from '../core/types.js';

/** An agent written as a function: it hears the audio and returns its response, or just its calls. */
export type AgentFunction = (
  audio: Audio,
  options: AgentRunOptions,
) => Promise<AgentResponse | ToolCall[]> | AgentResponse | ToolCall[];

/** Where a conversation of a FunctionAgent stands, handed to its turn function with each turn. */
export interface FunctionConversation {
  /** Numbers the agent's conversations: 1, 2, … */
  id: number;
  /** 0-based index of the turn being played. */
  turn: number;
  /** What the function keeps between the turns of this conversation (its context); starts empty. */
  state: Record<string, unknown>;
}

/** One turn of a conversation, written as a function: the same conversation object comes with every turn of it. */
export type TurnFunction = (
  audio: Audio,
  options: TurnOptions,
  conversation: FunctionConversation,
) => Promise<AgentResponse | ToolCall[]> | AgentResponse | ToolCall[];

/**
 * An agent written as functions: `turn` holds conversations, `run` answers single prompts. Without
 * `run`, a single prompt is a conversation of one turn.
 */
export interface AgentFunctions {
  run?: AgentFunction;
  turn?: TurnFunction;
}

/**
 * Wraps in-process functions as an Agent (for library users, tests and `provider: module`): a bare
 * function answers single prompts only; `{turn}` (and optionally `run`) also holds conversations.
 */
export class FunctionAgent implements Agent {
  readonly id: string;
  /** Present only when a turn function was given: an agent without one cannot hold a conversation. */
  readonly converse?: (options?: ConversationOptions) => Promise<AgentConversation>;
  private readonly runFunction: AgentFunction;
  private conversations = 0;

  constructor(fn: AgentFunction | AgentFunctions, id?: string) {
    const { run, turn } = typeof fn === 'function' ? { run: fn, turn: undefined } : fn;
    const named = run ?? turn;
    if (named === undefined) {
      throw new TypeError('FunctionAgent needs a function, or an object with `turn` (and optionally `run`)');
    }
    this.id = id ?? `function:${named.name || 'anonymous'}`;
    this.runFunction =
      run ??
      ((audio, options) =>
        (turn as TurnFunction)(audio, options, { id: ++this.conversations, turn: 0, state: {} }));
    if (turn) this.converse = async () => this.conversationOf(turn);
  }

  /** Calls the function; a bare array of calls is taken as `{toolCalls}`. */
  async run(audio: Audio, options: AgentRunOptions = {}): Promise<AgentResponse> {
    return asResponse(await this.runFunction(audio, options));
  }

  private conversationOf(turn: TurnFunction): AgentConversation {
    const conversation: FunctionConversation = { id: ++this.conversations, turn: 0, state: {} };
    let closed = false;
    return {
      async turn(audio, options = {}) {
        if (closed) throw new AgentError('the conversation was closed');
        try {
          return asResponse(await turn(audio, options, conversation));
        } finally {
          conversation.turn++;
        }
      },
      async close() {
        closed = true;
      },
    };
  }
}

function asResponse(response: AgentResponse | ToolCall[]): AgentResponse {
  return Array.isArray(response) ? { toolCalls: response } : response;
}
