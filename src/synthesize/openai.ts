import { SynthesisError } from '../core/errors.js';
import type { SynthesizerProvider } from '../core/provider.js';
import type { Audio, Synthesizer } from '../core/types.js';
import {
  connectionFromConfig,
  OPENAI_CONNECTION_SCHEMA,
  OPENAI_KEY_ENV,
  OpenAIConnection,
  type OpenAIConnectionOptions,
} from '../providers/openai/client.js';
import { pcm16Audio, voiceId } from './speech.js';

/** The speech endpoint's `pcm` format: signed 16-bit little-endian mono at 24 kHz. */
const PCM_SAMPLE_RATE = 24_000;
const SPEED_RANGE = { min: 0.25, max: 4 };
/** Models whose speech cannot be steered by `instructions`. */
const NO_INSTRUCTIONS = new Set(['tts-1', 'tts-1-hd']);

/** Options of an OpenAI synthesizer. */
export interface OpenAITTSOptions extends OpenAIConnectionOptions {
  /** gpt-4o-mini-tts (default), tts-1 or tts-1-hd. */
  model?: string;
  /** A built-in voice (alloy, ash, ballad, coral, echo, fable, nova, onyx, sage, shimmer, verse, marin, cedar). */
  voice?: string;
  /** 0.25 to 4; 1 is normal (default). */
  speed?: number;
  /** How to speak: tone, accent, pace (gpt-4o-mini-tts only). */
  instructions?: string;
}

/** Text to speech with OpenAI's speech endpoint, as raw 24 kHz PCM: the Realtime API's own input format. */
export class OpenAITTSSynthesizer implements Synthesizer {
  /** `openai:<model>:<voice>`, then `speed=` and a hash of the instructions when set: the audio cache keys on it. */
  readonly id: string;
  readonly voice: string;
  readonly model: string;
  private readonly speed: number;
  private readonly instructions: string | undefined;
  // ES-private: the client holds the key, and must not show in logs or JSON of the synthesizer.
  readonly #connection: OpenAIConnection;

  constructor(options: OpenAITTSOptions = {}) {
    this.model = options.model ?? 'gpt-4o-mini-tts';
    this.voice = options.voice ?? 'alloy';
    this.speed = options.speed ?? 1;
    this.instructions = options.instructions?.trim() || undefined;
    if (this.instructions !== undefined && NO_INSTRUCTIONS.has(this.model)) {
      throw new SynthesisError(
        `${this.model} does not take instructions`,
        'remove `instructions`, or use model gpt-4o-mini-tts, which follows them',
      );
    }
    if (!Number.isFinite(this.speed) || this.speed < SPEED_RANGE.min || this.speed > SPEED_RANGE.max) {
      throw new SynthesisError(
        `OpenAI speech speed ${this.speed} is out of range`,
        `give a speed from ${SPEED_RANGE.min} to ${SPEED_RANGE.max} (1 is normal)`,
      );
    }
    if (this.voice.trim() === '')
      throw new SynthesisError('the OpenAI voice is empty', 'name a voice, e.g. alloy');
    this.#connection = new OpenAIConnection(options, 'OpenAI speech');
    const speed = this.speed === 1 ? [] : [`speed=${this.speed}`];
    this.id = voiceId(['openai', this.model, this.voice, ...speed], this.instructions);
  }

  /** Speaks `text` in this voice; retried on throttles, 5xx, dropped bodies and timeouts. */
  async synthesize(text: string, signal?: AbortSignal): Promise<Audio> {
    if (text.trim() === '')
      throw new SynthesisError('cannot synthesize an empty text', 'give the prompt some words');
    try {
      const client = await this.#connection.client();
      const bytes = await this.#connection.call(
        `(${this.model}, voice ${this.voice})`,
        signal,
        async (attemptSignal) => {
          const response = await client.audio.speech.create(
            {
              model: this.model,
              voice: this.voice,
              input: text,
              response_format: 'pcm',
              ...(this.speed === 1 ? {} : { speed: this.speed }),
              ...(this.instructions === undefined ? {} : { instructions: this.instructions }),
            },
            { signal: attemptSignal },
          );
          return new Uint8Array(await response.arrayBuffer());
        },
      );
      const audio = pcm16Audio(
        bytes,
        PCM_SAMPLE_RATE,
        `OpenAI speech (voice ${this.voice})`,
        'check that `base_url` points at an OpenAI-compatible speech endpoint that supports response_format pcm',
      );
      this.#connection.recordCost(this.model, {
        input_characters: text.length,
        output_audio_seconds: audio.pcm.length / PCM_SAMPLE_RATE,
      });
      return audio;
    } catch (error) {
      throw this.#connection.failure(error, SynthesisError, signal);
    }
  }
}

/** `provider: openai`: OpenAI text to speech, one synthesizer per configured voice. */
export const openAISynthesizerProvider: SynthesizerProvider = {
  id: 'openai',
  description: 'OpenAI text to speech (gpt-4o-mini-tts, tts-1): 24 kHz PCM, one voice per synthesizer.',
  secretEnv: [OPENAI_KEY_ENV],
  defaultVoices: ['alloy'],
  optionsSchema: {
    type: 'object',
    properties: {
      model: { type: 'string', description: 'gpt-4o-mini-tts (default), tts-1 or tts-1-hd.' },
      speed: {
        type: 'number',
        minimum: SPEED_RANGE.min,
        maximum: SPEED_RANGE.max,
        description: '1 is normal.',
      },
      instructions: { type: 'string', description: 'How to speak (tone, accent); not for tts-1.' },
      ...OPENAI_CONNECTION_SCHEMA,
    },
    additionalProperties: false,
  },
  create(options, voice, context) {
    const model = typeof options.model === 'string' ? options.model : 'gpt-4o-mini-tts';
    return new OpenAITTSSynthesizer({
      ...connectionFromConfig(options, context, model),
      model,
      voice,
      ...(typeof options.speed === 'number' ? { speed: options.speed } : {}),
      ...(typeof options.instructions === 'string' ? { instructions: options.instructions } : {}),
    });
  },
};
