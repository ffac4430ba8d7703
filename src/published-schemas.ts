import { reportSchema } from './report/schema.js';
import { buildConfigSchema, scenarioSchema } from './scenarios/schema.js';
import { providerCatalog } from './suite/catalog.js';

/** The JSON Schemas published in schema/ for editors, by file name: `npm run schemas` writes them. */
export function publishedSchemas(): Record<string, unknown> {
  return {
    'scenario.schema.json': scenarioSchema,
    'config.schema.json': buildConfigSchema(providerCatalog),
    'report.schema.json': reportSchema,
  };
}
