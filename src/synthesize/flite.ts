import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav } from '../audio/wav.js';
import { SynthesisError } from '../core/errors.js';
import type { SynthesizerProvider } from '../core/provider.js';
import type { Audio, Synthesizer } from '../core/types.js';
import { FliteWorkerPool } from './flite-worker.js';

/** The voices built into flite.wasm and their native sample rates. */
export const FLITE_VOICES: Readonly<Record<string, { sampleRate: number; description: string }>> = {
  kal16: { sampleRate: 16000, description: 'US English male, diphone (the fastest)' },
  slt: { sampleRate: 16000, description: 'US English female' },
  rms: { sampleRate: 16000, description: 'US English male' },
  awb: { sampleRate: 16000, description: 'Scottish English male' },
  kal: { sampleRate: 8000, description: 'US English male at 8 kHz, telephone quality' },
};

/** The speeds Flite is asked for; the same range as OpenAI's speech endpoint. */
const SPEED_RANGE = { min: 0.25, max: 4 };

/** Options of a Flite synthesizer. */
export interface FliteOptions {
  /** One of FLITE_VOICES (default kal16). */
  voice?: string;
  /** Speaking rate: 1 is normal, 2 twice as fast (default 1). */
  speed?: number;
}

// One pool per process: every voice shares the compiled module and the worker threads.
let sharedPool: FliteWorkerPool | undefined;

/** The process's Flite workers, made on first use (a synthesis, or a suite preparing for one). */
function workers(): FliteWorkerPool {
  sharedPool ??= new FliteWorkerPool();
  return sharedPool;
}

/** Offline text to speech with CMU Flite (WebAssembly): no key, no network, audio at the voice's native rate. */
export class FliteSynthesizer implements Synthesizer {
  readonly id: string;
  readonly voice: string;
  readonly speed: number;

  constructor(options: FliteOptions = {}) {
    this.voice = options.voice ?? 'kal16';
    this.speed = options.speed ?? 1;
    // Flite falls back to kal without a word when it does not know a voice: catch that here.
    if (!Object.hasOwn(FLITE_VOICES, this.voice)) {
      throw new SynthesisError(
        `unknown Flite voice "${this.voice}"`,
        `use one of ${Object.keys(FLITE_VOICES).join(', ')}`,
      );
    }
    if (!Number.isFinite(this.speed) || this.speed < SPEED_RANGE.min || this.speed > SPEED_RANGE.max) {
      throw new SynthesisError(
        `Flite speed ${this.speed} is out of range`,
        `give a speed from ${SPEED_RANGE.min} to ${SPEED_RANGE.max} (1 is normal)`,
      );
    }
    this.id = this.speed === 1 ? `flite:${this.voice}` : `flite:${this.voice}:speed=${this.speed}`;
  }

  /** Speaks `text`; the audio comes at the voice's native rate (16 kHz, or 8 kHz for kal). */
  async synthesize(text: string, signal?: AbortSignal): Promise<Audio> {
    if (text.trim() === '') {
      throw new SynthesisError('cannot synthesize an empty text', 'give the prompt some words');
    }
    const dir = await mkdtemp(join(tmpdir(), 'russo-flite-'));
    try {
      // -t: the text is the next argument (without it a one-word text is read as a file name).
      const args = ['flite', '-voice', this.voice, ...this.stretchArgs(), '-t', text, '/w/speech.wav'];
      const exitCode = await workers().run(args, dir, join(dir, 'flite.log'), signal);
      const bytes = await readFile(join(dir, 'speech.wav')).catch(() => undefined);
      if (exitCode !== 0 || bytes === undefined) {
        const log = (await readFile(join(dir, 'flite.log'), 'utf8').catch(() => '')).trim();
        throw new SynthesisError(
          `Flite (voice ${this.voice}) exited with code ${exitCode} and no audio${log ? `: ${log}` : ''}`,
        );
      }
      return this.check(decodeWav(bytes), text);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private stretchArgs(): string[] {
    // Flite stretches durations: a speed of 2 is half the duration.
    return this.speed === 1 ? [] : ['--setf', `duration_stretch=${1 / this.speed}`];
  }

  /** Rejects what Flite returns without complaint: another voice's rate (a silent fallback) or no audio. */
  private check(audio: Audio, text: string): Audio {
    const expected = FLITE_VOICES[this.voice]?.sampleRate;
    if (audio.sampleRate !== expected) {
      throw new SynthesisError(
        `Flite answered at ${audio.sampleRate} Hz instead of voice ${this.voice}'s ${expected} Hz: it did not load the voice`,
      );
    }
    if (audio.pcm.length === 0) {
      throw new SynthesisError(
        `Flite produced no audio for "${text.slice(0, 80)}"`,
        'write the prompt in English words; Flite cannot speak other scripts',
      );
    }
    return audio;
  }
}

/** `provider: flite` in the config, the default synthesizer: offline, free, deterministic. */
export const fliteSynthesizerProvider: SynthesizerProvider = {
  id: 'flite',
  description: 'Offline text to speech with CMU Flite (WebAssembly): no key, no network.',
  optionsSchema: {
    type: 'object',
    properties: {
      voices: {
        type: 'array',
        minItems: 1,
        items: { enum: Object.keys(FLITE_VOICES) },
        description: `Every prompt is spoken in each voice: ${Object.entries(FLITE_VOICES)
          .map(([name, voice]) => `${name} (${voice.description})`)
          .join(', ')}.`,
      },
      speed: {
        type: 'number',
        minimum: SPEED_RANGE.min,
        maximum: SPEED_RANGE.max,
        description: 'Speaking rate: 1 is normal, 1.5 half again as fast (default 1).',
      },
    },
    additionalProperties: false,
  },
  defaultVoices: ['kal16'],
  prepare() {
    workers().prepare();
  },
  create(options, voice) {
    return new FliteSynthesizer({
      voice,
      speed: typeof options.speed === 'number' ? options.speed : undefined,
    });
  },
};
