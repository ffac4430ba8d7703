import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromJsonReport, parseReport, renderJson, type JsonReport } from '../../src/report/json.js';
import { mergeReports } from '../../src/report/merge.js';
import type { MatchOptions } from '../../src/core/types.js';
import type { Scenario } from '../../src/scenarios/types.js';
import { canonicalJson, expectationHash } from '../../src/suite/expectation.js';
import { bookTableResult, cancelResult, suiteResult } from '../fixtures/suite-result.js';

const at = (line: number) => ({ file: 'scenarios/book.yaml', line, column: 3 });

function scenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    name: 'book a table',
    location: at(1),
    prompts: [{ text: 'Book a table for two at seven', location: at(3) }],
    expect: [
      { name: 'book_table', arguments: { party_size: 2, time: { regex: '^19:00' } }, location: at(5) },
    ],
    forbid: ['cancel_reservation'],
    match: { order: 'any', extraCalls: 'fail', arguments: 'subset', validateArguments: true },
    runs: 3,
    minPassRate: 0.8,
    timeoutMs: 60_000,
    tags: [],
    ...overrides,
  };
}

describe('expectationHash', () => {
  it('is the sha256 of the canonical JSON of expect, forbid and match, keys sorted, locations left out', () => {
    const canonical =
      '{"expect":[{"arguments":{"party_size":2,"time":{"regex":"^19:00"}},"name":"book_table"}],' +
      '"forbid":["cancel_reservation"],"match":{"arguments":"subset","extraCalls":"fail","order":"any","validateArguments":true}}';
    expect(expectationHash(scenario())).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  it('ignores where things are written, the prompts, runs, thresholds, tags and key order', () => {
    const base = expectationHash(scenario());
    expect(
      expectationHash(
        scenario({
          name: 'renamed',
          location: at(40),
          prompts: [{ text: 'A table for 2 at 7 please', location: at(9) }],
          expect: [
            { name: 'book_table', arguments: { time: { regex: '^19:00' }, party_size: 2 }, location: at(12) },
          ],
          runs: 10,
          minPassRate: 0.5,
          timeoutMs: 5000,
          tags: ['smoke'],
        }),
      ),
    ).toBe(base);
  });

  it('changes with every field of the expectation', () => {
    const base = expectationHash(scenario());
    const say = (text: string) => [
      { say: text, location: at(3), forbid: [], expect: [{ name: 'book_table', location: at(4) }] },
    ];
    const variants: Record<string, Partial<Scenario>> = {
      'an argument': { expect: [{ name: 'book_table', arguments: { party_size: 3 }, location: at(5) }] },
      'a matcher': {
        expect: [
          { name: 'book_table', arguments: { party_size: 2, time: { regex: '^20' } }, location: at(5) },
        ],
      },
      'the calls': { expect: [] },
      forbid: { forbid: [] },
      match: {
        match: { order: 'in-order', extraCalls: 'fail', arguments: 'subset', validateArguments: true },
      },
      'tool results': { toolResults: { book_table: { ok: true } } },
      turns: { turns: say('Book a table') },
    };
    const hashes = new Set([base]);
    for (const [what, change] of Object.entries(variants)) {
      const hash = expectationHash(scenario(change));
      expect(hash, what).not.toBe(base);
      hashes.add(hash);
    }
    expect(hashes.size).toBe(Object.keys(variants).length + 1);
    // Within turns: what is said, and each turn's reply check.
    const turns = say('Book a table');
    expect(expectationHash(scenario({ turns: say('Cancel it') }))).not.toBe(
      expectationHash(scenario({ turns })),
    );
    const withReply = [{ ...turns[0]!, reply: { contains: ['booked'], location: at(6) } }];
    const otherReply = [{ ...turns[0]!, reply: { contains: ['confirmed'], location: at(8) } }];
    expect(expectationHash(scenario({ turns: withReply }))).not.toBe(
      expectationHash(scenario({ turns: otherReply })),
    );
  });

  it('fills in match defaults, so a report written before a match option existed compares', () => {
    const older = { order: 'any', extraCalls: 'fail', arguments: 'subset' } as MatchOptions;
    expect(expectationHash(scenario({ match: older }))).toBe(expectationHash(scenario()));
    const off = { ...older, validateArguments: false };
    expect(expectationHash(scenario({ match: off }))).not.toBe(expectationHash(scenario()));
  });

  it('keeps an argument that is called `location`: only the places of the scenario are left out', () => {
    const weather = (city: string) =>
      scenario({ expect: [{ name: 'get_weather', arguments: { location: city }, location: at(5) }] });
    expect(expectationHash(weather('Paris'))).not.toBe(expectationHash(weather('Oslo')));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves undefined members out', () => {
    expect(canonicalJson({ b: [{ d: 1, c: undefined, a: null }], a: 'x' })).toBe(
      '{"a":"x","b":[{"a":null,"d":1}]}',
    );
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });
});

describe('the expectation hash in the JSON report', () => {
  it('is written for each scenario and read back', () => {
    const result = suiteResult([bookTableResult(), cancelResult()]);
    const report = parseReport(renderJson(result));
    expect(report.scenarios.map((s) => s.expectationHash)).toEqual(
      result.scenarios.map((s) => expectationHash(s.scenario)),
    );
    expect(fromJsonReport(report).scenarios.map((s) => s.expectationHash)).toEqual(
      report.scenarios.map((s) => s.expectationHash),
    );
  });

  it('is kept as written, even where the report does not repeat every field it covers', () => {
    const report = JSON.parse(renderJson(suiteResult([bookTableResult()]))) as JsonReport;
    const written = 'a'.repeat(64);
    report.scenarios[0]!.expectationHash = written;
    const back = fromJsonReport(parseReport(JSON.stringify(report)));
    expect(back.scenarios[0]!.expectationHash).toBe(written);
    expect(fromJsonReport(mergeReports([report])).scenarios[0]!.expectationHash).toBe(written);
  });

  it('is computed from the scenario fields of a report written before it existed', () => {
    const result = suiteResult([bookTableResult()]);
    const report = JSON.parse(renderJson(result)) as JsonReport;
    delete report.scenarios[0]!.expectationHash;
    const back = fromJsonReport(parseReport(JSON.stringify(report)));
    expect(back.scenarios[0]!.expectationHash).toBe(result.scenarios[0]!.expectationHash);
  });

  it('must look like a sha256 when present', () => {
    const report = JSON.parse(renderJson(suiteResult([bookTableResult()]))) as JsonReport;
    report.scenarios[0]!.expectationHash = 'not a hash';
    expect(() => parseReport(JSON.stringify(report), 'old.json')).toThrow(/expectationHash/);
  });
});
