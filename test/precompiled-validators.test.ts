// The validators of russo's schemas are compiled ahead of time (src/precompiled-validators.ts, written
// by `npm run schemas`): each generated file must be what the schemas in code compile to now, and
// must find exactly the problems that ajv finds when it compiles the schema at run time, as russo did
// before.
import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateDraft07 } from '../src/evaluate/draft-07-validator.generated.js';
import { DRAFT_07, TOOL_SCHEMA_OPTIONS } from '../src/evaluate/tool-schemas.js';
import {
  FILE_SCHEMA_OPTIONS,
  precompiledValidators,
  REPORT_SCHEMA_OPTIONS,
  standaloneModule,
} from '../src/precompiled-validators.js';
import { validateReport } from '../src/report/report-validator.generated.js';
import { reportSchema } from '../src/report/schema.js';
import { validateScenario } from '../src/scenarios/scenario-validator.generated.js';
import { buildConfigSchema, scenarioSchema } from '../src/scenarios/schema.js';
import { validateConfig } from '../src/suite/config-validator.generated.js';
import { providerCatalog } from '../src/suite/catalog.js';

describe('the precompiled validators', () => {
  const generated = precompiledValidators();

  it.each(Object.keys(generated))('src/%s is current', (file) => {
    const written = readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8');
    // Compared whole: a diff of lines of 100 KB would say no more than "stale".
    expect(written === generated[file], `src/${file} is stale: run npm run schemas`).toBe(true);
  });

  it('come out otherwise when a schema changes (the check above can fail)', () => {
    const changed = { ...scenarioSchema, required: ['name', 'prompts'] };
    expect(standaloneModule(FILE_SCHEMA_OPTIONS, { validateScenario: changed })).not.toBe(
      generated['scenarios/scenario-validator.generated.ts'],
    );
  });
});

/** The errors of `precompiled` and of the same schema compiled now by ajv, for each document. */
function bothErrors(precompiled: ValidateFunction, compiled: ValidateFunction, documents: unknown[]) {
  return documents.map((document) => {
    precompiled(document);
    compiled(document);
    return { precompiled: precompiled.errors ?? null, compiled: compiled.errors ?? null };
  });
}

/** Checks that both validators find the same errors, and that the documents have some (the comparison is not of empty lists). */
function expectSameErrors(precompiled: ValidateFunction, compiled: ValidateFunction, documents: unknown[]) {
  for (const { precompiled: found, compiled: expected } of bothErrors(precompiled, compiled, documents)) {
    expect(found).toEqual(expected);
    expect(found?.length).toBeGreaterThan(0);
  }
}

describe('the precompiled validators find what ajv finds compiling the schema now', () => {
  it('in configs', () => {
    const compiled = new Ajv(FILE_SCHEMA_OPTIONS).compile(buildConfigSchema(providerCatalog));
    expectSameErrors(validateConfig, compiled, [
      { agent: { provider: 'command', comand: ['node', 'agent.js'] } },
      { agent: { provider: 'http' } },
      { agent: { provider: 'command', command: ['node'], url: 'http://x' } },
      { synthesizer: { provider: 'openai', voices: 'alloy', speed: 'fast' } },
      { judge: { provider: 'openai', modle: 'gpt-4.1-mini' } },
      { agent: { provider: 'comand', command: ['node'] } },
      { agent: { provider: ['command'], command: ['node'] } },
      { agent: 'command', max_concurrency: 0 },
      { agent: { command: ['node'] }, defaults: { runs: 0 } },
      { variants: [{ name: 'loud', noise: { type: 'babble', snr_db: 90 } }], limits: { max_runs: 0 } },
    ]);
    expect(validateConfig({ agent: { provider: 'command', command: ['node', 'agent.js'] } })).toBe(true);
  });

  it('in scenarios', () => {
    const compiled = new Ajv(FILE_SCHEMA_OPTIONS).compile(scenarioSchema);
    expectSameErrors(validateScenario, compiled, [
      { name: 'a', prompts: [], expect: [{ arguments: {} }] },
      { name: 'b', prompts: ['  '], expect: [], runs: 0, min_pass_rate: 2 },
      { name: 'c', turns: [{ say: 'hi', reply: { contains: [] } }], expect: [] },
      { prompts: 'hello', expect: {}, match: { order: 'sorted' } },
    ]);
  });

  it('in reports', () => {
    const compiled = new Ajv(REPORT_SCHEMA_OPTIONS).compile(reportSchema);
    expectSameErrors(validateReport, compiled, [{}, { version: 1, scenarios: [{ name: 1, runs: [{}] }] }]);
  });

  it("in tools' schemas, checked against the JSON Schema meta-schema", () => {
    const ajv = new Ajv(TOOL_SCHEMA_OPTIONS);
    const compiled = ajv.getSchema(DRAFT_07) as ValidateFunction;
    expectSameErrors(validateDraft07, compiled, [
      { type: 'object', properties: { a: { type: 'text' } } },
      { type: 'object', required: 'a', properties: { b: { minimum: '1' } } },
      { enum: [], items: [{ type: 'integer', uniqueItems: 'yes' }] },
    ]);
  });
});
