import type { ProviderCatalog } from './types.js';
import { variantsKeySchema } from './variants.js';

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

const expectedCalls = {
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
} as const;

const forbid = {
  type: 'array',
  items: { type: 'string', minLength: 1 },
  description: 'Tool names that must never be called.',
} as const;

const texts = (description: string) =>
  ({
    anyOf: [
      { type: 'string', minLength: 1 },
      { type: 'array', minItems: 1, items: { type: 'string' } },
    ],
    description,
  }) as const;

const reply = {
  type: 'object',
  description: "What the agent's reply text in this turn must say; every check given must hold.",
  properties: {
    contains: texts('Text (or a list of texts) that must all appear in the reply.'),
    contains_any: {
      type: 'array',
      minItems: 1,
      items: { type: 'string' },
      description: 'At least one of these texts must appear in the reply.',
    },
    not_contains: texts('Text (or a list of texts) that must not appear in the reply.'),
    regex: { type: 'string', description: 'A regular expression (JavaScript syntax) the reply must match.' },
    ignore_case: { type: 'boolean', description: 'Compare the checks above ignoring case.' },
    judge: {
      type: 'string',
      minLength: 1,
      description:
        "A sentence the config's LLM judge checks the reply against, e.g. 'asks for the party size'.",
    },
  },
  additionalProperties: false,
} as const;

/** A text to speak: at least one character that is not a space (a blank prompt would speak silence). */
const spokenText = { type: 'string', minLength: 1, pattern: '\\S' } as const;

const turn = {
  type: 'object',
  description: 'One caller turn: what the caller says, and what the agent must do and say in reply.',
  properties: {
    say: { ...spokenText, description: 'What the caller says (spoken to the agent).' },
    expect: {
      ...expectedCalls,
      description:
        'The tool calls the agent must make in this turn; [] means none. Without it the calls are not graded (forbid still applies).',
    },
    forbid: { ...forbid, description: 'Tool names that must not be called in this turn.' },
    reply,
  },
  required: ['say'],
  additionalProperties: false,
} as const;

/** JSON Schema of a scenario file (one scenario per YAML document). */
export const scenarioSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'russo scenario',
  description:
    'What a person says to the voice agent and which tool calls it must make: `prompts` and `expect`, or a conversation of `turns`.',
  type: 'object',
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1, description: 'Unique name of the scenario.' },
    description: { type: 'string' },
    prompts: {
      type: 'array',
      minItems: 1,
      items: spokenText,
      description: 'What the person says: each prompt is spoken and played to the agent.',
    },
    expect: expectedCalls,
    forbid,
    turns: {
      type: 'array',
      minItems: 1,
      items: turn,
      description:
        "A conversation: the caller's turns in order, each played in the same session of the agent (instead of prompts and expect).",
    },
    match: matchOptions,
    runs,
    min_pass_rate: minPassRate,
    timeout_s: { ...timeout, description: 'Seconds allowed per run (a whole conversation for `turns`).' },
    tool_results: {
      type: 'object',
      description:
        'Mocked outcome per tool name, returned to agents that continue after a call: a plain value, or a list of rules {when, result} / {when, error}; the first rule whose `when` matches the arguments answers, a rule without `when` is the fallback.',
    },
    tags: { type: 'array', items: { type: 'string' } },
    variants: variantsKeySchema,
  },
  required: ['name'],
  // Either a conversation (`turns`) or prompts with their expected calls, never both.
  if: { required: ['turns'] },
  then: { properties: { prompts: false, expect: false, forbid: false } },
  else: { required: ['prompts', 'expect'] },
  additionalProperties: false,
} as const;

/**
 * Builds the JSON Schema of `russo.config.yaml` from the registered providers and their options. Each
 * provider's options are a definition of their own (`#/definitions/agent.command`), referenced from
 * the branch its id picks: the validator compiled ahead of time from this schema
 * (precompiled-validators.ts) then holds each in a function of its own, which the JavaScript engine
 * compiles only when a config names that provider.
 */
export function buildConfigSchema({
  agents,
  synthesizers,
  judges,
}: ProviderCatalog): Record<string, unknown> {
  const definitions: Record<string, unknown> = {};
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
      agent: providerSchema(
        'agent',
        'The voice agent under test.',
        agents,
        {
          tools: {
            type: 'string',
            description: 'JSON file of the tool definitions (JSON Schema), relative to this file.',
          },
        },
        definitions,
      ),
      synthesizer: providerSchema(
        'synthesizer',
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
        definitions,
      ),
      judge: providerSchema(
        'judge',
        'The LLM judge of `reply: {judge: …}` checks in conversation turns (counted in the cost).',
        judges,
        {},
        definitions,
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
      variants: variantsKeySchema,
      limits: {
        type: 'object',
        description:
          'Bounds checked before anything runs, so that a typo in a number or a hostile file is an error, not an exhausted machine.',
        properties: {
          max_runs: {
            type: 'integer',
            minimum: 1,
            description:
              'Runs a suite may plan: conversations (prompts) × voices × variants × runs over every scenario, a conversation of many turns being one run (default 100000).',
          },
          max_prompt_chars: {
            type: 'integer',
            minimum: 1,
            description: "Characters in one prompt or one turn's `say` (default 2000).",
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
    definitions,
  };
}

/**
 * A `{provider, ...options}` object: the provider id picks which options are allowed, each provider's
 * options being the definition `<section>.<id>`, added to `definitions`.
 */
function providerSchema(
  section: string,
  description: string,
  providers: ProviderCatalog['agents'] | ProviderCatalog['synthesizers'] | ProviderCatalog['judges'],
  shared: Record<string, unknown>,
  definitions: Record<string, unknown>,
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
      definitions[`${section}.${id}`] = {
        properties: { provider: { const: id }, ...shared, ...options.properties },
        ...(options.required ? { required: options.required } : {}),
        additionalProperties: false,
      };
      return {
        if: { properties: { provider: { const: id } }, required: ['provider'] },
        then: { $ref: `#/definitions/${section}.${id}` },
      };
    }),
  };
}
