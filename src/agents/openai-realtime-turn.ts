import type { RealtimeResponse, RealtimeResponseUsage } from 'openai/resources/realtime/realtime';
import { AgentError } from '../core/errors.js';
import { answerCall, normalizeToolCall, toolOutput } from '../core/tool-call.js';
import type { AgentResponse, ToolCall, ToolExchange, ToolResponder } from '../core/types.js';
import type { Usage } from '../providers/cost.js';
import type { RealtimeSocket } from '../providers/openai/realtime-socket.js';

/** What a turn does when the model still calls after `maxTurns` follow-up responses. */
export type OverLimit = 'stop' | 'fail';

/**
 * One caller turn on a Realtime session (a run's only turn, or one turn of a conversation): it
 * plays the audio (appends, commit, `response.create`), gathers the calls, the reply and the usage
 * of each response, answers the calls with the mocked outcomes (`function_call_output` items and a
 * new `response.create`) and settles `done` when a response brings no call to answer. The reply is
 * the output text, or the transcript of the output audio; audio without a transcript is flagged.
 */
export class RealtimeTurn {
  readonly done: Promise<AgentResponse>;
  #settle!: { resolve: (response: AgentResponse) => void; reject: (error: unknown) => void };
  #finished = false;
  readonly #calls = new Map<string, ToolCall>();
  /** Reply texts by `item:content` index, so a text seen in its done event and in response.done counts once. */
  readonly #replies = new Map<string, string>();
  #audioWithoutTranscript = false;
  readonly #exchanges: ToolExchange[] = [];
  readonly #usage: Usage = {};
  /** Follow-up responses asked for after answering calls. */
  #followUps = 0;
  /** Calls gathered before the last response: those are answered already. */
  #answered = 0;
  #committedAt = 0;
  #firstCallMs: number | undefined;
  /** Time from the commit to the first response.done: how long the model takes. */
  answerMs: number | undefined;

  /**
   * @param respond answers the calls; absent, the turn ends at the first response's calls
   * @param maxTurns follow-up responses at most; past it `overLimit` says whether the turn stops or fails
   */
  constructor(
    private readonly socket: RealtimeSocket,
    private readonly respond: ToolResponder | undefined,
    private readonly maxTurns: number,
    private readonly overLimit: OverLimit,
  ) {
    this.done = new Promise((resolve, reject) => (this.#settle = { resolve, reject }));
    this.done.catch(() => undefined);
  }

  /** Plays the audio: its `input_audio_buffer.append` events, the commit, and asks for a response. */
  start(appends: readonly Buffer[]): void {
    for (const append of appends) this.socket.send(append);
    this.socket.realtime.send({ type: 'input_audio_buffer.commit' });
    this.#committedAt = performance.now();
    this.socket.realtime.send({ type: 'response.create' });
  }

  addCall(callId: string | undefined, name: string, args: string): void {
    const key = callId ?? `${name}:${args}`;
    if (this.#calls.has(key)) return;
    this.#calls.set(key, normalizeToolCall(name, args));
    this.#firstCallMs ??= performance.now() - this.#committedAt;
  }

  /** A reply text or transcript, from its done event or from response.done. */
  addReply(itemId: string | undefined, contentIndex: number, text: string): void {
    const key = `${itemId}:${contentIndex}`;
    if (!this.#replies.has(key)) this.#replies.set(key, text);
  }

  responseDone(response: RealtimeResponse): void {
    if (this.#finished) return;
    this.answerMs ??= performance.now() - this.#committedAt;
    for (const item of response.output ?? []) {
      if (item.type === 'function_call') this.addCall(item.call_id, item.name, item.arguments);
      if (item.type !== 'message') continue;
      (item.content ?? []).forEach((part, index) => {
        const text = part.type === 'output_audio' ? part.transcript : part.text;
        if (text) this.addReply(item.id, index, text);
        else if (part.type === 'output_audio' && !this.#replies.has(`${item.id}:${index}`))
          this.#audioWithoutTranscript = true;
      });
    }
    addUsage(this.#usage, response.usage);
    if (response.status === 'failed') return this.fail(failedResponse(response));
    const newCalls = [...this.#calls.entries()].slice(this.#answered);
    if (!this.respond || newCalls.length === 0) return this.finish();
    if (this.#followUps >= this.maxTurns) {
      if (this.overLimit === 'stop') return this.finish();
      return this.fail(
        new AgentError(
          `the model kept calling tools: more than ${this.maxTurns} follow-up responses in one turn`,
          'raise `max_turns`, or check the mocked tool_results of the scenario: the model may be retrying a result it cannot use',
        ),
      );
    }
    this.#followUps++;
    this.#answered = this.#calls.size;
    for (const [callId, call] of newCalls) {
      const exchange = answerCall(call, this.respond);
      this.#exchanges.push(exchange);
      this.socket.realtime.send({
        type: 'conversation.item.create',
        item: { type: 'function_call_output', call_id: callId, output: toolOutput(exchange.outcome) },
      });
    }
    this.socket.realtime.send({ type: 'response.create' });
  }

  /** Ends the turn with an error, unless it already ended. */
  fail(error: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#settle.reject(error);
  }

  private finish(): void {
    this.#finished = true;
    const texts = [...this.#replies.values()];
    this.#settle.resolve({
      toolCalls: [...this.#calls.values()],
      ...(texts.length ? { text: texts.join('\n') } : {}),
      ...(texts.length === 0 && this.#audioWithoutTranscript ? { replyAudioOnly: true } : {}),
      ...(this.#exchanges.length ? { toolResults: this.#exchanges } : {}),
      latencyMs: this.#firstCallMs ?? this.answerMs,
      usage: {
        ...(this.#usage as Record<string, number>),
        response_done_ms: this.answerMs ?? 0,
        turns: this.#followUps + 1,
      },
    });
  }
}

/**
 * Sends the server events of a session that make a turn to the turn in flight (`current()`): the
 * calls, the reply texts and transcripts, and each response.done. Registered once per session.
 */
export function routeEvents(socket: RealtimeSocket, current: () => RealtimeTurn | undefined): void {
  const { realtime } = socket;
  realtime.on('response.function_call_arguments.done', (event) =>
    current()?.addCall(event.call_id, event.name, event.arguments),
  );
  realtime.on('response.output_text.done', (event) =>
    current()?.addReply(event.item_id, event.content_index, event.text),
  );
  realtime.on('response.output_audio_transcript.done', (event) =>
    current()?.addReply(event.item_id, event.content_index, event.transcript),
  );
  realtime.on('response.done', ({ response }) => current()?.responseDone(response));
}

function failedResponse(response: RealtimeResponse): AgentError {
  const error = response.status_details?.error;
  return new AgentError(
    `the Realtime response failed${error ? ` (${error.code ?? error.type}): ${error.message ?? ''}` : ''}`.trim(),
  );
}

/** Adds a response's usage in russo's names. */
function addUsage(total: Usage, usage: RealtimeResponseUsage | undefined): void {
  if (!usage) return;
  const input = usage.input_token_details;
  const output = usage.output_token_details;
  const add = (key: keyof Usage, value: number | undefined) =>
    (total[key] = (total[key] ?? 0) + (value ?? 0));
  add('input_text_tokens', input?.text_tokens);
  add('input_audio_tokens', input?.audio_tokens);
  add('cached_text_tokens', input?.cached_tokens_details?.text_tokens);
  add('cached_audio_tokens', input?.cached_tokens_details?.audio_tokens);
  add('output_text_tokens', output?.text_tokens);
  add('output_audio_tokens', output?.audio_tokens);
}
