import { beforeAll, describe, expect, it } from 'vitest';
import { durationSeconds, rmsDbfs } from '../../src/audio/measure.js';
import { changeSpeakingRate } from '../../src/audio/speaking-rate.js';
import { changeSpeed } from '../../src/audio/speed.js';
import { AudioFormatError } from '../../src/core/errors.js';
import type { Audio } from '../../src/core/types.js';
import { medianPitchHz } from './signal.js';
import { fliteSpeech, SPEECH } from './speech.js';

let speech: Audio;
let pitch: number;
beforeAll(async () => {
  speech = await fliteSpeech();
  pitch = medianPitchHz(speech);
});

describe.each(SPEECH)('changeSpeakingRate (Sonic) on real %s speech', (_, make) => {
  let speech: Audio;
  let pitch: number;
  beforeAll(async () => {
    speech = await make();
    pitch = medianPitchHz(speech);
  });

  it.each([0.5, 0.8, 1.25, 1.5, 2])(
    'at %f changes the duration by the factor (±2%) and keeps the pitch (±4%)',
    async (factor) => {
      const changed = await changeSpeakingRate(speech, factor);
      expect(changed.sampleRate).toBe(speech.sampleRate);
      const ratio = durationSeconds(speech) / durationSeconds(changed);
      expect(Math.abs(ratio / factor - 1)).toBeLessThan(0.02);
      expect(Math.abs(medianPitchHz(changed) / pitch - 1)).toBeLessThan(0.04);
      expect(Math.abs(rmsDbfs(changed) - rmsDbfs(speech))).toBeLessThan(1.5);
    },
  );
});

describe('changeSpeakingRate on real Flite speech', () => {
  it('the pitch check can fail: tape-style changeSpeed moves the pitch with the speed', () => {
    expect(medianPitchHz(changeSpeed(speech, 1.5)) / pitch).toBeGreaterThan(1.4);
  });

  it('returns the audio itself at 1 and rejects rates out of 0.5..2', async () => {
    expect(await changeSpeakingRate(speech, 1)).toBe(speech);
    await expect(changeSpeakingRate(speech, 2.5)).rejects.toThrow(AudioFormatError);
    await expect(changeSpeakingRate(speech, Number.NaN)).rejects.toMatchObject({
      message: 'cannot change the speaking rate by NaN',
      hint: expect.stringMatching(/from 0.5 to 2/),
    });
  });

  it('handles concurrent calls and empty audio', async () => {
    const [a, b, empty] = await Promise.all([
      changeSpeakingRate(speech, 1.5),
      changeSpeakingRate(speech, 1.5),
      changeSpeakingRate({ pcm: new Int16Array(0), sampleRate: 16000 }, 1.5),
    ]);
    expect(a.pcm).toEqual(b.pcm);
    expect(empty.pcm.length).toBe(0);
  });
});
