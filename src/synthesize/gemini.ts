import type { GenerateContentResponse, Modality } from '@google/genai';
import { decodeWav } from '../audio/wav.js';
import { SynthesisError } from '../core/errors.js';
import type { SynthesizerProvider } from '../core/provider.js';
import type { Audio, Synthesizer } from '../core/types.js';
import { geminiUsage } from '../providers/gemini/usage.js';
import {
  GEMINI_CONNECTION_SCHEMA,
  GEMINI_KEY_ENV,
  GeminiConnection,
  geminiConnectionFromConfig,
  type GeminiConnectionOptions,
} from '../providers/gemini/client.js';
import { pcm16Audio, voiceId } from './speech.js';

const DEFAULT_MODEL = 'gemini-3.8-flash-lite-tts';
const DEFAULT_VOICE = 'Kore';
/** Gemini TTS speaks raw signed 16-bit little-endian mono PCM at 24 kHz unless its MIME type says otherwise. */
const DEFAULT_RATE = 24_000;

/** Options of a Gemini synthesizer. */
export interface GeminiTTSOptions extends GeminiConnectionOptions {
  /** A Gemini TTS model (default gemini-3.8-flash-lite-tts). */
  model?: string;
  /** A prebuilt voice: Kore (default), Puck, Charon, Zephyr, Aoede, ... */
  voice?: string;
  /** How to speak, put before the text (e.g. `Say in a hurried, annoyed tone`). */
  instructions?: string;
  /** BCP-47 language of the speech (e.g. en-US); the model detects it when unset. */
  languageCode?: string;
}

/** Text to speech with a Gemini TTS model and a prebuilt voice; the raw PCM it returns becomes Audio at its real rate. */
export class GeminiTTSSynthesizer implements Synthesizer {
  /** `gemini:<model>:<voice>`, then the language and a hash of the instructions when set: the audio cache keys on it. */
  readonly id: string;
  readonly voice: string;
  readonly model: string;
  private readonly instructions: string | undefined;
  // ES-private: the options and the client hold the key, and must not show in logs or JSON of the synthesizer.
  readonly #options: GeminiTTSOptions;
  readonly #connection: GeminiConnection;

  constructor(options: GeminiTTSOptions = {}) {
    this.#options = options;
    this.model = options.model ?? DEFAULT_MODEL;
    this.voice = options.voice ?? DEFAULT_VOICE;
    this.instructions = options.instructions?.trim() || undefined;
    if (this.voice.trim() === '')
      throw new SynthesisError('the Gemini voice is empty', 'name a voice, e.g. Kore');
    this.#connection = new GeminiConnection(options, 'Gemini speech');
    const language = options.languageCode ? [`lang=${options.languageCode}`] : [];
    this.id = voiceId(['gemini', this.model, this.voice, ...language], this.instructions);
  }

  /** Speaks `text` in this voice; retried on throttles, 5xx, dropped connections and timeouts. */
  async synthesize(text: string, signal?: AbortSignal): Promise<Audio> {
    if (text.trim() === '')
      throw new SynthesisError('cannot synthesize an empty text', 'give the prompt some words');
    const spoken = this.instructions === undefined ? text : `${this.instructions}: ${text}`;
    try {
      const client = await this.#connection.client();
      const response = await this.#connection.call(
        `(${this.model}, voice ${this.voice})`,
        signal,
        (attemptSignal) =>
          client.models.generateContent({
            model: this.model,
            contents: [{ role: 'user', parts: [{ text: spoken }] }],
            config: {
              // Modality.AUDIO, written out: the SDK is loaded only when a call is made.
              responseModalities: ['AUDIO' as Modality],
              speechConfig: {
                voiceConfig: { prebuiltVoiceConfig: { voiceName: this.voice } },
                ...(this.#options.languageCode ? { languageCode: this.#options.languageCode } : {}),
              },
              abortSignal: attemptSignal,
            },
          }),
      );
      const usage = geminiUsage(response.usageMetadata, 'audio');
      if (usage) this.#connection.recordCost(this.model, usage);
      return this.audioOf(response);
    } catch (error) {
      throw this.#connection.failure(error, SynthesisError);
    }
  }

  /** The audio part of an answer: raw PCM at the rate its MIME type names (`audio/L16;codec=pcm;rate=24000`), or a WAV file. */
  private audioOf(response: GenerateContentResponse): Audio {
    const candidate = response.candidates?.[0];
    const inline = candidate?.content?.parts?.find((part) => part.inlineData?.data)?.inlineData;
    if (!inline?.data) {
      throw new SynthesisError(
        `Gemini speech (${this.model}, voice ${this.voice}) returned no audio` +
          (candidate?.finishReason ? ` (finish reason ${candidate.finishReason})` : ''),
        'check that `model` is a TTS model; a very short or unusual text may need `instructions` such as "Say"',
      );
    }
    const bytes = Buffer.from(inline.data, 'base64');
    const mimeType = (inline.mimeType ?? '').toLowerCase();
    if (mimeType.includes('wav')) return decodeWav(bytes);
    if (mimeType !== '' && !/^audio\/(l16|pcm)\b/.test(mimeType)) {
      throw new SynthesisError(
        `Gemini speech returned ${inline.mimeType}, not PCM`,
        'use a Gemini TTS model',
      );
    }
    const rate = Number(/rate=(\d+)/.exec(mimeType)?.[1] ?? DEFAULT_RATE);
    return pcm16Audio(bytes, rate, 'Gemini speech');
  }
}

/** `provider: gemini`: Gemini text to speech, one synthesizer per configured prebuilt voice. */
export const geminiSynthesizerProvider: SynthesizerProvider = {
  id: 'gemini',
  description:
    'Gemini text to speech with prebuilt voices (Kore, Puck, ...): 24 kHz PCM, one voice per synthesizer.',
  secretEnv: GEMINI_KEY_ENV,
  defaultVoices: [DEFAULT_VOICE],
  optionsSchema: {
    type: 'object',
    properties: {
      model: { type: 'string', description: `A Gemini TTS model (default ${DEFAULT_MODEL}).` },
      instructions: {
        type: 'string',
        description: 'How to speak, put before each prompt (tone, pace, accent).',
      },
      language_code: {
        type: 'string',
        description: 'BCP-47 language of the speech, e.g. en-US (default: detected).',
      },
      ...GEMINI_CONNECTION_SCHEMA,
    },
    additionalProperties: false,
  },
  create(options, voice, context) {
    const model = typeof options.model === 'string' ? options.model : DEFAULT_MODEL;
    return new GeminiTTSSynthesizer({
      ...geminiConnectionFromConfig(options, context, model),
      voice,
      model,
      ...(typeof options.instructions === 'string' ? { instructions: options.instructions } : {}),
      ...(typeof options.language_code === 'string' ? { languageCode: options.language_code } : {}),
    });
  },
};
