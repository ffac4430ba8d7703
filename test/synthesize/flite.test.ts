import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';
import { SynthesisError } from '../../src/core/errors.js';
import { FLITE_VOICES, FliteSynthesizer, fliteSynthesizerProvider } from '../../src/synthesize/flite.js';
import { FliteWorkerPool } from '../../src/synthesize/flite-worker.js';

const SENTENCE = 'Book a table for two at seven tonight.';

/** Root mean square of the samples, 0..1 of full scale. */
function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const sample of pcm) sum += sample * sample;
  return Math.sqrt(sum / pcm.length) / 32768;
}

describe('FliteSynthesizer', () => {
  it.each(Object.entries(FLITE_VOICES))(
    'speaks with voice %s at its native rate',
    async (voice, { sampleRate }) => {
      const audio = await new FliteSynthesizer({ voice }).synthesize(SENTENCE);
      expect(audio.sampleRate).toBe(sampleRate);
      const seconds = audio.pcm.length / audio.sampleRate;
      expect(seconds).toBeGreaterThan(1);
      expect(seconds).toBeLessThan(5);
      // Speech, not silence or clipping noise.
      expect(rms(audio.pcm)).toBeGreaterThan(0.01);
      expect(rms(audio.pcm)).toBeLessThan(0.5);
    },
  );

  it('gives each voice its own audio', async () => {
    const [kal16, slt] = await Promise.all(
      ['kal16', 'slt'].map((voice) => new FliteSynthesizer({ voice }).synthesize(SENTENCE)),
    );
    expect(kal16?.pcm.length).not.toBe(slt?.pcm.length);
  });

  it('is deterministic: the same text and voice give the same samples', async () => {
    const synthesizer = new FliteSynthesizer({ voice: 'awb' });
    const [first, second] = await Promise.all([
      synthesizer.synthesize(SENTENCE),
      synthesizer.synthesize(SENTENCE),
    ]);
    expect(first?.pcm).toEqual(second?.pcm);
  });

  it('speaks a one-word text instead of reading it as a file name', async () => {
    const audio = await new FliteSynthesizer().synthesize('hello');
    expect(audio.pcm.length / audio.sampleRate).toBeGreaterThan(0.3);
  });

  it('changes the speaking rate with speed', async () => {
    const normal = await new FliteSynthesizer({ voice: 'slt' }).synthesize(SENTENCE);
    const fast = await new FliteSynthesizer({ voice: 'slt', speed: 2 }).synthesize(SENTENCE);
    const slow = await new FliteSynthesizer({ voice: 'slt', speed: 0.5 }).synthesize(SENTENCE);
    expect(fast.pcm.length / normal.pcm.length).toBeGreaterThan(0.4);
    expect(fast.pcm.length / normal.pcm.length).toBeLessThan(0.65);
    expect(slow.pcm.length / normal.pcm.length).toBeGreaterThan(1.6);
  });

  it('encodes its voice and speed in its id, so caches and reports tell them apart', () => {
    expect(new FliteSynthesizer().id).toBe('flite:kal16');
    expect(new FliteSynthesizer({ voice: 'slt', speed: 1.5 }).id).toBe('flite:slt:speed=1.5');
    expect(new FliteSynthesizer({ voice: 'slt' }).voice).toBe('slt');
  });

  it('rejects an unknown voice instead of falling back to kal as Flite does', () => {
    expect(() => new FliteSynthesizer({ voice: 'kal17' })).toThrow(SynthesisError);
    expect(() => new FliteSynthesizer({ voice: 'toString' })).toThrow(/unknown Flite voice "toString"/);
    try {
      new FliteSynthesizer({ voice: 'alloy' });
    } catch (error) {
      expect((error as SynthesisError).hint).toBe('use one of kal16, slt, rms, awb, kal');
    }
  });

  it('rejects a speed out of range', () => {
    expect(() => new FliteSynthesizer({ speed: 0 })).toThrow(/speed 0 is out of range/);
    expect(() => new FliteSynthesizer({ speed: 5 })).toThrow(SynthesisError);
    expect(() => new FliteSynthesizer({ speed: Number.NaN })).toThrow(SynthesisError);
  });

  it('rejects an empty text, and a text Flite cannot speak', async () => {
    await expect(new FliteSynthesizer().synthesize('  ')).rejects.toThrow(/empty text/);
    // Flite skips what it cannot pronounce and returns an empty WAV without complaint.
    await expect(new FliteSynthesizer().synthesize('日本語')).rejects.toThrow(
      /Flite produced no audio for "日本語"/,
    );
  });

  it('speaks a long paragraph', async () => {
    const paragraph = Array.from({ length: 30 }, (_, i) => `Sentence number ${i + 1} asks for a table.`).join(
      ' ',
    );
    const audio = await new FliteSynthesizer().synthesize(paragraph);
    expect(audio.pcm.length / audio.sampleRate).toBeGreaterThan(30);
  });

  it('rejects at once when aborted, before or during synthesis', async () => {
    const synthesizer = new FliteSynthesizer({ voice: 'rms' });
    await expect(synthesizer.synthesize(SENTENCE, AbortSignal.abort(new Error('stop')))).rejects.toThrow(
      'stop',
    );
    const controller = new AbortController();
    const pending = synthesizer.synthesize(SENTENCE, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
  });

  it('writes real WAV bytes that decode back to the same audio', async () => {
    const audio = await new FliteSynthesizer().synthesize(SENTENCE);
    const bytes = encodeWav(audio);
    expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(decodeWav(bytes)).toEqual(audio);
  });
});

describe('FliteWorkerPool', () => {
  it('turns a failure inside the worker into a SynthesisError and keeps serving', async () => {
    const pool = new FliteWorkerPool(1);
    const dir = await mkdtemp(join(tmpdir(), 'russo-flite-test-'));
    try {
      const missing = join(dir, 'no-such-folder');
      await expect(pool.run(['flite', '-t', 'hi', '/w/o.wav'], missing, join(dir, 'log'))).rejects.toThrow(
        /Flite failed: .*no-such-folder|Flite failed: .*ENOENT/,
      );
      const args = ['flite', '-voice', 'kal16', '-t', 'hello there', '/w/o.wav'];
      expect(await pool.run(args, dir, join(dir, 'log'))).toBe(0);
      expect(decodeWav(await readFile(join(dir, 'o.wav'))).sampleRate).toBe(16000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs jobs on several workers at once and answers each job with its own output', async () => {
    const pool = new FliteWorkerPool(2);
    const dir = await mkdtemp(join(tmpdir(), 'russo-flite-test-'));
    try {
      const texts = [1, 2, 4, 8].map((count) => Array(count).fill('table').join(' '));
      await Promise.all(
        texts.map((text, i) => pool.run(['flite', '-t', text, `/w/${i}.wav`], dir, join(dir, `${i}.log`))),
      );
      const lengths = await Promise.all(
        texts.map(async (_, i) => decodeWav(await readFile(join(dir, `${i}.wav`))).pcm.length),
      );
      // More words, longer audio: each file holds its own job's text.
      expect([...lengths].sort((a, b) => a - b)).toEqual(lengths);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('fliteSynthesizerProvider', () => {
  it('is the flite provider with kal16 as its default voice', () => {
    expect(fliteSynthesizerProvider.id).toBe('flite');
    expect(fliteSynthesizerProvider.defaultVoices).toEqual(['kal16']);
  });

  it('makes a synthesizer per voice with the configured speed', () => {
    const context = { baseDir: '.', env: {}, tools: [], concurrency: 1 };
    const synthesizer = fliteSynthesizerProvider.create({ speed: 1.25 }, 'awb', context);
    expect(synthesizer.id).toBe('flite:awb:speed=1.25');
    expect(() => fliteSynthesizerProvider.create({}, 'nova', context)).toThrow(/unknown Flite voice "nova"/);
  });
});
