import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publishedSchemas } from '../src/published-schemas.js';

describe('schema/*.json', () => {
  for (const [file, schema] of Object.entries(publishedSchemas())) {
    it(`${file} is the schema the code validates with`, () => {
      const published: unknown = JSON.parse(
        readFileSync(new URL(`../schema/${file}`, import.meta.url), 'utf8'),
      );
      expect(published, `schema/${file} is stale: run npm run schemas`).toEqual(
        JSON.parse(JSON.stringify(schema)),
      );
    });

    // Their validators are compiled ahead of time without this check (src/precompiled-validators.ts).
    it(`${file} is a valid JSON Schema (draft-07)`, () => {
      const ajv = new Ajv({ strict: false });
      expect(ajv.validateSchema(schema as object), ajv.errorsText()).toBe(true);
    });
  }
});
