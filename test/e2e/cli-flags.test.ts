// The flags users bring from the Action and from promptfoo, run through the package's CLI as a
// process: aliases, -o FILE by extension, a did-you-mean for a typo, each command's own help, and
// contradictory colour flags. A wrong command line is exit 2 with a message that says the fix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { project } from '../fixtures/project.js';
import { ensureLib, russo } from './bundle.js';

// A module agent that asks for the opening hours, as the scenario expects.
const FILES = {
  'russo.config.yaml':
    'agent:\n  provider: module\n  module: agent.mjs\nsynthesizer:\n  provider: flite\n  voices: [kal16]\ndefaults:\n  runs: 1\n',
  'agent.mjs': `export default () => [{ name: 'get_opening_hours', arguments: {} }];\n`,
  'scenarios/hours.yaml':
    'name: opening hours\nprompts: [When are you open]\nexpect:\n  - name: get_opening_hours\n',
};

beforeAll(ensureLib, 180_000);

describe('russo flags (the package CLI)', () => {
  it('writes each -o FILE in the format of its extension, and takes --repeat for --runs', async () => {
    const cwd = project(FILES);
    const { code, stderr } = await russo(
      cwd,
      'run',
      '--repeat',
      '2',
      '-o',
      'out/report.json',
      '--output',
      'out/junit.xml',
      '-o',
      'out/report.html',
      '-o',
      'out/report.md',
    );
    expect(code).toBe(0);
    expect(stderr).toContain('1 scenario, 2 runs (1 voice)');
    const read = (file: string) => readFileSync(join(cwd, 'out', file), 'utf8');
    const report = JSON.parse(read('report.json'));
    expect(report.summary).toMatchObject({ total: 2, passed: 2 });
    // JUnit's total time is the suite's wall time, as in the JSON report.
    expect(read('junit.xml')).toMatch(
      new RegExp(
        `^<\\?xml[^\\n]*\\n<testsuites name="russo" tests="1" failures="0" errors="0" time="${(report.durationMs / 1000).toFixed(3)}">`,
      ),
    );
    expect(read('report.html')).toMatch(/^<!doctype html>/);
    expect(read('report.md')).toContain('| opening hours |');
  });

  it.each([
    [['-o', 'report.txt'], '-o report.txt: ".txt" names no report format'],
    [['-o', 'report'], '-o report: a file name without an extension names no report format'],
  ])('refuses %j with the extensions it knows, exit 2', async (flags, message) => {
    const { code, stderr } = await russo(project(FILES), 'run', ...flags);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `russo: ${message}\n  fix: end the file name with .json (JSON), .xml (JUnit XML), .html (HTML) or .md (Markdown)\n`,
    );
  });

  it.each([
    [['--json', 'a.json', '-o', 'b.json'], '--json a.json and -o b.json both ask for the JSON report'],
    [['-o', 'a.xml', '-o', 'b.xml'], '-o a.xml and -o b.xml both ask for the JUnit XML report'],
    [['--runs', '2', '--repeat', '3'], '--runs and --repeat are the same flag, given twice'],
    [['--color', '--no-color'], '--color and --no-color contradict each other'],
  ])('refuses %j, exit 2', async (flags, message) => {
    const { code, stdout, stderr } = await russo(project(FILES), 'run', ...flags);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe(`russo: ${message}`);
  });

  it('refuses --color with --no-color in compare too', async () => {
    const { code, stderr } = await russo(project({}), 'compare', 'a.json', 'b.json', '--no-color', '--color');
    expect(code).toBe(2);
    expect(stderr).toContain('russo: --color and --no-color contradict each other');
  });

  it.each([
    ['run', '--max-concurency', '--max-concurrency'],
    ['run', '--colour', '--color'],
    ['run', '--repeats', '--repeat'],
    ['merge', '--markdwon', '--markdown'],
    ['compare', '--alfa', '--alpha'],
  ])('russo %s %s: unknown flag, did you mean %s? exit 2', async (command, typo, meant) => {
    const { code, stderr } = await russo(project(FILES), command, typo, '1');
    expect(code).toBe(2);
    expect(stderr).toBe(
      `russo: unknown flag ${typo} (did you mean ${meant}?)\n  fix: see russo ${command} --help\n`,
    );
  });

  it('names an unknown flag that is like no other, exit 2', async () => {
    const { code, stderr } = await russo(project(FILES), 'run', '--frobnicate');
    expect(code).toBe(2);
    expect(stderr).toBe('russo: unknown flag --frobnicate\n  fix: see russo run --help\n');
  });

  it.each([
    [
      'validate',
      ['--json', 'r.json'],
      'takes no --json: it checks the scenario and config files and runs nothing',
    ],
    [
      'validate',
      ['--no-cache'],
      'takes no --no-cache: it checks the scenario and config files and runs nothing',
    ],
    ['merge', ['a.json', '--runs', '3'], 'takes no --runs: it keeps how each shard was run and judged'],
    ['merge', ['a.json', '--shard', '1/2'], 'takes no --shard: it keeps how each shard was run and judged'],
    [
      'grade',
      ['a.json', '--shard', '1/2'],
      'takes no --shard: it runs nothing, it grades the answers a report holds',
    ],
    [
      'grade',
      ['a.json', '-j', '4'],
      'takes no --max-concurrency: it runs nothing, it grades the answers a report holds',
    ],
  ])('russo %s refuses %j, a flag of run it would ignore, exit 2', async (command, flags, message) => {
    const { code, stdout, stderr } = await russo(project(FILES), command, ...flags);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe(`russo: russo ${command} ${message}`);
    expect(stderr).toContain('  fix: ');
  });

  it.each([
    ['rn', 'russo: unknown command "rn" (did you mean russo run?)'],
    ['valdiate', 'russo: unknown command "valdiate" (did you mean russo validate?)'],
    ['deploy', 'russo: unknown command "deploy"'],
  ])(
    'russo %s: an unknown command, with a did-you-mean when one is near, exit 2',
    async (command, message) => {
      const { code, stderr } = await russo(project(FILES), command);
      expect(code).toBe(2);
      expect(stderr).toBe(
        `${message}\n  fix: the commands are run, validate, merge, compare and grade: see russo --help\n`,
      );
    },
  );

  it.each([
    ['run', ['--max-concurrency', '--repeat', '-o, --output FILE', '--no-cache'], []],
    ['validate', ['--config', '--runs'], ['--json', '--max-concurrency']],
    ['merge', ['-o, --output FILE', '--json', '--color'], ['--runs', '--no-cache']],
    ['compare', ['--alpha', '--fail-on-regression', '--json'], ['--runs', '--output']],
    ['grade', ['--config', '--min-pass-rate', '--baseline', '--json'], ['--shard', '--runs', '--no-cache']],
  ])('russo %s --help shows its own help, exit 0', async (command, has, hasNot) => {
    for (const help of ['--help', '-h']) {
      const { code, stdout, stderr } = await russo(project(FILES), command, help);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout.split('\n')[0]).toMatch(new RegExp(`^Usage: russo ${command} `));
      // Not the whole CLI's help, which lists every command.
      expect(stdout).not.toContain('regression tests for voice agents');
      for (const flag of has) expect(stdout).toContain(flag);
      for (const flag of hasNot) expect(stdout).not.toContain(flag);
    }
  });
});
