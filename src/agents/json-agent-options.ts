import type { AudioEncoding } from './audio-payload.js';
import { expandHeaders } from './expand-env.js';
import type { ToolCallLocation } from './extract-calls.js';
import type { ToolResultFields } from './tool-result-payload.js';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

/** Config keys shared by the agents that read calls from JSON (`http`, `websocket`). */
export const toolCallKeys = {
  tool_calls_path: {
    type: 'string',
    description: 'Dotted path of the calls in the JSON answer (default tool_calls).',
  },
  name_key: {
    type: 'string',
    description: 'Key of the name inside a call (default name; dotted, e.g. function.name).',
  },
  arguments_key: { type: 'string', description: 'Key of the arguments inside a call (default arguments).' },
  id_key: {
    type: 'string',
    description: "Key of a call's id inside a call (default id), sent back with its tool result.",
  },
  transcript_path: { type: 'string', description: 'Dotted path of a transcript in the answer (optional).' },
  text_path: { type: 'string', description: 'Dotted path of a text reply in the answer (optional).' },
};

/** Config keys that name the fields of a JSON audio message (`http`, `websocket`). */
export const audioMessageKeys = {
  sample_rate: {
    type: 'integer',
    minimum: 8000,
    description: "Resample the audio to this rate before sending it (default: the synthesizer's rate).",
  },
  audio_encoding: {
    enum: ['wav', 'pcm16'],
    description: 'Audio inside a JSON message: a WAV file or raw 16-bit PCM.',
  },
  fields: {
    type: 'object',
    properties: { audio: { type: 'string' }, format: { type: 'string' }, sample_rate: { type: 'string' } },
    additionalProperties: false,
    description: 'Names of the JSON fields (default audio, format, sample_rate).',
  },
  extra_fields: { type: 'object', description: 'Constant fields added to each JSON audio message.' },
  headers: {
    ...stringMap,
    description: 'Request headers; `${NAME}` is replaced by the environment variable NAME.',
  },
};

/** Reads the config keys of `toolCallKeys`. */
export function toolCallOptions(options: Record<string, unknown>) {
  const location: Partial<ToolCallLocation> = {};
  if (typeof options.tool_calls_path === 'string') location.path = options.tool_calls_path;
  if (typeof options.name_key === 'string') location.nameKey = options.name_key;
  if (typeof options.arguments_key === 'string') location.argumentsKey = options.arguments_key;
  if (typeof options.id_key === 'string') location.idKey = options.id_key;
  return {
    toolCalls: location,
    transcriptPath: options.transcript_path as string | undefined,
    textPath: options.text_path as string | undefined,
  };
}

/** Config keys of the tool results a conversation sends back (`http`, `websocket`). */
export const toolResultKeys = {
  tool_result_fields: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      arguments: { type: 'string' },
      result: { type: 'string' },
      error: { type: 'string' },
    },
    additionalProperties: false,
    description:
      'Names of the keys of a tool result in a conversation (default id, name, arguments, result, error).',
  },
};

/** Reads the config keys of `toolResultKeys`. */
export function toolResultOptions(options: Record<string, unknown>): {
  toolResultFields: Partial<ToolResultFields>;
} {
  return { toolResultFields: (options.tool_result_fields ?? {}) as Partial<ToolResultFields> };
}

/** Reads the config keys of `audioMessageKeys`, expanding `${ENV}` in the headers. */
export function audioMessageOptions(
  options: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  provider: string,
) {
  const fields = (options.fields ?? {}) as { audio?: string; format?: string; sample_rate?: string };
  return {
    ...(typeof options.sample_rate === 'number' ? { sampleRate: options.sample_rate } : {}),
    audioEncoding: options.audio_encoding as AudioEncoding | undefined,
    fields: {
      ...(fields.audio ? { audio: fields.audio } : {}),
      ...(fields.format ? { format: fields.format } : {}),
      ...(fields.sample_rate ? { sampleRate: fields.sample_rate } : {}),
    },
    extraFields: options.extra_fields as Record<string, unknown> | undefined,
    headers: expandHeaders(options.headers as Record<string, string> | undefined, env, provider),
  };
}
