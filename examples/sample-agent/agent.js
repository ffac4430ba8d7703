#!/usr/bin/env node
// The sample voice agent: a real, offline agent for a small restaurant that russo tests in this
// repository. It hears audio only (a WAV file), recognizes it with pocketsphinx and the restaurant
// grammar, and answers with tool calls, speaking russo's command-agent protocol:
//   spawn mode (default): one WAV file on stdin → one JSON object on stdout, then exit;
//   serve mode (RUSSO_MODE=serve): JSON lines, `{"id", "audio": base64 WAV}` in,
//   `{"id", "tool_calls", "transcript", "text"}` (or `{"id", "error"}`) out, until stdin ends;
//   conversations: requests that carry `conversation` and `turn` are turns of one dialog (in
//   serve mode, or RUSSO_MODE=conversation for a process that holds one conversation): the agent
//   reports its call as `{"id", "tool_call"}`, reads russo's `{"id", "tool_result" | "tool_error"}`,
//   and replies with what came of it.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Dialog } from './dialog.js';
import { decide } from './intents.js';
import { createRecognizer, MODEL_SAMPLE_RATE } from './recognizer.js';
import { readWav, resample } from './wav.js';

const started = performance.now();
const linesMode = process.env.RUSSO_MODE === 'serve' || process.env.RUSSO_MODE === 'conversation';
const [recognize, spawnInput] = await Promise.all([
  createRecognizer(),
  linesMode ? undefined : readAll(process.stdin),
]);
process.stderr.write(`sample agent: recognizer ready in ${Math.round(performance.now() - started)} ms\n`);
const offeredTools = toolNames(process.env.RUSSO_TOOLS);

if (spawnInput === undefined) {
  await serveLines();
} else {
  try {
    process.stdout.write(`${JSON.stringify(answer(spawnInput))}\n`);
  } catch (error) {
    // russo reports a non-zero exit as a run error, with this line from stderr.
    process.stderr.write(`sample agent: ${error.message}\n`);
    process.exitCode = 1;
  }
}

/** JSON lines until stdin ends: one-turn requests as in spawn mode, and turns of conversations. */
async function serveLines() {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const nextLine = async () => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) return undefined;
      if (value.trim() !== '') return value;
    }
  };
  // russo gives a conversation one process for its whole length, so a process is in one
  // conversation at a time: a new conversation id means the previous one is over.
  let dialog;
  for (let line = await nextLine(); line !== undefined; line = await nextLine()) {
    let id;
    let reply;
    try {
      const request = JSON.parse(line);
      id = request.id;
      const wav = Buffer.from(request.audio, 'base64');
      if (request.conversation === undefined) {
        reply = answer(wav);
      } else {
        if (dialog?.id !== request.conversation) dialog = new Dialog(request.conversation);
        reply = await converse(dialog, wav, (call) => askTool(id, call, nextLine));
      }
    } catch (error) {
      reply = { error: error.message };
    }
    process.stdout.write(`${JSON.stringify({ id, ...reply })}\n`);
  }
}

/** Hears one WAV file and returns the protocol's answer. */
function answer(wav) {
  const heard = performance.now();
  const transcript = hear(wav);
  const { toolCalls, text } = decide(transcript);
  // Like a model that is only offered some tools, the agent never calls a tool it was not given.
  const calls = toolCalls.filter((call) => offered(call.name));
  return { tool_calls: calls, transcript, text, latency_ms: Math.round(performance.now() - heard) };
}

/**
 * Hears one turn of a conversation. A call is reported to russo as it is made (`askTool`), so the
 * answer leaves `tool_calls` out; a turn without a call says `tool_calls: []`.
 */
async function converse(dialog, wav, askTool) {
  const heard = performance.now();
  const transcript = hear(wav);
  const step = dialog.hear(transcript);
  const calling = step.call !== undefined && offered(step.call.name);
  const text = calling ? dialog.afterResult(step, await askTool(step.call)) : step.text;
  return {
    ...(calling ? {} : { tool_calls: [] }),
    transcript,
    text,
    latency_ms: Math.round(performance.now() - heard),
  };
}

/** Reports a tool call to russo and reads its answer: `{result}` or `{error}`. */
async function askTool(id, call, nextLine) {
  process.stdout.write(`${JSON.stringify({ id, tool_call: call })}\n`);
  const line = await nextLine();
  if (line === undefined) throw new Error(`stdin ended while waiting for the result of ${call.name}`);
  const message = JSON.parse(line);
  if (message.id !== id)
    throw new Error(`expected the result of ${call.name} for request ${id}, got: ${line}`);
  return 'tool_error' in message ? { error: message.tool_error } : { result: message.tool_result };
}

function hear(wav) {
  return recognize(resample(readWav(wav), MODEL_SAMPLE_RATE));
}

function offered(name) {
  return offeredTools === undefined || offeredTools.has(name);
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
