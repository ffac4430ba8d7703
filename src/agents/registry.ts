import type { AgentProvider } from '../core/provider.js';
import { commandAgentProvider } from './command.js';
import { geminiLiveAgentProvider } from './gemini-live.js';
import { geminiAgentProvider } from './gemini.js';
import { httpAgentProvider } from './http.js';
import { moduleAgentProvider } from './module.js';
import { openAIChatAgentProvider } from './openai-chat.js';
import { openAIRealtimeAgentProvider } from './openai-realtime.js';
import { websocketAgentProvider } from './websocket.js';

/** Every agent provider by its config id. A new provider is one file and one line here. */
export const agentProviders: Readonly<Record<string, AgentProvider>> = {
  module: moduleAgentProvider,
  command: commandAgentProvider,
  http: httpAgentProvider,
  websocket: websocketAgentProvider,
  gemini: geminiAgentProvider,
  'gemini-live': geminiLiveAgentProvider,
  'openai-realtime': openAIRealtimeAgentProvider,
  'openai-chat': openAIChatAgentProvider,
};
