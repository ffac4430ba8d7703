// Writes what is derived from the schemas in code (run by `npm run schemas` after a build of lib/,
// which it builds again after): schema/*.json, and the validators compiled ahead of time from them
// (src/**/*.generated.ts). test/published-schemas.test.ts and test/precompiled-validators.test.ts fail
// when a written file is stale.
import { writeFileSync } from 'node:fs';
import { precompiledValidators } from '../lib/precompiled-validators.js';
import { publishedSchemas } from '../lib/published-schemas.js';

for (const [file, schema] of Object.entries(publishedSchemas())) {
  writeFileSync(new URL(`../schema/${file}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schema/${file}`);
}
for (const [file, code] of Object.entries(precompiledValidators())) {
  writeFileSync(new URL(`../src/${file}`, import.meta.url), code);
  console.log(`wrote src/${file}`);
}
