import type {
  Content,
  FunctionCallingConfigMode,
  GenerateContentConfig,
  GenerateContentResponse,
  GoogleGenAI,
} from '@google/genai';
import { encodeWav } from '../audio/wav.js';
import { AgentError } from '../core/errors.js';
import type { AgentProvider } from '../core/provider.js';
import { answerCall, normalizeToolCall } from '../core/tool-call.js';
import type {
  Agent,
  AgentConversation,
  AgentResponse,
  AgentRunOptions,
  Audio,
  ConversationOptions,
  ToolCall,
  ToolDefinition,
  ToolExchange,
  ToolResponder,
} from '../core/types.js';
import {
  GEMINI_CONNECTION_SCHEMA,
  GEMINI_KEY_ENV,
  GeminiConnection,
  geminiConnectionFromConfig,
  type GeminiConnectionOptions,
} from '../providers/gemini/client.js';
import { functionDeclarations, functionResponse } from '../providers/gemini/tools.js';
import { geminiUsage } from '../providers/gemini/usage.js';
import { requestConversation } from './conversation-turns.js';
import { mergeAnswers } from './merge-answers.js';

/** How freely the model may call tools: auto (it decides), any (it must call one), none. */
export type GeminiToolChoice = 'auto' | 'any' | 'none';

/** Options of the Gemini agents (generateContent and Live): the agent as it runs in production. */
export interface GeminiAgentOptions extends GeminiConnectionOptions {
  /** The model under test, e.g. gemini-2.5-flash. */
  model: string;
  /** The system instruction. */
  instructions?: string;
  tools?: ToolDefinition[];
  temperature?: number;
  toolChoice?: GeminiToolChoice;
  /** Most rounds of calls answered with the scenario's mocked results in one run (default 8), against endless loops. */
  maxToolRounds?: number;
}

/** The config keys the two Gemini agents share, as JSON Schema properties. */
export const GEMINI_AGENT_SCHEMA = {
  model: { type: 'string', description: 'The model under test.' },
  instructions: { type: 'string', description: 'The system instruction of the agent.' },
  temperature: { type: 'number', minimum: 0, maximum: 2 },
  tool_choice: {
    enum: ['auto', 'any', 'none'],
    description: 'auto (default), any (must call a tool) or none.',
  },
  max_tool_rounds: {
    type: 'integer',
    minimum: 1,
    description: 'Most rounds of mocked tool results (default 8).',
  },
  ...GEMINI_CONNECTION_SCHEMA,
} as const;

/** Reads the shared agent keys of a config (the tools come from the config's tools file). */
export function geminiAgentFromConfig(
  options: Record<string, unknown>,
  context: Parameters<AgentProvider['create']>[1],
): GeminiAgentOptions {
  const model = String(options.model);
  return {
    ...geminiConnectionFromConfig(options, context, model),
    model,
    tools: context.tools,
    ...(typeof options.instructions === 'string' ? { instructions: options.instructions } : {}),
    ...(typeof options.temperature === 'number' ? { temperature: options.temperature } : {}),
    ...(typeof options.tool_choice === 'string'
      ? { toolChoice: options.tool_choice as GeminiToolChoice }
      : {}),
    ...(typeof options.max_tool_rounds === 'number' ? { maxToolRounds: options.max_tool_rounds } : {}),
  };
}

/**
 * A Gemini model as the agent under test through `models.generateContent`: the audio goes inline
 * as a WAV file (no text beside it), with the agent's system instruction and tools; the calls are
 * the `functionCall` parts of every candidate. When the scenario mocks tool results, the model's
 * turn and the results (`functionResponse` parts) go back in the next request and its further
 * calls are gathered too, for at most `maxToolRounds` rounds. A conversation keeps the contents
 * history and sends it whole with each request.
 */
export class GeminiAgent implements Agent {
  readonly id: string;
  // ES-private: the options and the client hold the key, and must not show in logs or JSON of the agent.
  readonly #options: GeminiAgentOptions;
  readonly #connection: GeminiConnection;

  constructor(options: GeminiAgentOptions) {
    this.#options = options;
    if (!options.model)
      throw new AgentError('the gemini agent needs a model', 'set `model`, e.g. gemini-2.5-flash');
    this.id = `gemini:${options.model}`;
    this.#connection = new GeminiConnection(options, 'Gemini');
  }

  /**
   * One request, and one more per round of mocked tool results; throttles, 5xx, dropped
   * connections and timeouts are retried request by request.
   */
  async run(audio: Audio, options: AgentRunOptions = {}): Promise<AgentResponse> {
    return this.generateTurn([userAudio(audio)], options.respond, options.signal, 'stop');
  }

  /**
   * Starts a conversation: the contents history (each turn's audio, the model's turns with their
   * calls, the function responses with the mocked results) is sent whole with each request.
   */
  async converse(options: ConversationOptions = {}): Promise<AgentConversation> {
    const contents: Content[] = [];
    return requestConversation(options.signal, (audio, _index, respond, signal) => {
      contents.push(userAudio(audio));
      return this.generateTurn(contents, respond, signal, 'fail');
    });
  }

  /**
   * Asks for the model's answer to `contents` until its turn is over: each round of calls is
   * answered with `respond` (its turn and the function responses join `contents`), for at most
   * `maxToolRounds` rounds, past which the turn stops (`stop`) or fails (`fail`, in a conversation,
   * whose history must not hold calls without responses). The model's last turn joins `contents`
   * too, so a conversation's next turn has it.
   */
  private async generateTurn(
    contents: Content[],
    respond: ToolResponder | undefined,
    signal: AbortSignal | undefined,
    overLimit: 'stop' | 'fail',
  ): Promise<AgentResponse> {
    const maxRounds = this.#options.maxToolRounds ?? 8;
    const answers: AgentResponse[] = [];
    const exchanges: ToolExchange[] = [];
    try {
      const client = await this.#connection.client();
      for (let round = 0; ; round++) {
        const response = await this.generate(client, contents, signal);
        answers.push(readResponse(response));
        const turn = response.candidates?.[0]?.content;
        const calls = (turn?.parts ?? []).flatMap((part) => (part.functionCall ? [part.functionCall] : []));
        if (!turn || calls.length === 0) {
          if (turn?.parts?.length) contents.push({ ...turn, role: 'model' });
          break;
        }
        if (!respond) break;
        if (round >= maxRounds) {
          if (overLimit === 'stop') break;
          throw new AgentError(
            `the model kept calling tools: more than ${maxRounds} rounds in one turn`,
            'raise `max_tool_rounds`, or check the mocked tool_results of the scenario: the model may be retrying a result it cannot use',
          );
        }
        const parts = calls.map((call) => {
          const exchange = answerCall(normalizeToolCall(call.name ?? '', call.args), respond);
          exchanges.push(exchange);
          return { functionResponse: functionResponse(call, exchange.outcome) };
        });
        contents.push(turn, { role: 'user', parts });
      }
    } catch (error) {
      throw this.#connection.failure(error, AgentError, signal);
    }
    const merged = mergeAnswers(answers);
    if (exchanges.length > 0) merged.toolResults = exchanges;
    return this.#connection.withCost(merged, this.#options.model);
  }

  private generate(
    client: GoogleGenAI,
    contents: Content[],
    runSignal: AbortSignal | undefined,
  ): Promise<GenerateContentResponse> {
    return this.#connection.call(`generateContent (${this.#options.model})`, runSignal, (signal) =>
      client.models.generateContent({
        model: this.#options.model,
        contents,
        config: {
          ...sharedConfig(this.#options, 'generate'),
          ...(this.#options.toolChoice === undefined
            ? {}
            : { toolConfig: { functionCallingConfig: { mode: CHOICE_MODES[this.#options.toolChoice] } } }),
          abortSignal: signal,
        },
      }),
    );
  }
}

/** A user turn that is the caller's audio only: a WAV file inline, no text. */
function userAudio(audio: Audio): Content {
  return {
    role: 'user',
    parts: [{ inlineData: { mimeType: 'audio/wav', data: encodeWav(audio).toString('base64') } }],
  };
}

/** The system instruction, tools and temperature: what a request and a Live session set alike. */
export function sharedConfig(
  options: GeminiAgentOptions,
  api: 'generate' | 'live',
): Pick<GenerateContentConfig, 'systemInstruction' | 'tools' | 'temperature'> {
  const tools = options.tools ?? [];
  return {
    ...(options.instructions ? { systemInstruction: options.instructions } : {}),
    ...(tools.length > 0 ? { tools: [{ functionDeclarations: functionDeclarations(tools, api) }] } : {}),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
  };
}

// The values of the SDK's FunctionCallingConfigMode, written out: the SDK is loaded only when a call is made.
const CHOICE_MODES: Readonly<Record<GeminiToolChoice, FunctionCallingConfigMode>> = {
  auto: 'AUTO' as FunctionCallingConfigMode,
  any: 'ANY' as FunctionCallingConfigMode,
  none: 'NONE' as FunctionCallingConfigMode,
};

/** The calls of every candidate, its text, and the usage counters; a blocked prompt is an AgentError. */
function readResponse(response: GenerateContentResponse): AgentResponse {
  const candidates = response.candidates ?? [];
  const blocked = response.promptFeedback?.blockReason;
  if (candidates.length === 0 && blocked) {
    throw new AgentError(
      `Gemini blocked the audio (${blocked}${response.promptFeedback?.blockReasonMessage ? `: ${response.promptFeedback.blockReasonMessage}` : ''})`,
      'check the safety settings of the project, or the audio of this prompt',
    );
  }
  const toolCalls: ToolCall[] = [];
  const texts: string[] = [];
  for (const candidate of candidates) {
    for (const part of candidate.content?.parts ?? []) {
      if (part.functionCall?.name)
        toolCalls.push(normalizeToolCall(part.functionCall.name, part.functionCall.args));
      else if (typeof part.text === 'string' && !part.thought) texts.push(part.text);
    }
  }
  const result: AgentResponse = { toolCalls };
  if (texts.length > 0) result.text = texts.join('');
  const usage = geminiUsage(response.usageMetadata, 'text');
  if (usage) result.usage = usage as Record<string, number>;
  return result;
}

/** `provider: gemini`: a Gemini model heard through generateContent. */
export const geminiAgentProvider: AgentProvider = {
  id: 'gemini',
  description:
    'A Gemini model as the agent (models.generateContent): the audio inline as WAV, the tools as function declarations.',
  secretEnv: GEMINI_KEY_ENV,
  optionsSchema: {
    type: 'object',
    properties: GEMINI_AGENT_SCHEMA,
    required: ['model'],
    additionalProperties: false,
  },
  create(options, context) {
    return new GeminiAgent(geminiAgentFromConfig(options, context));
  },
};
