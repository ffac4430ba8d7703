import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import type { SuiteResult } from '../../src/suite/types.js';
import {
  bookTableResult,
  comparedSuite,
  emptySuite,
  failingSuite,
  cancelResult,
  HOSTILE,
  invalidArgumentsSuite,
  passingSuite,
  scenarioResult,
  stoppedSuite,
  suiteResult,
} from '../fixtures/suite-result.js';
import { conversationSuite, HOSTILE_REPLY, SESSION_DROPPED } from '../fixtures/suite-result-conversations.js';
import { variantSuite } from '../fixtures/suite-result-variants.js';

// A strict XML 1.0 well-formedness reader for what a JUnit consumer parses: the declaration, elements,
// attributes and text; it rejects characters XML forbids, bare `&`/`<`, unknown entities, bad nesting.
interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const XML_CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
const NAME = '[A-Za-z_][\\w.-]*';

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw < in ${where}`);
  const bad = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(raw);
  if (bad) throw new Error(`bare & in ${where}: ${raw.slice(bad.index, bad.index + 20)}`);
  return raw.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[entity]) return named[entity];
    const code = entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    const char = String.fromCodePoint(code);
    if (!XML_CHAR.test(char)) throw new Error(`character reference to a forbidden character &${entity};`);
    return char;
  });
}

function parseXml(xml: string): XmlElement {
  if (!XML_CHAR.test(xml)) throw new Error('a character XML 1.0 forbids');
  const declaration = '<?xml version="1.0" encoding="UTF-8"?>';
  if (!xml.startsWith(declaration)) throw new Error('no XML declaration');
  const startTag = new RegExp(`<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(/?)>`, 'y');
  const endTag = new RegExp(`</(${NAME})\\s*>`, 'y');
  const text = /[^<]+/y;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let at = declaration.length;
  while (at < xml.length) {
    for (const pattern of [startTag, endTag, text]) pattern.lastIndex = at;
    let match: RegExpExecArray | null;
    if ((match = startTag.exec(xml))) {
      const attributes: Record<string, string> = {};
      for (const attr of match[2]!.matchAll(new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g'))) {
        if (attr[1]! in attributes) throw new Error(`duplicate attribute ${attr[1]}`);
        attributes[attr[1]!] = decode(attr[2] ?? attr[3] ?? '', `attribute ${attr[1]}`);
      }
      const element: XmlElement = { name: match[1]!, attributes, children: [], text: '' };
      if (stack.length > 0) stack.at(-1)!.children.push(element);
      else if (root) throw new Error('two root elements');
      else root = element;
      if (match[3] !== '/') stack.push(element);
      at = startTag.lastIndex;
    } else if ((match = endTag.exec(xml))) {
      const open = stack.pop();
      if (open?.name !== match[1]) throw new Error(`</${match[1]}> closes <${open?.name}>`);
      at = endTag.lastIndex;
    } else if ((match = text.exec(xml))) {
      if (match[0].includes(']]>')) throw new Error(']]> in text');
      if (stack.length === 0) {
        if (match[0].trim() !== '') throw new Error('text outside the root element');
      } else stack.at(-1)!.text += decode(match[0], `<${stack.at(-1)!.name}>`);
      at = text.lastIndex;
    } else {
      throw new Error(`not XML at ${xml.slice(at, at + 30)}`);
    }
  }
  if (stack.length > 0 || !root) throw new Error('unclosed element');
  return root;
}

const children = (element: XmlElement, name: string) =>
  element.children.filter((child) => child.name === name);

describe('the XML reader used by these tests', () => {
  it('rejects what XML forbids', () => {
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><a>\u0007</a>')).toThrow(/forbids/);
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><a>a & b</a>')).toThrow(/bare &/);
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><a><b></a></b>')).toThrow(/closes/);
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><a>&#1;</a>')).toThrow(/forbidden/);
    expect(parseXml('<?xml version="1.0" encoding="UTF-8"?><a x="&lt;&#10;">&amp;</a>')).toMatchObject({
      attributes: { x: '<\n' },
      text: '&',
    });
  });
});

describe('renderJunit', () => {
  it('writes well-formed XML whose counts agree at every level', () => {
    for (const result of [
      failingSuite(),
      passingSuite(),
      stoppedSuite(),
      emptySuite(),
      conversationSuite(),
    ]) {
      const root = parseXml(renderJunit(result));
      expect(root.name).toBe('testsuites');
      const suites = children(root, 'testsuite');
      // A testsuite per scenario, and the gate's when it failed.
      expect(suites).toHaveLength(result.scenarios.length + (result.gate.passed ? 0 : 1));
      let tests = 0;
      let failures = 0;
      let errors = 0;
      const ms = (element: XmlElement) => Math.round(Number(element.attributes.time) * 1000);
      for (const suite of suites) {
        const cases = children(suite, 'testcase');
        const caseFailures = cases.filter((testCase) => children(testCase, 'failure').length > 0).length;
        const caseErrors = cases.filter((testCase) => children(testCase, 'error').length > 0).length;
        expect(Number(suite.attributes.tests)).toBe(cases.length);
        expect(Number(suite.attributes.failures)).toBe(caseFailures);
        expect(Number(suite.attributes.errors)).toBe(caseErrors);
        // Runs overlap: no part takes longer than the whole, which is the suite's wall time.
        expect(ms(suite)).toBeLessThanOrEqual(ms(root));
        for (const testCase of cases) {
          // At most one of failure/error: the strictest common schema allows no more.
          expect(
            children(testCase, 'failure').length + children(testCase, 'error').length,
          ).toBeLessThanOrEqual(1);
          expect(testCase.attributes.time).toMatch(/^\d+\.\d{3}$/);
          expect(ms(testCase)).toBeLessThanOrEqual(ms(suite));
          expect(testCase.attributes.classname).toBe(suite.attributes.name);
        }
        tests += cases.length;
        failures += caseFailures;
        errors += caseErrors;
      }
      expect(Number(root.attributes.tests)).toBe(tests);
      expect(Number(root.attributes.failures)).toBe(failures);
      expect(Number(root.attributes.errors)).toBe(errors);
      expect(ms(root)).toBe(result.durationMs);
    }
  });

  it('times the whole by the wall clock, and no scenario or prompt longer than the whole', () => {
    // Two scenarios whose runs of 3 s each ran side by side: 18 s of runs in 4.5 s.
    const overlapping = (name: string) => {
      const base = cancelResult();
      const runs = base.runs.map((run) => ({ ...run, latencyMs: 3000 }));
      return scenarioResult({ ...base.scenario, name }, runs);
    };
    const root = parseXml(
      renderJunit(suiteResult([overlapping('one'), overlapping('two')], {}, { durationMs: 4500 })),
    );
    expect(root.attributes.time).toBe('4.500');
    const scenarios = children(root, 'testsuite').filter((suite) => suite.attributes.name !== 'russo gate');
    expect(scenarios).toHaveLength(2);
    for (const suite of scenarios) {
      expect(suite.attributes.time).toBe('4.500');
      for (const testCase of children(suite, 'testcase')) expect(testCase.attributes.time).toBe('4.500');
    }
    // Runs that did not overlap: each part is the time its runs took.
    const sequential = parseXml(renderJunit(suiteResult([cancelResult()], {}, { durationMs: 60_000 })));
    const runsMs = cancelResult().runs.reduce((sum, run) => sum + run.latencyMs, 0);
    expect(sequential.attributes.time).toBe('60.000');
    expect(children(sequential, 'testsuite')[0]!.attributes.time).toBe((runsMs / 1000).toFixed(3));
  });

  it('puts the schema errors of invalid calls in the failure', () => {
    const root = parseXml(renderJunit(invalidArgumentsSuite()));
    const [testcase] = children(children(root, 'testsuite')[0]!, 'testcase');
    const [failure] = children(testcase!, 'failure');
    expect(failure?.text).toContain(
      'run 2 · kal16:\n  invalid arguments for book_table: party_size must be integer, got "two"\n' +
        '    actual:   book_table({party_size: "two", time: "19:00"})',
    );
    expect(failure?.text).toContain(
      'run 3 · kal16:\n  invalid arguments for book_table: notes is not a parameter of the tool (its schema allows no other keys)',
    );
  });

  it('makes one testcase per scenario × prompt, failing the prompts under min_pass_rate', () => {
    const root = parseXml(renderJunit(failingSuite()));
    const suite = (name: string) => children(root, 'testsuite').find((s) => s.attributes.name === name)!;
    const book = children(suite('book a table'), 'testcase');
    expect(book.map((testCase) => testCase.attributes.name)).toEqual([
      'Book a table for two at seven tonight',
      'Can I get a reservation for 2 people at 7pm?',
    ]);
    expect(book[0]!.attributes).toMatchObject({
      classname: 'book a table',
      file: 'scenarios/book-table.yaml',
      line: '3',
    });
    // 4/4 passes; 3/4 = 75% is under the scenario's 80%, though the scenario (7/8) passed.
    expect(children(book[0]!, 'failure')).toHaveLength(0);
    const failure = children(book[1]!, 'failure')[0]!;
    expect(failure.attributes.message).toBe('75% passed (3/4), needs 80%');
    expect(failure.text).toContain('run 2 · slt:');
    expect(failure.text).toContain('book_table: party_size expected 2, got 3');
    // The message names the difference: it is not repeated below the two calls.
    expect(failure.text.split('party_size expected 2, got 3')).toHaveLength(2);
    expect(children(book[1]!, 'system-out')[0]!.text).toContain(
      'heard: can i get a reservation for three people',
    );
    expect(Number(book[0]!.attributes.time)).toBeCloseTo((837.5 + 875 + 912.5 + 950) / 1000, 2);

    const cancel = children(suite('cancel reservation'), 'testcase')[0]!;
    const cancelFailure = children(cancel, 'failure')[0]!;
    expect(cancelFailure.attributes.message).toBe('33.3% passed (2/6), needs 80%');
    expect(cancelFailure.text).toContain('forbidden call book_table');
    expect(cancelFailure.text).toContain('extra call send_email');
    expect(cancelFailure.text).toContain('missing call cancel_reservation');
  });

  it('reports errored runs as <error>, with the message of the first', () => {
    const root = parseXml(renderJunit(failingSuite()));
    const flaky = children(root, 'testsuite').find((suite) => suite.attributes.name === 'flaky lookup')!;
    const testCase = children(flaky, 'testcase')[0]!;
    expect(children(testCase, 'failure')).toHaveLength(0);
    const error = children(testCase, 'error')[0]!;
    expect(error.attributes.message).toBe('3 runs errored: agent: timed out after 60 s');
    expect(error.text).toContain('agent: HTTP 503 Service Unavailable');
    expect(flaky.attributes).toMatchObject({ tests: '1', failures: '0', errors: '1' });
  });

  it('escapes hostile names, prompts, arguments and forbidden control characters', () => {
    const xml = renderJunit(failingSuite());
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<img');
    // eslint-disable-next-line no-control-regex -- the test looks for raw control characters
    expect(xml).not.toMatch(/[\u0000\u0007\u001b\uffff]/);
    const root = parseXml(xml);
    const suite = children(root, 'testsuite')[4]!;
    expect(suite.attributes.name).toBe(HOSTILE.scenarioName);
    expect(suite.attributes.file).toBe(HOSTILE.file);
    const testCase = children(suite, 'testcase')[0]!;
    // The newline in the prompt survives attribute normalization as a character reference.
    expect(testCase.attributes.name).toBe(HOSTILE.prompt);
    const failure = children(testCase, 'failure')[0]!;
    expect(failure.text).toContain(`text expected "safe", got ${JSON.stringify(HOSTILE.script)}`);
    const out = children(testCase, 'system-out')[0]!.text;
    expect(out).toContain('heard: heard \\u0007bell \\u001b[31mred\\u001b[0m ]]> \\uffff end');
    expect(out).toContain('error: agent: crashed: <img src=x onerror=alert(1)> | \\u0000 ```');
  });
});

describe('renderJunit with conversations', () => {
  const suites = () => children(parseXml(renderJunit(conversationSuite())), 'testsuite');
  const testCase = (name: string) =>
    children(
      suites().find((suite) => suite.attributes.name === name)!,
      'testcase',
    );

  it('makes one testcase per conversation, named by its first turn and length, at its first turn’s line', () => {
    const root = parseXml(renderJunit(conversationSuite()));
    // 3 conversations, 2 failing; and the gate's 3 failures.
    expect(root.attributes).toMatchObject({ tests: '6', failures: '5', errors: '0' });
    expect(suites().at(-1)!.attributes).toMatchObject({ name: 'russo gate', tests: '3', failures: '3' });
    const [booking] = testCase('book over three turns');
    expect(booking!.attributes).toMatchObject({
      name: "I'd like to book a table (3 turns)",
      classname: 'book over three turns',
      file: 'scenarios/conversations/book-over-three-turns.yaml',
      line: '3',
    });
    expect(children(booking!, 'failure')).toHaveLength(0);
  });

  it('puts every failed run’s turn verdicts in the failure, the failing turn with its reasons', () => {
    const [failed] = testCase('book at seven');
    const failure = children(failed!, 'failure')[0]!;
    expect(failure.attributes.message).toBe('25% passed (1/4), needs 80%');
    expect(failure.text).toContain(
      [
        'run 1 · kal16:',
        '  ✓ turn 1 "I\'d like a table for two"',
        '  ✗ turn 2 "At seven tonight"',
        '    missing call book_table({party_size: 2, time: matches /^19:00/})',
        `    the reply does not contain "R-17": ${JSON.stringify(HOSTILE_REPLY)}`,
        '  ✓ turn 3 "Thanks, that is all"',
      ].join('\n'),
    );
    expect(failure.text).toContain('run 2 · slt:\n  ✓ turn 1');
    expect(failure.text).toContain('    the agent replied with audio only');
    expect(failure.text).not.toContain('run 1 · slt');
  });

  it('logs every run’s transcript, the errored one with its skipped turn', () => {
    const [failed] = testCase('book at seven');
    const out = children(failed!, 'system-out')[0]!.text;
    expect(out).toContain(
      [
        'run 1 · kal16: failed in 2.6 s',
        'turn 1 ✓ passed',
        '  caller said:   "I\'d like a table for two"',
      ].join('\n'),
    );
    expect(out).toContain(`  agent replied: ${JSON.stringify(HOSTILE_REPLY)}`);
    expect(out).toContain(
      '  agent called:  book_table({party_size: 2, time: "19:00"}) → error: "no table free at 19:00"',
    );
    const [dropped] = testCase('change the party size');
    expect(children(dropped!, 'system-out')[0]!.text).toContain(
      [
        'run 1 · kal16: error in 1.9 s',
        'turn 1 ✓ passed',
        '  caller said:   "Book a table for two at seven tonight"',
        '  agent heard:   "book a table for two at seven tonight"',
        '  agent called:  book_table({party_size: 2, time: "19:00"}) → {confirmed: true, reference: "R-17"}',
        '  agent replied: "A table for 2 at 19:00, reference R-17."',
        'turn 2 ✗ error',
        '  caller said:   "Actually, make it three"',
        `  ✗ error: ${SESSION_DROPPED}`,
        'turn 3 – skipped',
      ].join('\n'),
    );
  });

  it('escapes the <script> of a reply', () => {
    const xml = renderJunit(conversationSuite());
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('reports a conversation whose only completed runs passed but one errored as <error>, with its turn', () => {
    const result = conversationSuite();
    const dropped = result.scenarios[2]!;
    const onlyDropped = suiteResult([
      scenarioResult(
        dropped.scenario,
        dropped.runs.filter((run) => run.status !== 'failed'),
      ),
    ]);
    const [errored] = children(children(parseXml(renderJunit(onlyDropped)), 'testsuite')[0]!, 'testcase');
    const error = children(errored!, 'error')[0]!;
    expect(error.attributes.message).toBe(`1 run errored: turn 2: ${SESSION_DROPPED}`);
    expect(error.text).toContain(
      `run 1 · kal16:\n  ✓ turn 1 "Book a table for two at seven tonight"\n  ✗ turn 2`,
    );
    expect(error.text).toContain('  – turn 3 "Thank you" (skipped)');
  });
});

describe('renderJunit: the gate', () => {
  /** The gate's testsuite: its testcases, each with its one failure. */
  function gate(result: SuiteResult) {
    const suite = children(parseXml(renderJunit(result)), 'testsuite').find(
      (element) => element.attributes.name === 'russo gate',
    );
    return children(suite!, 'testcase').map((testCase) => {
      const { name, classname, file, line } = testCase.attributes;
      return { name, classname, file, line, failure: children(testCase, 'failure')[0]! };
    });
  }

  it('adds no testsuite when the gate passed', () => {
    const root = parseXml(renderJunit(passingSuite()));
    expect(children(root, 'testsuite').map((suite) => suite.attributes.name)).toEqual([
      'book a table',
      'say goodbye',
    ]);
  });

  it('fails a testcase per gate failure, in the gate’s order, with its kind and reason', () => {
    const result = comparedSuite();
    const cases = gate(result);
    expect(cases.map(({ name, failure }) => [name, failure.attributes.type])).toEqual([
      ['scenario_pass_rate: cancel reservation', 'scenario_pass_rate'],
      [`scenario_pass_rate: ${HOSTILE.scenarioName}`, 'scenario_pass_rate'],
      ['regression: cancel reservation', 'regression'],
      ['errors', 'errors'],
    ]);
    // The gate's own messages; XML cannot hold the NUL of the hostile error, which shows as \u0000.
    expect(cases.map(({ failure }) => failure.attributes.message)).toEqual(
      result.gate.failures.map((failure) => failure.message.replace('\u0000', '\\u0000')),
    );
    expect(cases.every(({ classname }) => classname === 'russo gate')).toBe(true);
  });

  it('gives a regression its place, the change, its interval and p-value, and the baseline', () => {
    const regression = gate(comparedSuite()).find(({ name }) => name === 'regression: cancel reservation')!;
    expect(regression).toMatchObject({ file: 'scenarios/cancel.yaml', line: '1' });
    expect(regression.failure.attributes.message).toBe(
      'cancel reservation: pass rate fell from 100% (6/6) to 33.3% (2/6) against the baseline, a significant drop at alpha 0.05',
    );
    expect(regression.failure.text.split('\n')[1]).toBe(
      "change −66.7 pts, 95% CI [−90, −13], p = 0.021 (Barnard's exact test); baseline baseline.json",
    );
  });

  it('lists the error groups behind too many errors, and says why a suite stopped', () => {
    const [errors] = gate(failingSuite()).filter(({ name }) => name === 'errors');
    expect(errors!.failure.text.split('\n').slice(1)).toEqual([
      '2× agent: timed out after 60 s',
      `1× ${HOSTILE.error.replace('\u0000', '\\u0000')}`,
      '1× agent: HTTP 503 Service Unavailable',
    ]);
    expect(gate(stoppedSuite()).map(({ name, failure }) => [name, failure.attributes.message])).toEqual([
      ['stopped', 'the suite stopped early: agent: 401 Incorrect API key provided'],
      ['errors', '1 run errored: agent: 401 Incorrect API key provided'],
    ]);
  });

  it('lists the flaky cells behind a flaky rate over gate.max_flaky_rate', () => {
    const [flaky] = gate(suiteResult([bookTableResult()], { maxFlakyRate: 0 }));
    expect(flaky).toMatchObject({ name: 'flaky_rate' });
    expect(flaky!.failure.attributes).toMatchObject({
      type: 'flaky_rate',
      message: '1 of 4 prompt × voice cells are flaky (25%): more than 0%',
    });
    expect(flaky!.failure.text.split('\n').slice(1)).toEqual([
      'Flaky cells (passed and failed in one voice):',
      'book a table › "Can I get a reservation for 2 people at 7pm?" · slt: 1 of 2 passed',
    ]);
  });

  it('names the variant under its threshold and points at the line that defines it', () => {
    expect(gate(variantSuite()).map(({ name, file, line }) => [name, file, line])).toEqual([
      ['variant_pass_rate: book through noise [babble-5]', 'scenarios/book-through-noise.yaml', '18'],
      ['variant_pass_rate: book through noise [phone]', 'scenarios/book-through-noise.yaml', '20'],
      ['variant_pass_rate: book at any pace [fast]', 'scenarios/book-at-any-pace.yaml', '16'],
    ]);
  });
});
