import type {
  ChatCompletion,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { encodeWav } from '../audio/wav.js';
import type { Usage } from '../providers/cost.js';
import { AgentError } from '../core/errors.js';
import type { AgentProvider } from '../core/provider.js';
import { answerCall, normalizeToolCall, toolOutput } from '../core/tool-call.js';
import type {
  Agent,
  AgentConversation,
  AgentResponse,
  AgentRunOptions,
  Audio,
  ConversationOptions,
  ToolCall,
  ToolExchange,
  ToolResponder,
} from '../core/types.js';
import {
  openAIAgentFromConfig,
  openAIAgentSchema,
  type OpenAIAgentOptions,
  type ToolChoice,
} from '../providers/openai/agent-options.js';
import {
  OPENAI_KEY_ENV,
  OpenAIConnection,
  type OpenAIConnectionOptions,
} from '../providers/openai/client.js';
import { requestConversation } from './conversation-turns.js';

const DEFAULT_MODEL = 'gpt-audio';

/** Options of the audio chat agent. */
export type OpenAIAudioChatOptions = OpenAIAgentOptions & OpenAIConnectionOptions;

/**
 * A voice agent built on chat completions with audio input (gpt-audio, gpt-4o-audio-preview): the
 * prompt's audio goes in as a WAV `input_audio` part, the calls come back in `message.tool_calls`.
 * With mocked tool results it answers each call and gathers the follow-up calls, up to `maxTurns`.
 * A conversation keeps the message history and sends it whole with each request.
 */
export class OpenAIAudioChatAgent implements Agent {
  readonly id: string;
  private readonly model: string;
  // ES-private: the options and the client hold the key, and must not show in logs or JSON of the agent.
  readonly #options: OpenAIAudioChatOptions;
  readonly #connection: OpenAIConnection;

  constructor(options: OpenAIAudioChatOptions = {}) {
    this.#options = options;
    this.model = options.model ?? DEFAULT_MODEL;
    this.id = `openai-chat:${this.model}`;
    this.#connection = new OpenAIConnection(options, 'OpenAI chat');
  }

  /** Plays the audio to the model and returns its tool calls, text, usage and estimated cost. */
  async run(audio: Audio, options: AgentRunOptions = {}): Promise<AgentResponse> {
    const messages = [...this.instructions(), userAudio(audio)];
    return this.complete(messages, options.respond, options.signal, 'stop');
  }

  /**
   * Starts a conversation: the message history (the instructions, each turn's audio as a user
   * message, the assistant's messages with their tool calls, the tool messages with the mocked
   * results) is sent whole with each request, as a chat client keeps it.
   */
  async converse(options: ConversationOptions = {}): Promise<AgentConversation> {
    const messages = this.instructions();
    return requestConversation(options.signal, (audio, _index, respond, signal) => {
      messages.push(userAudio(audio));
      return this.complete(messages, respond, signal, 'fail');
    });
  }

  private instructions(): ChatCompletionMessageParam[] {
    const { instructions } = this.#options;
    return instructions ? [{ role: 'system', content: instructions }] : [];
  }

  /**
   * Asks for completions of `messages` until the model's turn is over: each round of calls is
   * answered with `respond` (the assistant message and the tool messages join `messages`), up to
   * `maxTurns` rounds, past which the turn stops (`stop`) or fails (`fail`, in a conversation,
   * whose history must not hold calls without results). The last assistant message joins
   * `messages` too, so a conversation's next turn has it.
   */
  private async complete(
    messages: ChatCompletionMessageParam[],
    respond: ToolResponder | undefined,
    signal: AbortSignal | undefined,
    overLimit: 'stop' | 'fail',
  ): Promise<AgentResponse> {
    const toolCalls: ToolCall[] = [];
    const exchanges: ToolExchange[] = [];
    const texts: string[] = [];
    const usage: Usage = {};
    let latencyMs: number | undefined;
    const maxTurns = this.#options.maxTurns ?? 4;
    try {
      const client = await this.#connection.client();
      for (let turn = 0; ; turn++) {
        const started = performance.now();
        const completion = await this.#connection.call('completion', signal, (attemptSignal) =>
          client.chat.completions.create(this.request(messages), { signal: attemptSignal }),
        );
        latencyMs ??= performance.now() - started;
        addUsage(usage, completion.usage);
        const message = completion.choices[0]?.message;
        if (!message)
          throw new AgentError('the chat completion has no choice', 'check `base_url` and `model`');
        if (message.content) texts.push(message.content);
        const calls = (message.tool_calls ?? []).filter((call) => call.type === 'function');
        const made = calls.map((call) => normalizeToolCall(call.function.name, call.function.arguments));
        toolCalls.push(...made);
        if (calls.length === 0) {
          if (message.content) messages.push({ role: 'assistant', content: message.content });
          break;
        }
        if (!respond) break;
        if (turn >= maxTurns) {
          if (overLimit === 'stop') break;
          throw new AgentError(
            `the model kept calling tools: more than ${maxTurns} rounds of results in one turn`,
            'raise `max_turns`, or check the mocked tool_results of the scenario: the model may be retrying a result it cannot use',
          );
        }
        const answered = calls.map((call, index) => {
          const exchange = answerCall(made[index] as ToolCall, respond);
          exchanges.push(exchange);
          return { role: 'tool' as const, tool_call_id: call.id, content: toolOutput(exchange.outcome) };
        });
        messages.push({ role: 'assistant', content: message.content, tool_calls: calls }, ...answered);
      }
    } catch (error) {
      throw this.#connection.failure(error, AgentError, signal);
    }
    return this.#connection.withCost(
      {
        toolCalls,
        ...(texts.length ? { text: texts.join('\n') } : {}),
        ...(exchanges.length ? { toolResults: exchanges } : {}),
        ...(latencyMs === undefined ? {} : { latencyMs }),
        usage: usage as Record<string, number>,
      },
      this.model,
    );
  }

  private request(messages: ChatCompletionMessageParam[]) {
    const tools = (this.#options.tools ?? []).map((tool): ChatCompletionTool => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        ...(tool.parameters ? { parameters: tool.parameters } : {}),
      },
    }));
    return {
      model: this.model,
      modalities: ['text' as const],
      messages,
      ...(tools.length ? { tools, tool_choice: chatToolChoice(this.#options.toolChoice ?? 'auto') } : {}),
    };
  }
}

/** A user message that is the caller's audio only: a WAV `input_audio` part, no text. */
function userAudio(audio: Audio): ChatCompletionMessageParam {
  return {
    role: 'user',
    content: [
      { type: 'input_audio', input_audio: { data: encodeWav(audio).toString('base64'), format: 'wav' } },
    ],
  };
}

function chatToolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

/** Adds a completion's usage in russo's names; audio and text are split as the details report them. */
function addUsage(total: Usage, usage: ChatCompletion['usage']): void {
  if (!usage) return;
  const inputAudio = usage.prompt_tokens_details?.audio_tokens ?? 0;
  const outputAudio = usage.completion_tokens_details?.audio_tokens ?? 0;
  const add = (key: keyof Usage, value: number) => (total[key] = (total[key] ?? 0) + value);
  add('input_audio_tokens', inputAudio);
  add('input_text_tokens', usage.prompt_tokens - inputAudio);
  add('cached_text_tokens', usage.prompt_tokens_details?.cached_tokens ?? 0);
  add('output_audio_tokens', outputAudio);
  add('output_text_tokens', usage.completion_tokens - outputAudio);
}

/** `provider: openai-chat`: chat completions with audio input. */
export const openAIChatAgentProvider: AgentProvider = {
  id: 'openai-chat',
  description:
    'OpenAI chat completions with audio input (gpt-audio, gpt-4o-audio-preview): calls from tool_calls.',
  secretEnv: [OPENAI_KEY_ENV],
  optionsSchema: {
    type: 'object',
    properties: openAIAgentSchema(`An audio chat model (default ${DEFAULT_MODEL}).`),
    additionalProperties: false,
  },
  async create(options, context) {
    return new OpenAIAudioChatAgent(await openAIAgentFromConfig(options, context, DEFAULT_MODEL));
  },
};
