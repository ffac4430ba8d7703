// Scenarios checked against the tools file at load: unknown tool names and expected values the
// tool's JSON Schema refuses are problems at their file:line:col, before anything runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScenarioError, type Problem } from '../../src/scenarios/errors.js';
import { loadSuite } from '../../src/suite/load.js';
import { project } from '../fixtures/project.js';

const TOOLS = readFileSync('tools/restaurant.json', 'utf8');
const CONFIG = 'agent:\n  provider: module\n  module: agent.js\n  tools: tools.json\n';

/** Loads a project with the restaurant tools and the given scenario; returns the problems (none when it loads). */
async function problemsOf(scenario: string, config = CONFIG): Promise<Problem[]> {
  const cwd = project({ 'russo.config.yaml': config, 'tools.json': TOOLS, 'scenarios/s.yaml': scenario });
  try {
    await loadSuite(undefined, { cwd });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems;
  }
}

const where = (problem: Problem) => `${problem.file}:${problem.line}:${problem.column}`;

describe('tool names', () => {
  it('an unknown name in expect, forbid and tool_results is a problem at its line, with the nearest name', async () => {
    const problems = await problemsOf(
      [
        'name: typos',
        'prompts: [Book a table for two at seven]',
        'expect:',
        '  - name: book_tabel',
        'forbid: [cancel_reservaton]',
        'tool_results:',
        '  get_opening_hour: {open: "12:00"}',
        '',
      ].join('\n'),
    );
    expect(problems.map((problem) => [where(problem), problem.message, problem.hint])).toEqual([
      [
        'scenarios/s.yaml:4:11',
        'unknown tool "book_tabel": tools.json defines no tool of that name',
        'did you mean "book_table"?',
      ],
      [
        'scenarios/s.yaml:5:10',
        'unknown tool "cancel_reservaton": tools.json defines no tool of that name',
        'did you mean "cancel_reservation"?',
      ],
      [
        'scenarios/s.yaml:7:3',
        'unknown tool "get_opening_hour": tools.json defines no tool of that name',
        'did you mean "get_opening_hours"?',
      ],
    ]);
  });

  it('a name far from every tool lists the tools', async () => {
    const [problem] = await problemsOf('name: x\nprompts: [hi]\nexpect:\n  - name: send_email\n');
    expect(problem?.hint).toBe(
      'use one of: book_table, cancel_reservation, get_opening_hours; or add the tool to tools.json',
    );
  });

  it('without a tools file, any name loads as before', async () => {
    const config = 'agent:\n  provider: module\n  module: agent.js\n';
    const scenario =
      'name: x\nprompts: [hi]\nexpect:\n  - name: book_tabel\n    arguments: {party_size: two}\nforbid: [x]\n';
    expect(await problemsOf(scenario, config)).toEqual([]);
  });
});

describe('expected arguments', () => {
  const BOOK = (args: string, match = '') =>
    `name: book\nprompts: [Book a table for two at seven]\nexpect:\n  - name: book_table\n    arguments:\n${args}${match}`;

  it('a plain value of the wrong type, at its line', async () => {
    const [problem, ...rest] = await problemsOf(BOOK('      party_size: two\n      time: "19:00"\n'));
    expect(rest).toEqual([]);
    expect(where(problem!)).toBe('scenarios/s.yaml:6:19');
    expect(problem?.message).toBe('book_table: party_size must be integer, got "two" (tools.json)');
    expect(problem?.hint).toContain("expect a value the tool's schema accepts");
  });

  it('a number written as text gets the hint to drop the quotes', async () => {
    const [problem] = await problemsOf(BOOK('      party_size: "2"\n'));
    expect(problem?.hint).toMatch(/^write the number without quotes/);
  });

  it('an argument name the schema does not have, at its key', async () => {
    const [problem] = await problemsOf(BOOK('      party_size: 2\n      tiem: "19:00"\n'));
    expect(problem).toMatchObject({
      file: 'scenarios/s.yaml',
      line: 7,
      column: 7,
      message: 'book_table: tiem is not a parameter in tools.json',
      hint: 'did you mean "time"?',
    });
  });

  it('a matcher that can never match the property type', async () => {
    const [problem] = await problemsOf(BOOK('      party_size: { regex: "^2$" }\n'));
    expect(where(problem!)).toBe('scenarios/s.yaml:6:19');
    expect(problem?.message).toBe(
      'book_table: party_size: {regex} matches only strings, but tools.json says integer',
    );
  });

  it('values that fit load, and the repository scenarios load against the repository tools', async () => {
    expect(
      await problemsOf(BOOK('      party_size: { one_of: [2, 3] }\n      time: { regex: "^19" }\n')),
    ).toEqual([]);
    const suite = await loadSuite(undefined, { cwd: process.cwd() });
    expect(suite.tools.map((tool) => tool.name)).toEqual([
      'book_table',
      'cancel_reservation',
      'get_opening_hours',
    ]);
    expect(suite.scenarios.length).toBeGreaterThan(0);
  });

  it('validate_arguments: false (scenario or config) skips the argument checks, not the name checks', async () => {
    const offHere = BOOK('      party_size: "2"\n', 'match: { validate_arguments: false }\n');
    expect(await problemsOf(offHere)).toEqual([]);
    const offByDefault = `${CONFIG}defaults:\n  match: { validate_arguments: false }\n`;
    expect(await problemsOf(BOOK('      party_size: "2"\n'), offByDefault)).toEqual([]);
    const typo = offHere.replace('name: book_table', 'name: book_tabel');
    expect((await problemsOf(typo)).map((problem) => problem.message)).toEqual([
      'unknown tool "book_tabel": tools.json defines no tool of that name',
    ]);
  });

  it('validate_arguments is loaded into the scenario match options (default true)', async () => {
    const cwd = project({
      'russo.config.yaml': CONFIG,
      'tools.json': TOOLS,
      'scenarios/a.yaml': 'name: a\nprompts: [hi]\nexpect: []\n',
      'scenarios/b.yaml': 'name: b\nprompts: [hi]\nexpect: []\nmatch: { validate_arguments: false }\n',
    });
    const suite = await loadSuite(undefined, { cwd });
    expect(suite.scenarios.map((scenario) => scenario.match.validateArguments)).toEqual([true, false]);
  });
});

describe('the tools file', () => {
  it('a tool whose schema does not compile is a problem where the config names the file', async () => {
    const cwd = project({
      'russo.config.yaml': CONFIG,
      'tools.json': JSON.stringify([
        { name: 'f', parameters: { type: 'object', properties: { a: { type: 'text' } } } },
      ]),
      'scenarios/s.yaml': 'name: x\nprompts: [hi]\nexpect: []\n',
    });
    const error = await loadSuite(undefined, { cwd }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ScenarioError);
    const [problem] = (error as ScenarioError).problems;
    expect(where(problem!)).toBe('russo.config.yaml:4:10');
    expect(problem?.message).toMatch(
      /^tool "f" in tools.json has a schema ajv cannot compile: schema is invalid/,
    );
  });
});
