import { randomUUID } from 'node:crypto';
import { AgentError } from '../core/errors.js';
import type { AdaptiveLimit } from '../core/adaptive-limit.js';
import type { AgentProvider, ProviderStats } from '../core/provider.js';
import { withRetry, type RetryDecision, type RetryPolicy } from '../core/retry.js';
import { classifyError } from '../providers/classify.js';
import { RETRY_CONFIG_SCHEMA, retryFromConfig } from '../providers/retry-config.js';
import { answerCall, excerpt } from '../core/tool-call.js';
import type {
  Agent,
  AgentConversation,
  AgentResponse,
  AgentRunOptions,
  Audio,
  ConversationOptions,
  ToolExchange,
  ToolResponder,
} from '../core/types.js';
import { resampleCache } from '../audio/resample-cache.js';
import { encodeWav } from '../audio/wav.js';
import {
  audioFields,
  audioMessage,
  encodeAudio,
  type AudioEncoding,
  type AudioFields,
} from './audio-payload.js';
import { causeMessage, printableUrl } from './endpoint.js';
import { expandEnv } from './expand-env.js';
import { requestConversation } from './conversation-turns.js';
import {
  extractIdentifiedCalls,
  readString,
  toolCallLocation,
  type IdentifiedCall,
  type ToolCallLocation,
} from './extract-calls.js';
import {
  audioMessageKeys,
  audioMessageOptions,
  toolCallKeys,
  toolCallOptions,
  toolResultKeys,
  toolResultOptions,
} from './json-agent-options.js';
import { mergeAnswers } from './merge-answers.js';
import { toolResultFields, toolResultPayload, type ToolResultFields } from './tool-result-payload.js';

/** Options of an HttpAgent (the library spelling of the `http` provider's config keys). */
export interface HttpAgentOptions {
  /** Endpoint that receives one POST per run. */
  url: string;
  /** json (default): `{audio: base64, format, sample_rate}`; wav: the WAV file itself as an `audio/wav` body. */
  body?: 'json' | 'wav';
  /** Resample the audio to this rate before sending it (default: the synthesizer's rate). */
  sampleRate?: number;
  /** Encoding of the audio inside a JSON body (default wav). */
  audioEncoding?: AudioEncoding;
  /** Names of the JSON fields (default audio, format, sample_rate). */
  fields?: Partial<AudioFields>;
  /** Constant fields added to the JSON body (a session id, a mode). */
  extraFields?: Record<string, unknown>;
  /** Request headers, already expanded (the provider expands `${ENV}` from the environment). */
  headers?: Record<string, string>;
  /** Where the calls are in the JSON response (default `tool_calls`, `name`, `arguments`). */
  toolCalls?: Partial<ToolCallLocation>;
  /** Dotted paths of an optional transcript and text reply in the response. */
  transcriptPath?: string;
  textPath?: string;
  /** Name in reports; default `http:` and the URL without its query (which may hold a token). */
  id?: string;
  /** Retry policy of the POST (default: the shared policy; `{maxAttempts: 1}` turns retries off). */
  retry?: Partial<RetryPolicy>;
  /** Time one attempt may take, in ms, answer included (default: no limit but the run's timeout). */
  requestTimeoutMs?: number;
  /** Counters shared by the providers of a suite: requests, retries, throttles. */
  stats?: ProviderStats;
  /** The suite's adaptive concurrency, told of throttles and successes. */
  limiter?: AdaptiveLimit;
  /** Names of the fields of a conversation's requests (default conversation, turn, tool_results). */
  conversationFields?: Partial<ConversationFields>;
  /** Names of the keys of each tool result a conversation sends back (default id, name, arguments, result, error). */
  toolResultFields?: Partial<ToolResultFields>;
  /** Most requests with tool results in one conversation turn (default 8), against endless loops. */
  maxToolRounds?: number;
}

/** Names of the JSON fields that make a request part of a conversation. */
export interface ConversationFields {
  /** The conversation's id, the same in each of its requests. */
  conversation: string;
  /** The turn's number, from 0. */
  turn: string;
  /** The results of the calls of the agent's last answer, in a follow-up request of the same turn. */
  toolResults: string;
}

const DEFAULT_CONVERSATION_FIELDS: ConversationFields = {
  conversation: 'conversation',
  turn: 'turn',
  toolResults: 'tool_results',
};

/** The body and headers of one POST, built once and reused by its retries. */
interface HttpRequest {
  body: Buffer | string;
  headers: Record<string, string>;
}

/**
 * An agent behind an HTTP endpoint: POSTs the audio of each run and reads the tool calls from the
 * JSON answer. In a conversation each request carries the conversation's id and the turn number;
 * when an answer holds calls, russo answers them in another POST of the same turn (the results,
 * no audio), until an answer holds no calls.
 */
export class HttpAgent implements Agent {
  readonly id: string;
  private readonly location: ToolCallLocation;
  private readonly fields: AudioFields;
  private readonly conversationFields: ConversationFields;
  private readonly resultFields: ToolResultFields;
  /** The URL as safe to print: origin and path, no query string. */
  private readonly shownUrl: string;

  constructor(private readonly options: HttpAgentOptions) {
    this.shownUrl = printableUrl(options.url, ['http:', 'https:']);
    this.id = options.id ?? `http:${this.shownUrl}`;
    this.location = toolCallLocation(options.toolCalls);
    this.fields = audioFields(options.fields);
    this.conversationFields = { ...DEFAULT_CONVERSATION_FIELDS, ...options.conversationFields };
    this.resultFields = toolResultFields(options.toolResultFields);
  }

  /**
   * Sends the audio; 408/429/5xx answers and dropped connections are retried (honouring
   * `retry-after`), 401/403 stop the suite, and any other non-2xx status, a body that is not JSON or
   * that lacks the calls' path is an AgentError quoting the start of the body.
   */
  async run(audio: Audio, options: AgentRunOptions = {}): Promise<AgentResponse> {
    const answer = await this.exchange(this.request(this.resampled(audio)), options.signal);
    return answer.response;
  }

  /**
   * Starts a conversation: an id of its own (a random UUID) that every request of it carries, with
   * the turn number. Needs JSON bodies: a WAV body has no room for them.
   */
  async converse(options: ConversationOptions = {}): Promise<AgentConversation> {
    if (this.options.body === 'wav') {
      throw new AgentError(
        'the http agent holds conversations with JSON bodies only: a WAV body cannot carry the conversation id, the turn and the tool results',
        'remove `body: wav` (the audio then travels as base64 in the JSON body)',
      );
    }
    const conversation = randomUUID();
    return requestConversation(options.signal, (audio, turn, respond, signal) =>
      this.conversationTurn(
        { [this.conversationFields.conversation]: conversation, [this.conversationFields.turn]: turn },
        audio,
        respond,
        signal,
      ),
    );
  }

  /**
   * One turn: the audio with the conversation's id and the turn number, then, while an answer holds
   * calls, their results in another request of the same turn; the answers merged into one response.
   */
  private async conversationTurn(
    ids: Record<string, unknown>,
    audio: Audio,
    respond: ToolResponder,
    signal: AbortSignal | undefined,
  ): Promise<AgentResponse> {
    const maxRounds = this.options.maxToolRounds ?? 8;
    let answer = await this.exchange(this.request(this.resampled(audio), ids), signal);
    const answers = [answer.response];
    const exchanges: ToolExchange[] = [];
    for (let round = 1; answer.calls.length > 0; round++) {
      if (round > maxRounds) {
        throw new AgentError(
          `the agent kept calling tools: more than ${maxRounds} rounds of results in one turn`,
          'raise `max_tool_rounds`, or check that the agent answers a request with tool results with no new calls once it is done',
        );
      }
      const results = answer.calls.map(({ call, id }) => {
        const exchange = answerCall(call, respond);
        exchanges.push(exchange);
        return toolResultPayload(exchange, id, this.resultFields);
      });
      const body = { ...this.options.extraFields, ...ids, [this.conversationFields.toolResults]: results };
      answer = await this.exchange(jsonRequest(body, this.options.headers), signal);
      answers.push(answer.response);
    }
    const merged = mergeAnswers(answers);
    if (exchanges.length > 0) merged.toolResults = exchanges;
    return merged;
  }

  private resampled(audio: Audio): Audio {
    return this.options.sampleRate ? resampleCache.resample(audio, this.options.sampleRate) : audio;
  }

  /** One POST (retried as `run` says) and its answer read: the calls with their ids, and the response. */
  private async exchange(
    request: HttpRequest,
    signal: AbortSignal | undefined,
  ): Promise<{ calls: IdentifiedCall[]; response: AgentResponse }> {
    const { status, text } = await withRetry((attemptSignal) => this.post(request, attemptSignal), {
      what: `the HTTP agent at ${this.shownUrl}`,
      signal,
      attemptTimeoutMs: this.options.requestTimeoutMs,
      policy: this.options.retry,
      classify: classifyAgentError,
      ...(this.options.stats ? { stats: this.options.stats } : {}),
      ...(this.options.limiter ? { limiter: this.options.limiter } : {}),
    });
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new AgentError(
        `${this.shownUrl} answered HTTP ${status} with a body that is not JSON: ${excerpt(text) || '(empty body)'}`,
        'the agent must answer with a JSON object that holds its tool calls',
      );
    }
    const calls = extractIdentifiedCalls(document, this.location);
    if (calls === undefined) {
      throw new AgentError(
        `the answer of ${this.shownUrl} has no \`${this.location.path}\`: ${excerpt(text)}`,
        'set `tool_calls_path` to where the answer holds the calls (e.g. `result.tool_calls`); an agent that makes no call must still send an empty list',
      );
    }
    const response: AgentResponse = { toolCalls: calls.map(({ call }) => call) };
    const transcript = readString(document, this.options.transcriptPath);
    const reply = readString(document, this.options.textPath);
    if (transcript !== undefined) response.transcript = transcript;
    if (reply !== undefined) response.text = reply;
    return { calls, response };
  }

  /** The POST of a run or of a conversation turn's audio (`ids`: the conversation's fields). */
  private request(audio: Audio, ids: Record<string, unknown> = {}): HttpRequest {
    if (this.options.body === 'wav') {
      return { body: encodeWav(audio), headers: { 'content-type': 'audio/wav', ...this.options.headers } };
    }
    const encoding = this.options.audioEncoding ?? 'wav';
    const message = audioMessage(encodeAudio(audio, encoding), encoding, audio.sampleRate, this.fields, {
      ...this.options.extraFields,
      ...ids,
    });
    return jsonRequest(message, this.options.headers);
  }

  /** One attempt: the status and body of a 2xx answer, else an HttpStatusError. */
  private async post(request: HttpRequest, signal: AbortSignal): Promise<{ status: number; text: string }> {
    let response: Response;
    try {
      response = await fetch(this.options.url, { method: 'POST', ...request, signal });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw withCause(
        new AgentError(
          `cannot reach ${this.shownUrl}: ${causeMessage(error)}`,
          'check that the agent is running and that `url` is right',
        ),
        error,
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw withCause(
        new AgentError(
          `${this.shownUrl} broke off its answer: ${causeMessage(error)}`,
          'check the agent logs',
        ),
        error,
      );
    }
    if (response.ok) return { status: response.status, text };
    throw new HttpStatusError(
      `${this.shownUrl} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}: ${excerpt(text) || '(empty body)'}`,
      response.status,
      response.headers,
      errorCodeOf(text),
    );
  }
}

function jsonRequest(
  body: Record<string, unknown>,
  headers: Record<string, string> | undefined,
): HttpRequest {
  return { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } };
}

/** A non-2xx answer; `status` and `headers` let the retry layer decide and honour `retry-after`. */
export class HttpStatusError extends AgentError {
  constructor(
    message: string,
    readonly status: number,
    readonly headers: Headers,
    /** The error code of an OpenAI-style body (`{error: {code}}`), e.g. `insufficient_quota`. */
    readonly code?: string,
  ) {
    super(
      message,
      status === 401 || status === 403
        ? 'check the credentials in `headers` (and the environment variables they name)'
        : 'check the agent logs for this request',
    );
  }
}

/**
 * The retry layer's classification, except that only a refused credential (401/403) or a spent
 * quota (429 `insufficient_quota`) stops the suite: another 4xx from an agent under test is that
 * run's error.
 */
function classifyAgentError(error: unknown): RetryDecision {
  const decision = classifyError(error);
  const status = (error as { status?: unknown }).status;
  if (decision.action === 'fatal' && status !== 401 && status !== 403 && status !== 429) {
    return { action: 'fail' };
  }
  return decision;
}

/** The `code` (or `type`) of an error body shaped like OpenAI's, `{error: {code, type}}`; else undefined. */
function errorCodeOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; type?: unknown }; code?: unknown };
    const code = body?.error?.code ?? body?.error?.type ?? body?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

function withCause<T extends Error>(error: T, cause: unknown): T {
  error.cause = cause;
  return error;
}

/** `provider: http`: an agent behind an HTTP endpoint. */
export const httpAgentProvider: AgentProvider = {
  id: 'http',
  description:
    'An agent behind an HTTP endpoint: russo POSTs the audio of each run and reads the tool calls from the JSON answer.',
  optionsSchema: {
    type: 'object',
    properties: {
      url: {
        type: 'string',
        description: 'Endpoint URL; `${NAME}` is replaced by the environment variable NAME.',
      },
      body: {
        enum: ['json', 'wav'],
        description: 'json (default): {audio: base64, format, sample_rate}; wav: a raw audio/wav body.',
      },
      ...audioMessageKeys,
      ...toolCallKeys,
      conversation_fields: {
        type: 'object',
        properties: {
          conversation: { type: 'string' },
          turn: { type: 'string' },
          tool_results: { type: 'string' },
        },
        additionalProperties: false,
        description:
          'Names of the fields of a conversation request (default conversation, turn, tool_results).',
      },
      ...toolResultKeys,
      max_tool_rounds: {
        type: 'integer',
        minimum: 1,
        description: 'Most requests with tool results in one conversation turn (default 8).',
      },
      ...RETRY_CONFIG_SCHEMA,
    },
    required: ['url'],
    additionalProperties: false,
  },
  create(options, context) {
    const { policy, attemptTimeoutMs } = retryFromConfig(options);
    return new HttpAgent({
      url: expandEnv(String(options.url), context.env, 'agent.url'),
      body: options.body as 'json' | 'wav' | undefined,
      ...audioMessageOptions(options, context.env, 'http'),
      ...toolCallOptions(options),
      ...toolResultOptions(options),
      conversationFields: conversationFieldsOf(options.conversation_fields),
      ...(typeof options.max_tool_rounds === 'number' ? { maxToolRounds: options.max_tool_rounds } : {}),
      retry: policy,
      requestTimeoutMs: attemptTimeoutMs,
      ...(context.stats ? { stats: context.stats } : {}),
      ...(context.limiter ? { limiter: context.limiter } : {}),
    });
  },
};

/** The config spelling of the conversation field names (`tool_results`) in the library's. */
function conversationFieldsOf(value: unknown): Partial<ConversationFields> {
  const names = (value ?? {}) as { conversation?: string; turn?: string; tool_results?: string };
  return {
    ...(names.conversation ? { conversation: names.conversation } : {}),
    ...(names.turn ? { turn: names.turn } : {}),
    ...(names.tool_results ? { toolResults: names.tool_results } : {}),
  };
}
