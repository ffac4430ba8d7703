// Writes schema/*.json from the schemas in code (run by `npm run schemas` after a build of lib/).
// test/published-schemas.test.ts fails when a written file is stale.
import { writeFileSync } from 'node:fs';
import { publishedSchemas } from '../lib/published-schemas.js';

for (const [file, schema] of Object.entries(publishedSchemas())) {
  writeFileSync(new URL(`../schema/${file}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schema/${file}`);
}
