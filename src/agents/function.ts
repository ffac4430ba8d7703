import type { Agent, AgentResponse, AgentRunOptions, Audio, ToolCall } from '../core/types.js';

/** An agent written as a function: it hears the audio and returns its response, or just its calls. */
export type AgentFunction = (
  audio: Audio,
  options: AgentRunOptions,
) => Promise<AgentResponse | ToolCall[]> | AgentResponse | ToolCall[];

/** Wraps an in-process function as an Agent (for library users, tests and `provider: module`). */
export class FunctionAgent implements Agent {
  constructor(
    private readonly fn: AgentFunction,
    readonly id = `function:${fn.name || 'anonymous'}`,
  ) {}

  /** Calls the function; a bare array of calls is taken as `{toolCalls}`. */
  async run(audio: Audio, options: AgentRunOptions = {}): Promise<AgentResponse> {
    const response = await this.fn(audio, options);
    return Array.isArray(response) ? { toolCalls: response } : response;
  }
}
