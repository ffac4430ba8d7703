import type { SynthesizerProvider } from '../core/provider.js';
import { fliteSynthesizerProvider } from './flite.js';
import { geminiSynthesizerProvider } from './gemini.js';
import { openAISynthesizerProvider } from './openai.js';
import { picoSynthesizerProvider } from './pico.js';

/** Every synthesizer provider by its config id. A new provider is one file and one line here. */
export const synthesizerProviders: Readonly<Record<string, SynthesizerProvider>> = {
  flite: fliteSynthesizerProvider,
  gemini: geminiSynthesizerProvider,
  openai: openAISynthesizerProvider,
  pico: picoSynthesizerProvider,
};
