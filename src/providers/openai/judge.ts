import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
} from 'openai/resources/chat/completions';
import { RussoError } from '../../core/errors.js';
import type { JudgeProvider } from '../../core/provider.js';
import type { JudgeRequest, JudgeVerdict, ReplyJudge } from '../../core/types.js';
import {
  connectionFromConfig,
  OPENAI_CONNECTION_SCHEMA,
  OPENAI_KEY_ENV,
  OpenAIConnection,
  type OpenAIConnectionOptions,
} from './client.js';

/** The judge's model when the config names none: cheap, and good at short yes/no judgements. */
export const DEFAULT_JUDGE_MODEL = 'gpt-4o-mini';

/** Options of the OpenAI judge. */
export interface OpenAIJudgeOptions extends OpenAIConnectionOptions {
  /** A chat model that supports structured outputs (default gpt-4o-mini). */
  model?: string;
}

const INSTRUCTIONS = [
  'You grade one reply of a voice agent in an automated test.',
  'You get what the caller said in this turn, the tool calls the agent made in it with their results, the reply the agent gave, and a criterion.',
  'Decide whether the reply meets the criterion. Judge the reply only, by its meaning, not its wording; do not guess what the agent meant to say.',
  'Answer with pass: true only when the reply clearly meets the criterion, and a reason: one short sentence that says why.',
].join('\n');

// Structured output: the model must answer with exactly this object.
const VERDICT_FORMAT = {
  type: 'json_schema',
  json_schema: {
    name: 'verdict',
    strict: true,
    schema: {
      type: 'object',
      properties: { pass: { type: 'boolean' }, reason: { type: 'string' } },
      required: ['pass', 'reason'],
      additionalProperties: false,
    },
  },
} as const;

/**
 * An LLM judge on OpenAI's chat completions: one request per `reply: {judge}` check, answered as a
 * structured `{pass, reason}`. Requests go through the connection (russo's retry layer, the
 * suite's counters, the cost estimate). It sees the turn's caller text, calls, results and reply,
 * never the agent's audio.
 */
export class OpenAIJudge implements ReplyJudge {
  readonly id: string;
  private readonly model: string;
  // ES-private: the connection holds the key, and must not show in logs or JSON of the judge.
  readonly #connection: OpenAIConnection;

  constructor(options: OpenAIJudgeOptions = {}) {
    this.model = options.model ?? DEFAULT_JUDGE_MODEL;
    this.id = `openai:${this.model}`;
    this.#connection = new OpenAIConnection(options, 'OpenAI judge');
  }

  /** Asks the model whether the reply meets the criterion; a malformed answer is an error, never a verdict. */
  async judge(request: JudgeRequest, signal?: AbortSignal): Promise<JudgeVerdict> {
    let completion: ChatCompletion;
    try {
      const client = await this.#connection.client();
      completion = await this.#connection.call('verdict', signal, (attempt) =>
        client.chat.completions.create(this.body(request), { signal: attempt }),
      );
    } catch (error) {
      throw this.#connection.failure(error, RussoError, signal);
    }
    const usage = completion.usage;
    if (usage) {
      const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
      this.#connection.recordCost(this.model, {
        input_text_tokens: usage.prompt_tokens,
        cached_text_tokens: cached,
        output_text_tokens: usage.completion_tokens,
      });
    }
    return this.verdictOf(completion);
  }

  private body(request: JudgeRequest): ChatCompletionCreateParamsNonStreaming {
    const calls = request.toolResults.map(({ call, outcome }) => ({
      name: call.name,
      arguments: call.arguments,
      ...outcome,
    }));
    const turn = {
      caller_said: request.said,
      tool_calls: calls,
      agent_reply: request.reply,
      criterion: request.criterion,
    };
    return {
      model: this.model,
      messages: [
        { role: 'system', content: INSTRUCTIONS },
        { role: 'user', content: JSON.stringify(turn, null, 2) },
      ],
      response_format: VERDICT_FORMAT,
    };
  }

  private verdictOf(completion: ChatCompletion): JudgeVerdict {
    const message = completion.choices[0]?.message;
    const hint = `check that \`judge.model\` (${this.model}) supports structured outputs`;
    if (message?.refusal) throw new RussoError(`the OpenAI judge refused: ${message.refusal}`, hint);
    let verdict: unknown;
    try {
      verdict = JSON.parse(message?.content ?? '');
    } catch {
      throw new RussoError(
        `the OpenAI judge answered no verdict: ${JSON.stringify(message?.content ?? null).slice(0, 200)}`,
        hint,
      );
    }
    const { pass, reason } = (verdict ?? {}) as Partial<JudgeVerdict>;
    if (typeof pass !== 'boolean' || typeof reason !== 'string') {
      throw new RussoError(
        `the OpenAI judge answered ${JSON.stringify(verdict).slice(0, 200)}, not {pass, reason}`,
        hint,
      );
    }
    return { pass, reason: reason.trim() || (pass ? 'meets the criterion' : 'does not meet the criterion') };
  }
}

/** `judge: {provider: openai}`: the OpenAI judge of reply checks. */
export const openAIJudgeProvider: JudgeProvider = {
  id: 'openai',
  description: `An OpenAI chat model with structured outputs (default ${DEFAULT_JUDGE_MODEL}).`,
  secretEnv: [OPENAI_KEY_ENV],
  optionsSchema: {
    type: 'object',
    properties: {
      model: { type: 'string', description: `The judge's chat model (default ${DEFAULT_JUDGE_MODEL}).` },
      ...OPENAI_CONNECTION_SCHEMA,
    },
    additionalProperties: false,
  },
  create(options, context) {
    const model = typeof options.model === 'string' ? options.model : DEFAULT_JUDGE_MODEL;
    return new OpenAIJudge({ ...connectionFromConfig(options, context, model), model });
  },
};
