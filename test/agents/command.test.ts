import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondWith } from '../../src/core/tool-call.js';
import { CommandAgent, commandAgentProvider, type CommandAgentOptions } from '../../src/agents/command.js';
import { encodeWav } from '../../src/audio/wav.js';
import { AgentError } from '../../src/core/errors.js';
import { run } from '../../src/core/pipeline.js';
import type { Audio, ToolCall, ToolDefinition } from '../../src/core/types.js';
import { ToolCallEvaluator } from '../../src/evaluate/index.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import { expectGone, isRunning, readPids } from '../fixtures/command-agent-processes.js';

const FIXTURE = resolve('test/fixtures/command-agent.mjs');
const PROMPT = 'Book a table for two at seven tonight';
const TOOLS: ToolDefinition[] = [
  { name: 'book_table', parameters: { type: 'object', properties: { party_size: { type: 'integer' } } } },
  { name: 'cancel_reservation' },
];

let audio: Audio;
let dir: string;

beforeAll(async () => {
  audio = await new FliteSynthesizer({ voice: 'kal16' }).synthesize(PROMPT);
  dir = await mkdtemp(join(tmpdir(), 'russo-command-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** An agent running the fixture with `behaviour`; closed by the caller. */
function fixtureAgent(behaviour: string, options: Partial<CommandAgentOptions> = {}): CommandAgent {
  return new CommandAgent({ command: [process.execPath, FIXTURE, behaviour], tools: TOOLS, ...options });
}

/** The fixture's report of what it heard: the arguments of its `heard` call. */
function heard(calls: ToolCall[]): Record<string, unknown> {
  expect(calls.map((call) => call.name)).toEqual(['heard']);
  return calls[0]?.arguments ?? {};
}

async function runError(agent: CommandAgent, signal?: AbortSignal): Promise<AgentError> {
  const error = await agent.run(audio, signal ? { signal } : {}).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AgentError);
  return error as AgentError;
}

describe('CommandAgent, spawn mode', () => {
  it('writes the real WAV bytes to stdin and reads the answer, with the tools file in RUSSO_TOOLS', async () => {
    const agent = fixtureAgent('echo');
    const response = await agent.run(audio);
    await agent.close();
    const report = heard(response.toolCalls);
    expect(report).toMatchObject({
      riff: true,
      sample_rate: 16000,
      bits: 16,
      channels: 1,
      samples: audio.pcm.length,
      sha256: createHash('sha256').update(encodeWav(audio)).digest('hex'),
      tools: ['book_table', 'cancel_reservation'],
      mode: 'spawn',
    });
    expect(response.transcript).toBe('i heard you');
    expect(response.text).toBe('ok');
  });

  it('gives the program the audio and never the prompt text (argv, environment, stdin)', async () => {
    const dumpFile = join(dir, 'dump.jsonl');
    const agent = fixtureAgent('echo', { env: { FIXTURE_DUMP: dumpFile } });
    const result = await run({
      prompt: PROMPT,
      synthesizer: new FliteSynthesizer({ voice: 'slt' }),
      agent,
      evaluator: new ToolCallEvaluator(),
      expect: [{ name: 'heard' }],
    });
    await agent.close();
    expect(result.status).toBe('passed');
    const given = await readFile(dumpFile, 'latin1');
    expect(given).toContain('RIFF');
    for (const text of [PROMPT, PROMPT.toLowerCase(), 'table for two', 'tonight'])
      expect(given).not.toContain(text);
  });

  it('turns a non-zero exit into an AgentError with the last 20 lines of stderr', async () => {
    const error = await runError(fixtureAgent('exit'));
    expect(error.message).toMatch(/^the agent command exited with code 3; stderr:\n/);
    expect(error.message).toContain('Error: the agent could not load its model');
    expect(error.message).toContain('trace line 30');
    expect(error.message).toContain('trace line 12\n');
    expect(error.message).not.toContain('trace line 11\n');
  });

  it.each([
    ['garbage', /stdout does not end with a JSON answer: Booked! Have a nice evening\./],
    ['empty', /exited without printing an answer on stdout/],
    ['no-tool-calls', /answer has no "tool_calls" array: \{"transcript":"book a table"/],
  ])('reports %s output as an AgentError with a hint and the stderr tail', async (behaviour, message) => {
    const error = await runError(fixtureAgent(behaviour));
    expect(error.message).toMatch(message);
    expect(error.message).toContain('fixture: request 1 with');
    expect(error.hint).toContain('"tool_calls"');
  });

  it('parses arguments given as a JSON string and flags malformed ones without failing the run', async () => {
    const response = await fixtureAgent('string-arguments').run(audio);
    expect(response.toolCalls[0]).toEqual({
      name: 'book_table',
      arguments: { party_size: 2, time: '19:00' },
    });
    expect(response.toolCalls[1]).toMatchObject({ name: 'cancel_reservation', arguments: {} });
    expect(response.toolCalls[1]?.argumentsError).toMatch(/not valid JSON/);
  });

  it('takes the last line as the answer when the agent logs to stdout first', async () => {
    const response = await fixtureAgent('logs-then-answer').run(audio);
    expect(heard(response.toolCalls).samples).toBe(audio.pcm.length);
  });

  it('says so when the program does not exist', async () => {
    const agent = new CommandAgent({ command: ['russo-no-such-agent-program'] });
    const error = await runError(agent);
    expect(error.message).toMatch(
      /cannot start the agent command `russo-no-such-agent-program`: .* was not found/,
    );
    expect(error.hint).toContain('agent.command');
  });

  it('kills the agent and the process it started when the run is cancelled', async () => {
    const pidFile = join(dir, 'cancel-pids.json');
    const controller = new AbortController();
    const pending = fixtureAgent('grandchild', { env: { PID_FILE: pidFile } }).run(audio, {
      signal: controller.signal,
    });
    const pids = await readPids(pidFile);
    expect([pids.child, pids.grandchild].every(isRunning)).toBe(true);
    controller.abort(new Error('cancelled by the test'));
    await expect(pending).rejects.toThrow('cancelled by the test');
    await expectGone([pids.child, pids.grandchild]);
  });

  it('records a hanging agent as a timed-out run and leaves nothing running', async () => {
    const pidFile = join(dir, 'timeout-pids.json');
    const result = await run({
      prompt: PROMPT,
      synthesizer: new FliteSynthesizer(),
      agent: fixtureAgent('grandchild', { env: { PID_FILE: pidFile } }),
      evaluator: new ToolCallEvaluator(),
      expect: [],
      timeoutMs: 1500,
    });
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/timed out/);
    const pids = await readPids(pidFile);
    await expectGone([pids.child, pids.grandchild]);
  });

  it('kills what the agent left running after it answered', async () => {
    const pidFile = join(dir, 'background-pids.json');
    const response = await fixtureAgent('background', { env: { PID_FILE: pidFile } }).run(audio);
    expect(heard(response.toolCalls).riff).toBe(true);
    const pids = await readPids(pidFile);
    await expectGone([pids.child, pids.grandchild]);
  });
});

describe('CommandAgent, serve mode', () => {
  it('answers concurrent runs with a pool of long-lived processes, started only when needed', async () => {
    const agent = fixtureAgent('echo', { mode: 'serve', processes: 2 });
    const first = heard((await agent.run(audio)).toolCalls);
    const second = heard((await agent.run(audio)).toolCalls);
    // One run at a time needs one process, and it stays up.
    expect(second.pid).toBe(first.pid);
    expect(second.request).toBe(2);
    const clips = [0.5, 1, 1.5, 2, 2.5, 3].map((seconds) => ({
      pcm: audio.pcm.subarray(0, 16000 * seconds),
      sampleRate: 16000,
    }));
    const reports = (await Promise.all(clips.map((clip) => agent.run(clip)))).map((response) =>
      heard(response.toolCalls),
    );
    await agent.close();
    expect(reports.map((report) => report.samples)).toEqual(clips.map((clip) => clip.pcm.length));
    expect(reports.every((report) => report.mode === 'serve' && report.riff === true)).toBe(true);
    expect(new Set(reports.map((report) => report.pid)).size).toBe(2);
    expect(reports[0]?.tools).toEqual(['book_table', 'cancel_reservation']);
    await expectGone([...new Set([first.pid, ...reports.map((report) => report.pid)])] as number[]);
  });

  it('fails only the run of a process that dies, with its stderr, and replaces the process', async () => {
    const agent = fixtureAgent('crash', { mode: 'serve', env: { CRASH_ON: '2' } });
    const first = heard((await agent.run(audio)).toolCalls);
    const error = await runError(agent);
    expect(error.message).toMatch(/^the agent process exited with code 3 before answering; stderr:\n/);
    expect(error.message).toContain('fatal: the model ran out of memory');
    const third = heard((await agent.run(audio)).toolCalls);
    await agent.close();
    expect(third.pid).not.toBe(first.pid);
    expect(third.request).toBe(1);
  });

  it('ignores log lines on stdout, plain or JSON without an id', async () => {
    const agent = fixtureAgent('noisy', { mode: 'serve' });
    const reports = [heard((await agent.run(audio)).toolCalls), heard((await agent.run(audio)).toolCalls)];
    await agent.close();
    expect(reports.map((report) => report.request)).toEqual([1, 2]);
  });

  it.each([
    [
      'unknown-id',
      /^the agent answered request "1-late", but the request in flight is "1": \{"id":"1-late","tool_calls":\[\]\}/,
    ],
    [
      'malformed',
      /^the agent printed a line that is not valid JSON: \{"id": "1", "tool_calls": \[\{"name": "book_table",/,
    ],
  ])(
    'fails the run at once on %s output, quoting the line, never as a timeout',
    async (behaviour, message) => {
      const agent = fixtureAgent(behaviour, { mode: 'serve' });
      const result = await run({
        prompt: PROMPT,
        synthesizer: new FliteSynthesizer(),
        agent,
        evaluator: new ToolCallEvaluator(),
        expect: [],
        timeoutMs: 60_000,
      });
      await agent.close();
      expect(result.status).toBe('error');
      expect(result.error?.replace(/^agent: /, '')).toMatch(message);
      expect(result.error).toContain('fixture: request 1 with');
    },
  );

  it("answers a call the program reports during a run with the scenario's mocked result", async () => {
    const agent = fixtureAgent('reports-call', { mode: 'serve' });
    const booked = { confirmed: true, reference: 'R-17' };
    const response = await agent.run(audio, { respond: respondWith({ book_table: booked }) });
    const unmocked = await agent.run(audio);
    await agent.close();
    const call = { name: 'book_table', arguments: {} };
    expect(response.toolCalls).toEqual([call]);
    expect(response.toolResults).toEqual([{ call, outcome: { result: booked } }]);
    expect(JSON.parse(response.text ?? '')).toEqual({ id: '1', tool_result: booked });
    expect(JSON.parse(unmocked.text ?? '')).toEqual({
      id: '2',
      tool_error: "no result is mocked for book_table: add it to the scenario's tool_results",
    });
  });

  it('turns an error answer and a malformed answer into AgentErrors, keeping the process', async () => {
    const errorAgent = fixtureAgent('error-answer', { mode: 'serve' });
    expect((await runError(errorAgent)).message).toMatch(
      /^the agent answered with an error: the model is not loaded/,
    );
    expect((await runError(errorAgent)).message).toMatch(/the model is not loaded/);
    await errorAgent.close();
    const badAgent = fixtureAgent('bad-answer', { mode: 'serve' });
    expect((await runError(badAgent)).message).toMatch(
      /answer has no "tool_calls" array: \{"id":"1","calls":\[\]\}/,
    );
    await badAgent.close();
  });

  it('kills a hanging process and its child on cancel, and starts a new one for the next run', async () => {
    const pidFile = join(dir, 'serve-pids.json');
    const agent = fixtureAgent('grandchild', { mode: 'serve', env: { PID_FILE: pidFile } });
    const controller = new AbortController();
    const pending = agent.run(audio, { signal: controller.signal });
    const pids = await readPids(pidFile);
    controller.abort(new Error('cancelled by the test'));
    await expect(pending).rejects.toThrow('cancelled by the test');
    await expectGone([pids.child, pids.grandchild]);
    await rm(pidFile);
    const next = agent.run(audio, { signal: AbortSignal.timeout(5000) });
    const replacement = await readPids(pidFile);
    expect(replacement.child).not.toBe(pids.child);
    await agent.close();
    await expect(next).rejects.toThrow(AgentError);
    await expectGone([replacement.child, replacement.grandchild]);
  });

  it('queues runs beyond the pool size; a closed agent refuses runs', async () => {
    const agent = fixtureAgent('echo', { mode: 'serve', processes: 1, env: { START_DELAY_MS: '300' } });
    const started = performance.now();
    const responses = await Promise.all([agent.run(audio), agent.run(audio), agent.run(audio)]);
    expect(responses.map((response) => heard(response.toolCalls).request)).toEqual([1, 2, 3]);
    expect(performance.now() - started).toBeGreaterThan(300);
    await agent.close();
    await expect(agent.run(audio)).rejects.toThrow('the agent was closed');
  });
});

describe('commandAgentProvider', () => {
  it('expands ${NAME} in env, resolves cwd against the config folder and sizes the pool by the concurrency', async () => {
    const agent = await commandAgentProvider.create(
      {
        command: [process.execPath, FIXTURE],
        mode: 'serve',
        cwd: 'fixtures',
        env: { ECHO_ENV: 'token=${FIXTURE_TOKEN}' },
      },
      { baseDir: resolve('test'), env: { FIXTURE_TOKEN: 'abc' }, tools: TOOLS, concurrency: 3 },
    );
    expect(agent.id).toBe(`command:${process.execPath} ${FIXTURE}`);
    const reports = (await Promise.all([1, 2, 3, 4].map(() => agent.run(audio)))).map((r) =>
      heard(r.toolCalls),
    );
    await agent.close?.();
    expect(reports[0]).toMatchObject({ echo_env: 'token=abc', cwd: resolve('test/fixtures'), mode: 'serve' });
    expect(new Set(reports.map((report) => report.pid)).size).toBe(3);
  });

  it("inherits the suite's environment (the Action's keys), not only russo's own", async () => {
    const agent = await commandAgentProvider.create(
      { command: [process.execPath, FIXTURE] },
      { baseDir: resolve('test'), env: { ECHO_ENV: 'given by the suite' }, tools: [], concurrency: 1 },
    );
    const report = heard((await agent.run(audio)).toolCalls);
    await agent.close?.();
    expect(report).toMatchObject({ echo_env: 'given by the suite', mode: 'spawn' });
  });

  it('refuses an env value that names an unset variable, without running anything', () => {
    expect(() =>
      commandAgentProvider.create(
        { command: ['node', 'agent.js'], env: { OPENAI_API_KEY: '${OPENAI_API_KEY}' } },
        { baseDir: '.', env: {}, tools: [], concurrency: 1 },
      ),
    ).toThrow(
      /agent.env.OPENAI_API_KEY uses \$\{OPENAI_API_KEY\}, but the environment variable OPENAI_API_KEY is not set/,
    );
  });
});
