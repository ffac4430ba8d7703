import { SPEAKING_RATE_RANGE } from './speaking-rate.js';

/**
 * What a variant is (variant.ts applies one): its shape, its JSON Schema and the checks the schema
 * cannot make. Apart from variant.ts, so that reading a config or scenario file (which checks its
 * `variants`) loads neither ajv nor the audio code that applies them.
 */

export const NOISE_TYPES = ['white', 'pink', 'brown', 'babble', 'hum'] as const;
/** The kinds of noise a variant can add. */
export type NoiseType = (typeof NOISE_TYPES)[number];

/** Noise added at a signal-to-noise ratio measured over the speech (see addNoiseAtSnr). */
export interface NoiseCondition {
  type: NoiseType;
  snr_db: number;
  /** Mains frequency of `hum`: 50 (default) or 60 Hz. */
  hum_hz?: 50 | 60;
}

/** Packets lost on the way: each frame of `frame_ms` (default 20) is dropped with probability `rate`. */
export interface PacketLoss {
  rate: number;
  frame_ms?: number;
}

/** One named audio condition, as written under `variants:` in a config or scenario file. */
export interface Variant {
  name: string;
  /** Speaking rate with the pitch kept: 0.5 (half as fast) to 2. */
  speed?: number;
  noise?: NoiseCondition;
  channel?: 'telephone';
  packet_loss?: PacketLoss;
  /** Level change of the whole clip in dB; clipped at 16 bits. */
  gain_db?: number;
  leading_silence_ms?: number;
  trailing_silence_ms?: number;
}

/** The variant every suite has when it names none: the audio as synthesized. */
export const CLEAN_VARIANT: Readonly<Variant> = { name: 'clean' };

/** Limits of each parameter, the ones the schema enforces. */
export const VARIANT_LIMITS = {
  speed: SPEAKING_RATE_RANGE,
  snr_db: { min: -10, max: 60 },
  packet_loss_rate: { min: 0, max: 0.5 },
  frame_ms: { min: 5, max: 200 },
  gain_db: { min: -40, max: 40 },
  silence_ms: { min: 0, max: 60000 },
} as const;

/** The usual VoIP packet. */
export const DEFAULT_FRAME_MS = 20;

const silence = (where: string) =>
  ({
    type: 'number',
    minimum: VARIANT_LIMITS.silence_ms.min,
    maximum: VARIANT_LIMITS.silence_ms.max,
    description: `Milliseconds of silence ${where} the speech (noise, when added, covers it too).`,
  }) as const;

/**
 * JSON Schema (draft-07) of one variant, for the config and scenario schemas to include under
 * `variants.items`; `variantsSchema` is the whole list. Names must also be unique: variantProblems.
 */
export const variantSchema = {
  type: 'object',
  description:
    'A named audio condition applied to the synthesized speech before the agent hears it. Conditions combine; they are applied in a fixed order: speed, silence, noise, gain, channel, packet loss.',
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description: 'Unique name of the variant, shown in reports (e.g. clean, cafe-10db, phone).',
    },
    speed: {
      type: 'number',
      minimum: VARIANT_LIMITS.speed.min,
      maximum: VARIANT_LIMITS.speed.max,
      description: 'Speaking rate with the pitch kept: 0.5 is half as fast, 2 twice as fast (1: unchanged).',
    },
    noise: {
      type: 'object',
      description: 'Background noise at a signal-to-noise ratio measured over the speech.',
      properties: {
        type: {
          enum: [...NOISE_TYPES],
          description:
            'white, pink (falls 3 dB/octave), brown (falls 6 dB/octave, rumble), babble (several voices talking), hum (mains at 50 or 60 Hz with harmonics).',
        },
        snr_db: {
          type: 'number',
          minimum: VARIANT_LIMITS.snr_db.min,
          maximum: VARIANT_LIMITS.snr_db.max,
          description:
            'Speech RMS over noise RMS in dB: 30 is faint, 10 is a busy café, 0 as loud as the voice.',
        },
        hum_hz: { enum: [50, 60], description: 'Mains frequency of a hum (default 50).' },
      },
      required: ['type', 'snr_db'],
      additionalProperties: false,
    },
    channel: {
      enum: ['telephone'],
      description: 'telephone: band-limited to 300–3400 Hz, 8 kHz, G.711 μ-law (heard at the original rate).',
    },
    packet_loss: {
      type: 'object',
      description: 'Frames lost on the network, each replaced by silence.',
      properties: {
        rate: {
          type: 'number',
          minimum: VARIANT_LIMITS.packet_loss_rate.min,
          maximum: VARIANT_LIMITS.packet_loss_rate.max,
          description: 'Share of frames dropped, 0 to 0.5 (0.05 is a bad mobile connection).',
        },
        frame_ms: {
          type: 'number',
          minimum: VARIANT_LIMITS.frame_ms.min,
          maximum: VARIANT_LIMITS.frame_ms.max,
          description: `Length of a packet in milliseconds (default ${DEFAULT_FRAME_MS}).`,
        },
      },
      required: ['rate'],
      additionalProperties: false,
    },
    gain_db: {
      type: 'number',
      minimum: VARIANT_LIMITS.gain_db.min,
      maximum: VARIANT_LIMITS.gain_db.max,
      description: 'Level change in dB (−20: a quiet caller; +10: a hot microphone, clipped at 16 bits).',
    },
    leading_silence_ms: silence('before'),
    trailing_silence_ms: silence('after'),
  },
  required: ['name'],
  additionalProperties: false,
} as const;

/** JSON Schema of a `variants:` list. */
export const variantsSchema = {
  type: 'array',
  minItems: 1,
  items: variantSchema,
  description:
    'Audio conditions to run every prompt under (a run per prompt × voice × variant); default: one clean variant.',
} as const;

/** A problem in a variants list: `path` is relative to the list (index first), for the loader to locate. */
export interface VariantProblem {
  path: Array<string | number>;
  message: string;
  hint?: string;
}

/** What the schema cannot say about a list that it accepts: names used twice, a hum frequency on another noise. */
export function variantProblems(variants: readonly Variant[]): VariantProblem[] {
  const problems: VariantProblem[] = [];
  const firstAt = new Map<string, number>();
  variants.forEach((variant, index) => {
    const first = firstAt.get(variant.name);
    if (first === undefined) firstAt.set(variant.name, index);
    else {
      problems.push({
        path: [index, 'name'],
        message: `variant name "${variant.name}" is used twice (items ${first + 1} and ${index + 1})`,
        hint: 'give each variant its own name: reports and run ids tell them apart by it',
      });
    }
    if (variant.noise?.hum_hz !== undefined && variant.noise.type !== 'hum') {
      problems.push({
        path: [index, 'noise', 'hum_hz'],
        message: `hum_hz is set on ${variant.noise.type} noise`,
        hint: 'remove hum_hz, or write `type: hum`',
      });
    }
  });
  return problems;
}
