import type {
  GenerateContentResponseUsageMetadata,
  MediaModality,
  ModalityTokenCount,
  UsageMetadata,
} from '@google/genai';
import type { Usage } from '../cost.js';

/**
 * Gemini's usage metadata in russo's provider-neutral names (those of the OpenAI agents and of the
 * price table), from generateContent (`candidates…`) or a Live session (`response…`): input tokens
 * split into audio and the rest (text, tool-use prompts), the cached ones likewise, output tokens
 * split into audio and text, thinking tokens counted as text output (they are billed as output).
 * Output reported without a split by modality is counted as `output`, what the request asked for.
 */
export function geminiUsage(
  metadata: GenerateContentResponseUsageMetadata | UsageMetadata | undefined,
  output: 'text' | 'audio',
): Usage | undefined {
  if (!metadata) return undefined;
  const generated = metadata as GenerateContentResponseUsageMetadata;
  const live = metadata as UsageMetadata;
  const audioIn = audioTokens(metadata.promptTokensDetails);
  const cachedAudio = audioTokens(metadata.cacheTokensDetails);
  const outputTokens = generated.candidatesTokenCount ?? live.responseTokenCount ?? 0;
  const outputDetails = generated.candidatesTokensDetails ?? live.responseTokensDetails;
  const audioOut =
    outputDetails === undefined ? (output === 'audio' ? outputTokens : 0) : audioTokens(outputDetails);
  return {
    input_text_tokens: (metadata.promptTokenCount ?? 0) - audioIn + (metadata.toolUsePromptTokenCount ?? 0),
    input_audio_tokens: audioIn,
    cached_text_tokens: (metadata.cachedContentTokenCount ?? 0) - cachedAudio,
    cached_audio_tokens: cachedAudio,
    output_text_tokens: outputTokens - audioOut + (metadata.thoughtsTokenCount ?? 0),
    output_audio_tokens: audioOut,
  };
}

// MediaModality.AUDIO, written out: the SDK is loaded only when a call is made.
const AUDIO = 'AUDIO' as MediaModality;

/** The audio tokens of a split by modality, as Gemini reports it beside each total. */
function audioTokens(details: ModalityTokenCount[] | undefined): number {
  return details?.find((detail) => detail.modality === AUDIO)?.tokenCount ?? 0;
}
