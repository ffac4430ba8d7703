import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { addSilence, changeGain } from '../../src/audio/level.js';
import { dropPackets } from '../../src/audio/packet-loss.js';
import { applyVariant, assertVariant, variantCacheKey } from '../../src/audio/variant.js';
import {
  CLEAN_VARIANT,
  variantProblems,
  variantSchema,
  variantsSchema,
  type Variant,
} from '../../src/audio/variant-schema.js';
import { AudioFormatError } from '../../src/core/errors.js';
import type { Audio } from '../../src/core/types.js';
import { makeBabbleBed } from '../../src/synthesize/babble.js';
import { fliteSpeech } from './speech.js';

let speech: Audio;
let babble: Audio;
beforeAll(async () => {
  [speech, babble] = await Promise.all([fliteSpeech(), makeBabbleBed({ seconds: 10 })]);
});

const bytes = (audio: Audio) => Buffer.from(audio.pcm.buffer, audio.pcm.byteOffset, audio.pcm.byteLength);

describe('gain and silence', () => {
  it('multiplies every sample by 10^(dB/20), rounded, and clips what passes 16 bits', () => {
    const half = changeGain(speech, 20 * Math.log10(0.5));
    expect(half.pcm).toEqual(Int16Array.from(speech.pcm, (sample) => Math.round(sample * 0.5)));
    const hot = changeGain(speech, 20).pcm;
    speech.pcm.forEach((sample, i) => {
      expect(hot[i]).toBe(Math.max(-32768, Math.min(32767, Math.round(sample * 10))));
    });
    expect(Math.max(...hot)).toBe(32767);
  });

  it('adds exactly the samples of the silence asked for, and keeps the speech bit for bit', () => {
    const padded = addSilence(speech, 250, 1000);
    const lead = 0.25 * speech.sampleRate;
    expect(padded.pcm.length).toBe(lead + speech.pcm.length + speech.sampleRate);
    expect(padded.pcm.subarray(0, lead).every((sample) => sample === 0)).toBe(true);
    expect(padded.pcm.subarray(lead, lead + speech.pcm.length)).toEqual(speech.pcm);
    expect(padded.pcm.subarray(lead + speech.pcm.length).every((sample) => sample === 0)).toBe(true);
    // 8 kHz: 12.5 ms is 100 samples exactly; 0.06 ms rounds to 0.
    expect(addSilence({ pcm: new Int16Array(3).fill(5), sampleRate: 8000 }, 12.5, 0.06).pcm.length).toBe(103);
  });
});

describe('packet loss', () => {
  // A clip with no zero samples, so that a dropped frame is exactly a frame of zeros.
  const tone = {
    pcm: Int16Array.from({ length: 16000 * 20 }, (_, i) => 1000 + ((i * 7) % 500)),
    sampleRate: 16000,
  };

  it.each([0.02, 0.1, 0.3, 0.5])('drops a share of %f of the 20 ms frames (±2%), as silence', (rate) => {
    const lossy = dropPackets(tone, rate, 20, 11);
    const frame = 320;
    let dropped = 0;
    let frames = 0;
    for (let start = 0; start < tone.pcm.length; start += frame, frames++) {
      const out = lossy.pcm.subarray(start, start + frame);
      if (out.every((sample) => sample === 0)) dropped++;
      else expect(out).toEqual(tone.pcm.subarray(start, start + frame));
    }
    expect(frames).toBe(1000);
    expect(Math.abs(dropped / frames - rate)).toBeLessThan(0.02);
  });

  it('cuts frames of frame_ms and drops the same ones for the same seed', () => {
    const lossy = dropPackets(tone, 0.3, 50, 4);
    const zeroRuns = lossy.pcm.reduce<number[]>((runs, sample, i) => {
      if (sample === 0 && (i === 0 || lossy.pcm[i - 1] !== 0)) runs.push(i);
      return runs;
    }, []);
    expect(zeroRuns.length).toBeGreaterThan(0);
    // Each run of silence starts on a frame boundary of 50 ms (800 samples).
    expect(zeroRuns.every((start) => start % 800 === 0)).toBe(true);
    expect(bytes(dropPackets(tone, 0.3, 50, 4))).toEqual(bytes(lossy));
    expect(bytes(dropPackets(tone, 0.3, 50, 5))).not.toEqual(bytes(lossy));
  });
});

describe('applyVariant', () => {
  const everything: Variant = {
    name: 'everything',
    speed: 1.2,
    leading_silence_ms: 300,
    trailing_silence_ms: 200,
    noise: { type: 'babble', snr_db: 10 },
    gain_db: -6,
    channel: 'telephone',
    packet_loss: { rate: 0.1, frame_ms: 20 },
  };

  it('gives identical bytes for the same seed and different ones for another seed', async () => {
    const first = await applyVariant(speech, everything, 42, { babble });
    const again = await applyVariant(speech, everything, 42, { babble });
    const other = await applyVariant(speech, everything, 43, { babble });
    expect(bytes(again)).toEqual(bytes(first));
    expect(bytes(other)).not.toEqual(bytes(first));
    expect(first.sampleRate).toBe(speech.sampleRate);
  });

  it('returns the audio itself for the clean variant', async () => {
    expect(await applyVariant(speech, CLEAN_VARIANT, 1)).toBe(speech);
  });

  it('derives a seed per condition: adding packet loss leaves the noise as it was', async () => {
    const noise: Variant = { name: 'n', noise: { type: 'white', snr_db: 10 } };
    const noisy = await applyVariant(speech, noise, 9);
    const lossy = await applyVariant(speech, { ...noise, packet_loss: { rate: 0.2 } }, 9);
    lossy.pcm.forEach((sample, i) => {
      if (sample !== 0) expect(sample).toBe(noisy.pcm[i]);
    });
  });

  it('applies the conditions in the documented order: silence before noise, so noise covers the pauses', async () => {
    const out = await applyVariant(
      speech,
      { name: 'o', leading_silence_ms: 500, noise: { type: 'pink', snr_db: 20 } },
      1,
    );
    expect(out.pcm.subarray(0, 8000).some((sample) => sample !== 0)).toBe(true);
    expect(out.pcm.length).toBe(speech.pcm.length + 8000);
  });

  it('asks for the babble bed instead of guessing one', async () => {
    await expect(
      applyVariant(speech, { name: 'b', noise: { type: 'babble', snr_db: 5 } }, 1),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/needs a babble bed/),
      hint: expect.stringMatching(/babbleBed/),
    });
  });

  it('rejects an invalid variant with what is wrong', async () => {
    await expect(applyVariant(speech, { name: 'x', speed: 3 }, 1)).rejects.toThrow(AudioFormatError);
    expect(() => assertVariant({ name: 'x', noise: { type: 'pinkk', snr_db: 5 } })).toThrow(/noise\/type/);
  });
});

describe('variant schema and checks', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(variantsSchema);
  const errorsOf = (variants: unknown) => {
    validate(variants);
    return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.keyword}`);
  };

  it('accepts every condition together, and the clean variant', () => {
    expect(
      errorsOf([
        CLEAN_VARIANT,
        {
          name: 'all',
          speed: 0.5,
          noise: { type: 'hum', snr_db: -10, hum_hz: 60 },
          channel: 'telephone',
          packet_loss: { rate: 0.5, frame_ms: 10 },
          gain_db: 6,
          leading_silence_ms: 0,
          trailing_silence_ms: 500,
        },
      ]),
    ).toEqual([]);
  });

  it.each([
    [{ name: 'a', noise: { type: 'rain', snr_db: 10 } }, '/0/noise/type enum'],
    [{ name: 'a', noise: { type: 'white', snr_db: 61 } }, '/0/noise/snr_db maximum'],
    [{ name: 'a', noise: { type: 'white', snr_db: -11 } }, '/0/noise/snr_db minimum'],
    [{ name: 'a', speed: 0.4 }, '/0/speed minimum'],
    [{ name: 'a', speed: 2.1 }, '/0/speed maximum'],
    [{ name: 'a', packet_loss: { rate: 0.6 } }, '/0/packet_loss/rate maximum'],
    [{ name: 'a', packet_loss: { rate: -0.1 } }, '/0/packet_loss/rate minimum'],
    [{ name: 'a', channel: 'radio' }, '/0/channel enum'],
    [{ name: 'a', noise: { type: 'white' } }, '/0/noise required'],
    [{ speed: 1 }, '/0 required'],
    [{ name: 'a', sped: 1 }, '/0 additionalProperties'],
  ])('rejects %j (%s)', (variant, error) => {
    expect(errorsOf([variant])).toContain(error);
  });

  it('is the same fragment as the item schema, ready to include in the config and scenario schemas', () => {
    expect(variantsSchema.items).toBe(variantSchema);
  });

  it('finds duplicate names and a hum frequency on another noise, with a path into the list', () => {
    expect(
      variantProblems([
        { name: 'a' },
        { name: 'b', noise: { type: 'white', snr_db: 3, hum_hz: 60 } },
        { name: 'a' },
      ]),
    ).toEqual([
      {
        path: [1, 'noise', 'hum_hz'],
        message: 'hum_hz is set on white noise',
        hint: 'remove hum_hz, or write `type: hum`',
      },
      {
        path: [2, 'name'],
        message: 'variant name "a" is used twice (items 1 and 3)',
        hint: 'give each variant its own name: reports and run ids tell them apart by it',
      },
    ]);
    expect(variantProblems([{ name: 'a' }, { name: 'b' }])).toEqual([]);
  });

  it('keys the cache on the conditions and the seed, not the name or the key order', () => {
    const a = variantCacheKey({ name: 'a', noise: { type: 'white', snr_db: 5 }, speed: 1.1 }, 1);
    expect(variantCacheKey({ speed: 1.1, name: 'b', noise: { snr_db: 5, type: 'white' } }, 1)).toBe(a);
    expect(variantCacheKey({ name: 'a', noise: { type: 'white', snr_db: 5 }, speed: 1.1 }, 2)).not.toBe(a);
    expect(variantCacheKey({ name: 'a', noise: { type: 'white', snr_db: 6 }, speed: 1.1 }, 1)).not.toBe(a);
  });
});
