import type { ProviderCatalog } from './types.js';

// The JSON Schemas of scenario and config files. They live in code so the loader and the
// published files in schema/ can never disagree: `npm run schemas` writes schema/*.json from
// here, and a test fails when those files are stale.

const matchOptions = {
  type: 'object',
  description: 'How expected calls are compared with the calls the agent made.',
  properties: {
    order: {
      enum: ['any', 'in-order', 'exact'],
      description:
        'any: any order; in-order: the expected calls appear in this order; exact: the same calls in the same order and nothing else.',
    },
    extra_calls: {
      enum: ['allow', 'fail'],
      description: 'Whether calls that were not expected fail the run.',
    },
    arguments: {
      enum: ['exact', 'subset'],
      description: 'exact: same argument keys; subset: the agent may pass more keys (recursively).',
    },
    validate_arguments: {
      type: 'boolean',
      description:
        "With a tools file (agent.tools): check each call's arguments against its tool's JSON Schema, and the expected values at load (default true).",
    },
  },
  additionalProperties: false,
} as const;

const minPassRate = {
  type: 'number',
  minimum: 0,
  maximum: 1,
  description: 'Share of completed runs that must pass (0..1).',
} as const;

const runs = {
  type: 'integer',
  minimum: 1,
  description: 'How many times each prompt is run per voice.',
} as const;
const timeout = { type: 'number', exclusiveMinimum: 0, description: 'Seconds allowed per run.' } as const;

/** JSON Schema of a scenario file (one scenario per YAML document). */
export const scenarioSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'russo scenario',
  description: 'What a person says to the voice agent and which tool calls it must make.',
  type: 'object',
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1, description: 'Unique name of the scenario.' },
    description: { type: 'string' },
    prompts: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', minLength: 1 },
      description: 'What the person says: each prompt is spoken and played to the agent.',
    },
    expect: {
      type: 'array',
      description: 'The tool calls the agent must make. An empty list means: no tool call at all.',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, description: 'Tool name.' },
          arguments: {
            type: 'object',
            description:
              'Expected arguments: plain values, or matchers such as {regex}, {any: true}, {type}, {one_of}, {approx, tolerance}, {ignore_case}, {equals}.',
          },
        },
        required: ['name'],
        additionalProperties: false,
      },
    },
    forbid: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'Tool names that must never be called.',
    },
    match: matchOptions,
    runs,
    min_pass_rate: minPassRate,
    timeout_s: timeout,
    tool_results: {
      type: 'object',
      description: 'Mocked result per tool name, returned to agents that continue after a call.',
    },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['name', 'prompts', 'expect'],
  additionalProperties: false,
} as const;

/** Builds the JSON Schema of `russo.config.yaml` from the registered providers and their options. */
export function buildConfigSchema(
  agents: ProviderCatalog['agents'],
  synthesizers: ProviderCatalog['synthesizers'],
): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'russo config',
    description: 'The agent under test, the synthesizer and the defaults of a russo project.',
    type: 'object',
    properties: {
      $schema: { type: 'string' },
      scenarios: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'Globs of scenario files, relative to this file (default: scenarios/**/*.{yaml,yml}).',
      },
      agent: providerSchema('The voice agent under test.', agents, {
        tools: {
          type: 'string',
          description: 'JSON file of the tool definitions (JSON Schema), relative to this file.',
        },
      }),
      synthesizer: providerSchema(
        'The text-to-speech that speaks the prompts (default: flite).',
        synthesizers,
        {
          voices: {
            type: 'array',
            minItems: 1,
            items: { type: 'string', minLength: 1 },
            description: 'Every prompt is spoken in each voice.',
          },
        },
      ),
      max_concurrency: {
        type: 'integer',
        minimum: 1,
        description:
          'Runs in flight at once, across the suite (default 8). CLI --max-concurrency, Action input max-concurrency.',
      },
      defaults: {
        type: 'object',
        description: 'Defaults of every scenario; a scenario may override them.',
        properties: {
          runs,
          timeout_s: timeout,
          match: matchOptions,
          min_pass_rate: minPassRate,
        },
        additionalProperties: false,
      },
      gate: {
        type: 'object',
        description: 'When the whole suite fails.',
        properties: {
          min_pass_rate: { ...minPassRate, description: 'Pass rate the whole suite must reach (0..1).' },
          max_errors: { type: 'integer', minimum: 0, description: 'Errored runs tolerated (default 0).' },
          max_flaky_rate: {
            type: 'number',
            minimum: 0,
            maximum: 1,
            description:
              'Share (0..1) of prompt × voice cells allowed to be flaky: runs of one prompt in one voice that both passed and failed (default: no limit).',
          },
        },
        additionalProperties: false,
      },
      limits: {
        type: 'object',
        description:
          'Bounds checked before anything runs, so that a typo in a number or a hostile file is an error, not an exhausted machine.',
        properties: {
          max_runs: {
            type: 'integer',
            minimum: 1,
            description:
              'Runs a suite may plan: prompts × voices × runs over every scenario (default 100000).',
          },
          max_prompt_chars: {
            type: 'integer',
            minimum: 1,
            description: 'Characters in one prompt (default 2000).',
          },
          max_file_bytes: {
            type: 'integer',
            minimum: 1,
            description: 'Bytes in one scenario file (default 1048576, 1 MiB).',
          },
        },
        additionalProperties: false,
      },
      cache: {
        type: 'object',
        description: 'The audio cache: synthesized prompts are kept and reused.',
        properties: {
          enabled: { type: 'boolean' },
          dir: { type: 'string', description: 'Cache folder, relative to this file (default .russo/cache).' },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  };
}

/** A `{provider, ...options}` object: the provider id picks which options are allowed. */
function providerSchema(
  description: string,
  providers: ProviderCatalog['agents'] | ProviderCatalog['synthesizers'],
  shared: Record<string, unknown>,
): Record<string, unknown> {
  const ids = Object.keys(providers);
  return {
    type: 'object',
    description,
    properties: {
      provider: {
        enum: ids,
        description: ids.map((id) => `${id}: ${providers[id]?.description}`).join('\n'),
      },
    },
    required: ['provider'],
    allOf: ids.map((id) => {
      const options = (providers[id] as ProviderCatalog['agents'][string]).optionsSchema;
      return {
        if: { properties: { provider: { const: id } }, required: ['provider'] },
        then: {
          properties: { provider: { const: id }, ...shared, ...options.properties },
          ...(options.required ? { required: options.required } : {}),
          additionalProperties: false,
        },
      };
    }),
  };
}
