#!/usr/bin/env node
// The sample voice agent: a real, offline agent for a small restaurant that russo tests in this
// repository. It hears audio only (a WAV file), recognizes it with pocketsphinx and the restaurant
// grammar, and answers with tool calls, speaking russo's command-agent protocol:
//   spawn mode (default): one WAV file on stdin → one JSON object on stdout, then exit;
//   serve mode (RUSSO_MODE=serve): JSON lines, `{"id", "audio": base64 WAV}` in,
//   `{"id", "tool_calls", "transcript", "text"}` (or `{"id", "error"}`) out, until stdin ends.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { decide } from './intents.js';
import { createRecognizer, MODEL_SAMPLE_RATE } from './recognizer.js';
import { readWav, resample } from './wav.js';

const started = performance.now();
const [recognize, spawnInput] = await Promise.all([
  createRecognizer(),
  process.env.RUSSO_MODE === 'serve' ? undefined : readAll(process.stdin),
]);
process.stderr.write(`sample agent: recognizer ready in ${Math.round(performance.now() - started)} ms\n`);
const offeredTools = toolNames(process.env.RUSSO_TOOLS);

if (spawnInput === undefined) {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    let id;
    try {
      const request = JSON.parse(line);
      id = request.id;
      process.stdout.write(`${JSON.stringify({ id, ...answer(Buffer.from(request.audio, 'base64')) })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ id, error: error.message })}\n`);
    }
  }
} else {
  try {
    process.stdout.write(`${JSON.stringify(answer(spawnInput))}\n`);
  } catch (error) {
    // russo reports a non-zero exit as a run error, with this line from stderr.
    process.stderr.write(`sample agent: ${error.message}\n`);
    process.exitCode = 1;
  }
}

/** Hears one WAV file and returns the protocol's answer. */
function answer(wav) {
  const heard = performance.now();
  const transcript = recognize(resample(readWav(wav), MODEL_SAMPLE_RATE));
  const { toolCalls, text } = decide(transcript);
  // Like a model that is only offered some tools, the agent never calls a tool it was not given.
  const calls = offeredTools ? toolCalls.filter((call) => offeredTools.has(call.name)) : toolCalls;
  return { tool_calls: calls, transcript, text, latency_ms: Math.round(performance.now() - heard) };
}

/** Names of the tools in the definitions file that russo passes in RUSSO_TOOLS, if any. */
function toolNames(path) {
  if (!path) return undefined;
  return new Set(JSON.parse(readFileSync(path, 'utf8')).map((tool) => tool.name));
}

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
