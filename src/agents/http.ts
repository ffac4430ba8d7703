import { AgentError } from '../core/errors.js';
import type { AgentProvider } from '../core/provider.js';
import { withRetry, type RetryDecision, type RetryPolicy } from '../core/retry.js';
import { classifyError } from '../providers/classify.js';
import { RETRY_CONFIG_SCHEMA, retryFromConfig } from '../providers/retry-config.js';
import { excerpt } from '../core/tool-call.js';
import type { Agent, AgentResponse, AgentRunOptions, Audio } from '../core/types.js';
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
import { extractToolCalls, readString, toolCallLocation, type ToolCallLocation } from './extract-calls.js';
import {
  audioMessageKeys,
  audioMessageOptions,
  toolCallKeys,
  toolCallOptions,
} from './json-agent-options.js';

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
}

/** An agent behind an HTTP endpoint: POSTs the audio of each run and reads the tool calls from the JSON answer. */
export class HttpAgent implements Agent {
  readonly id: string;
  private readonly location: ToolCallLocation;
  private readonly fields: AudioFields;
  /** The URL as safe to print: origin and path, no query string. */
  private readonly shownUrl: string;

  constructor(private readonly options: HttpAgentOptions) {
    this.shownUrl = printableUrl(options.url, ['http:', 'https:']);
    this.id = options.id ?? `http:${this.shownUrl}`;
    this.location = toolCallLocation(options.toolCalls);
    this.fields = audioFields(options.fields);
  }

  /**
   * Sends the audio; 408/429/5xx answers and dropped connections are retried (honouring
   * `retry-after`), 401/403 stop the suite, and any other non-2xx status, a body that is not JSON or
   * that lacks the calls' path is an AgentError quoting the start of the body.
   */
  async run(audio: Audio, options: AgentRunOptions = {}): Promise<AgentResponse> {
    const request = this.request(
      this.options.sampleRate ? resampleCache.resample(audio, this.options.sampleRate) : audio,
    );
    const { status, text } = await withRetry((signal) => this.post(request, signal), {
      what: `the HTTP agent at ${this.shownUrl}`,
      signal: options.signal,
      attemptTimeoutMs: this.options.requestTimeoutMs,
      policy: this.options.retry,
      classify: classifyAgentError,
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
    const toolCalls = extractToolCalls(document, this.location);
    if (toolCalls === undefined) {
      throw new AgentError(
        `the answer of ${this.shownUrl} has no \`${this.location.path}\`: ${excerpt(text)}`,
        'set `tool_calls_path` to where the answer holds the calls (e.g. `result.tool_calls`); an agent that makes no call must still send an empty list',
      );
    }
    const response: AgentResponse = { toolCalls };
    const transcript = readString(document, this.options.transcriptPath);
    const reply = readString(document, this.options.textPath);
    if (transcript !== undefined) response.transcript = transcript;
    if (reply !== undefined) response.text = reply;
    return response;
  }

  /** The body and headers of the POST, built once per run and reused by retries. */
  private request(audio: Audio): { body: Buffer | string; headers: Record<string, string> } {
    if (this.options.body === 'wav') {
      return { body: encodeWav(audio), headers: { 'content-type': 'audio/wav', ...this.options.headers } };
    }
    const encoding = this.options.audioEncoding ?? 'wav';
    const message = audioMessage(
      encodeAudio(audio, encoding),
      encoding,
      audio.sampleRate,
      this.fields,
      this.options.extraFields,
    );
    return {
      body: JSON.stringify(message),
      headers: { 'content-type': 'application/json', ...this.options.headers },
    };
  }

  /** One attempt: the status and body of a 2xx answer, else an HttpStatusError. */
  private async post(
    request: { body: Buffer | string; headers: Record<string, string> },
    signal: AbortSignal,
  ): Promise<{ status: number; text: string }> {
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
    );
  }
}

/** A non-2xx answer; `status` and `headers` let the retry layer decide and honour `retry-after`. */
export class HttpStatusError extends AgentError {
  constructor(
    message: string,
    readonly status: number,
    readonly headers: Headers,
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
 * The retry layer's classification, except that only a refused credential (401/403) stops the
 * suite: another 4xx from an agent under test is that run's error.
 */
function classifyAgentError(error: unknown): RetryDecision {
  const decision = classifyError(error);
  const status = (error as { status?: unknown }).status;
  if (decision.action === 'fatal' && status !== 401 && status !== 403) return { action: 'fail' };
  return decision;
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
      retry: policy,
      requestTimeoutMs: attemptTimeoutMs,
    });
  },
};
