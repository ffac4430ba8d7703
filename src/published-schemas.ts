import { agentProviders } from './agents/registry.js';
import { reportSchema } from './report/schema.js';
import { synthesizerProviders } from './synthesize/registry.js';
import { buildConfigSchema, scenarioSchema } from './scenarios/schema.js';

/** The JSON Schemas published in schema/ for editors, by file name: `npm run schemas` writes them. */
export function publishedSchemas(): Record<string, unknown> {
  return {
    'scenario.schema.json': scenarioSchema,
    'config.schema.json': buildConfigSchema(agentProviders, synthesizerProviders),
    'report.schema.json': reportSchema,
  };
}
