import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { durationSeconds } from '../../src/audio/measure.js';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';
import { SynthesisError } from '../../src/core/errors.js';
import type { Audio } from '../../src/core/types.js';
import { CachedSynthesizer } from '../../src/synthesize/cached.js';
import { PICO_VOICES, PicoSynthesizer, picoSynthesizerProvider } from '../../src/synthesize/pico.js';
import { synthesizerProviders } from '../../src/synthesize/registry.js';
import { medianPitchHz } from '../audio/signal.js';

const bytes = (audio: Audio) => Buffer.from(audio.pcm.buffer, audio.pcm.byteOffset, audio.pcm.byteLength);

/** The same request in each language: 8–9 words. */
const SENTENCES: Record<string, string> = {
  'en-US': 'Book a table for two people at seven tonight.',
  'en-GB': 'Book a table for two people at seven tonight.',
  'de-DE': 'Reservieren Sie bitte einen Tisch für zwei Personen heute Abend.',
  'es-ES': 'Quiero reservar una mesa para dos personas esta noche.',
  'fr-FR': 'Je voudrais réserver une table pour deux personnes ce soir.',
  'it-IT': 'Vorrei prenotare un tavolo per due persone stasera.',
};

describe('PicoSynthesizer', () => {
  it('knows the six languages of SVOX Pico', () => {
    expect(Object.keys(PICO_VOICES).sort()).toEqual(Object.keys(SENTENCES).sort());
  });

  // Pico writes raw PCM with no header: the rate is its documented 16 kHz. Played at a wrong rate the
  // same samples would come out with a doubled or halved pitch and duration, so both are checked
  // against a person's: a female voice's f0 of 140–320 Hz, and 0.2–0.7 s a word.
  it.each(Object.keys(SENTENCES))('speaks %s at the rate it reports', async (voice) => {
    const text = SENTENCES[voice] as string;
    const audio = decodeWav(encodeWav(await new PicoSynthesizer({ voice }).synthesize(text)));
    expect(audio.sampleRate).toBe(16000);
    const perWord = durationSeconds(audio) / text.split(' ').length;
    expect(perWord).toBeGreaterThan(0.2);
    expect(perWord).toBeLessThan(0.7);
    const pitch = medianPitchHz(audio);
    expect(pitch).toBeGreaterThan(140);
    expect(pitch).toBeLessThan(320);
  });

  it('gives the same samples for the same text, every time', async () => {
    const pico = new PicoSynthesizer({ voice: 'en-GB' });
    const first = await pico.synthesize('Cancel my booking, please.');
    await pico.synthesize('Something else in between.');
    expect(bytes(await pico.synthesize('Cancel my booking, please.'))).toEqual(bytes(first));
  });

  it('answers concurrent requests each with its own speech', async () => {
    const texts = [1, 2, 4, 8].map((count) => Array(count).fill('table').join(' '));
    const clips = await Promise.all(
      texts.map((text, i) => new PicoSynthesizer({ voice: i % 2 ? 'it-IT' : 'en-US' }).synthesize(text)),
    );
    const lengths = clips.map((clip) => clip.pcm.length);
    expect([...lengths].sort((a, b) => a - b)).toEqual(lengths);
  });

  it('rejects an unknown voice, an empty text and an aborted request', async () => {
    expect(() => new PicoSynthesizer({ voice: 'pt-BR' })).toThrow(SynthesisError);
    expect(() => new PicoSynthesizer({ voice: 'toString' })).toThrow(/unknown Pico voice "toString"/);
    const pico = new PicoSynthesizer();
    await expect(pico.synthesize('  ')).rejects.toThrow(/empty text/);
    await expect(pico.synthesize('Hello.', AbortSignal.abort(new Error('stop')))).rejects.toThrow('stop');
  });

  it('works behind the audio cache, keyed by its id', async () => {
    const pico = new PicoSynthesizer({ voice: 'fr-FR' });
    expect(pico.id).toBe('pico:fr-FR');
    const cached = new CachedSynthesizer(pico, { dir: false });
    const first = await cached.synthesize('Bonjour.');
    expect(bytes(await cached.synthesize('Bonjour.'))).toEqual(bytes(first));
    expect(cached.counters).toMatchObject({ requests: 1, hits: 1 });
  });
});

describe('picoSynthesizerProvider', () => {
  it('is registered as pico, with en-US by default, and makes a synthesizer per voice', () => {
    expect(synthesizerProviders.pico).toBe(picoSynthesizerProvider);
    expect(picoSynthesizerProvider.defaultVoices).toEqual(['en-US']);
    const context = { baseDir: '.', env: {}, tools: [], concurrency: 1 };
    expect(picoSynthesizerProvider.create({}, 'de-DE', context).id).toBe('pico:de-DE');
    expect(() => picoSynthesizerProvider.create({}, 'xx', context)).toThrow(/unknown Pico voice/);
  });

  it('reads the language files from language_dir, relative to the config, when it is set', async () => {
    const baseDir = mkdtempSync(join(tmpdir(), 'russo-pico-'));
    try {
      mkdirSync(join(baseDir, 'voices'));
      for (const name of ['en-GB_ta.bin', 'en-GB_kh0_sg.bin']) {
        copyFileSync(join('vendor/svox-pico/lang', name), join(baseDir, 'voices', name));
      }
      const context = { baseDir, env: {}, tools: [], concurrency: 1 };
      const moved = picoSynthesizerProvider.create({ language_dir: 'voices' }, 'en-GB', context);
      const shipped = new PicoSynthesizer({ voice: 'en-GB' });
      expect(bytes(await moved.synthesize('Good evening.'))).toEqual(
        bytes(await shipped.synthesize('Good evening.')),
      );
      // Only that folder is read: a voice whose files are not in it is an error that names them.
      expect(() => picoSynthesizerProvider.create({ language_dir: 'voices' }, 'de-DE', context)).toThrow(
        /de-DE_ta\.bin and de-DE_gl0_sg\.bin are not in .*voices \(synthesizer\.language_dir\)/,
      );
    } finally {
      rmSync(baseDir, { recursive: true, force: true });
    }
  });
});
