// The JSON Schema of the JSON report (version 1). It lives in code so that `parseReport` and the
// published schema/report.schema.json can never disagree; a test fails when the file is stale.
// Objects stay open (no `additionalProperties: false`): a new field is not a new version.

const rate = { type: 'number', minimum: 0, maximum: 1 } as const;
const nullableRate = { anyOf: [rate, { type: 'null' }] } as const;
const count = { type: 'integer', minimum: 0 } as const;
const nullableNumber = { type: ['number', 'null'] } as const;

const definitions = {
  interval: {
    description: '95% Wilson interval of a pass rate; null when no run completed.',
    anyOf: [
      { type: 'object', properties: { low: rate, high: rate }, required: ['low', 'high'] },
      { type: 'null' },
    ],
  },
  latency: {
    description: 'Latency percentiles of completed runs, in ms.',
    type: 'object',
    properties: { p50: nullableNumber, p95: nullableNumber },
    required: ['p50', 'p95'],
  },
  location: {
    type: 'object',
    properties: { file: { type: 'string' }, line: count, column: count },
    required: ['file', 'line', 'column'],
  },
  toolCall: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      arguments: { type: 'object' },
      argumentsError: { type: 'string' },
    },
    required: ['name', 'arguments'],
  },
  expectedCall: {
    type: 'object',
    properties: { name: { type: 'string' }, arguments: { type: 'object' } },
    required: ['name'],
  },
  argumentDiff: {
    type: 'object',
    properties: {
      path: { type: 'string' },
      kind: { enum: ['mismatch', 'missing', 'unexpected'] },
      expected: { type: 'string' },
    },
    required: ['path', 'kind', 'expected'],
  },
  callMatch: {
    type: 'object',
    properties: {
      index: count,
      expected: { $ref: '#/definitions/expectedCall' },
      status: { enum: ['matched', 'missing', 'wrong_arguments', 'out_of_order'] },
      actual: { $ref: '#/definitions/toolCall' },
      actualIndex: count,
      diffs: { type: 'array', items: { $ref: '#/definitions/argumentDiff' } },
    },
    required: ['index', 'expected', 'status', 'diffs'],
  },
  callFailure: {
    type: 'object',
    properties: {
      kind: {
        enum: [
          'missing',
          'wrong_arguments',
          'out_of_order',
          'extra',
          'forbidden',
          'unexpected_call',
          'invalid_arguments',
          'reply',
        ],
      },
      index: count,
      expected: { $ref: '#/definitions/expectedCall' },
      actual: { $ref: '#/definitions/toolCall' },
      diffs: { type: 'array', items: { $ref: '#/definitions/argumentDiff' } },
      schemaErrors: {
        type: 'array',
        description: "For invalid_arguments: each way the call's arguments break its tool's JSON Schema.",
        items: {
          type: 'object',
          properties: { path: { type: 'string' }, message: { type: 'string' } },
          required: ['path', 'message'],
        },
      },
      message: { type: 'string' },
      turn: { ...count, description: 'The conversation turn (0-based) the failure belongs to.' },
      replyText: { type: 'string', description: 'For a reply failure: the reply text that was checked.' },
    },
    required: ['kind', 'diffs', 'message'],
  },
  toolExchange: {
    type: 'object',
    description:
      'A tool call russo answered, and the outcome: {result}, {error} (a mocked failure) or {missing} (no result is mocked).',
    properties: { call: { $ref: '#/definitions/toolCall' }, outcome: { type: 'object' } },
    required: ['call', 'outcome'],
  },
  turn: {
    type: 'object',
    description: 'One turn of a conversation run.',
    properties: {
      index: count,
      say: { type: 'string' },
      status: { enum: ['passed', 'failed', 'error', 'skipped'] },
      toolCalls: { type: 'array', items: { $ref: '#/definitions/toolCall' } },
      toolResults: { type: 'array', items: { $ref: '#/definitions/toolExchange' } },
      transcript: { type: ['string', 'null'] },
      text: { type: ['string', 'null'] },
      replyAudioOnly: { type: 'boolean' },
      evalResult: { anyOf: [{ $ref: '#/definitions/evalResult' }, { type: 'null' }] },
      error: { type: ['string', 'null'] },
      latencyMs: { type: 'number', minimum: 0 },
      agentLatencyMs: nullableNumber,
      usage: { anyOf: [{ type: 'object', additionalProperties: { type: 'number' } }, { type: 'null' }] },
    },
    required: [
      'index',
      'say',
      'status',
      'toolCalls',
      'toolResults',
      'transcript',
      'text',
      'replyAudioOnly',
      'evalResult',
      'error',
      'latencyMs',
      'agentLatencyMs',
      'usage',
    ],
  },
  scenarioTurn: {
    type: 'object',
    description: 'One turn of a conversation scenario as it was asked.',
    properties: {
      say: { type: 'string' },
      location: { $ref: '#/definitions/location' },
      expect: {
        description: 'null: the calls of the turn are not graded (only forbid); []: it must make none.',
        anyOf: [
          {
            type: 'array',
            items: {
              allOf: [
                { $ref: '#/definitions/expectedCall' },
                { properties: { location: { $ref: '#/definitions/location' } }, required: ['location'] },
              ],
            },
          },
          { type: 'null' },
        ],
      },
      forbid: { type: 'array', items: { type: 'string' } },
      reply: {
        anyOf: [
          {
            type: 'object',
            properties: {
              contains: { type: 'array', items: { type: 'string' } },
              containsAny: { type: 'array', items: { type: 'string' } },
              notContains: { type: 'array', items: { type: 'string' } },
              regex: { type: 'string' },
              ignoreCase: { type: 'boolean' },
              judge: { type: 'string' },
              location: { $ref: '#/definitions/location' },
            },
            required: ['location'],
          },
          { type: 'null' },
        ],
      },
    },
    required: ['say', 'location', 'expect', 'forbid', 'reply'],
  },
  evalResult: {
    type: 'object',
    properties: {
      passed: { type: 'boolean' },
      matchRate: rate,
      calls: { type: 'array', items: { $ref: '#/definitions/callMatch' } },
      extra: { type: 'array', items: { $ref: '#/definitions/toolCall' } },
      forbidden: { type: 'array', items: { $ref: '#/definitions/toolCall' } },
      failures: { type: 'array', items: { $ref: '#/definitions/callFailure' } },
    },
    required: ['passed', 'matchRate', 'calls', 'extra', 'forbidden', 'failures'],
  },
  run: {
    type: 'object',
    properties: {
      id: {
        type: 'string',
        description:
          'Stable id of the run: <scenario>/p<prompt index>/<voice>/<variant>/r<run index>, indexes from 0, "%" and "/" in names escaped as %25 and %2F. Absent in reports written before ids existed.',
      },
      prompt: { type: 'string' },
      promptIndex: count,
      runIndex: count,
      voice: { type: 'string' },
      variant: {
        type: 'string',
        description:
          'Name of the variant (audio condition) the run was heard under; "default" when the suite names none. Absent in reports written before variants (read as "default").',
      },
      status: { enum: ['passed', 'failed', 'error'] },
      toolCalls: { type: 'array', items: { $ref: '#/definitions/toolCall' } },
      transcript: { type: ['string', 'null'] },
      text: { type: ['string', 'null'] },
      evalResult: { anyOf: [{ $ref: '#/definitions/evalResult' }, { type: 'null' }] },
      error: { type: ['string', 'null'] },
      latencyMs: { type: 'number', minimum: 0 },
      agentLatencyMs: nullableNumber,
      usage: { anyOf: [{ type: 'object', additionalProperties: { type: 'number' } }, { type: 'null' }] },
      fatal: { type: 'boolean' },
      toolResults: {
        type: 'array',
        items: { $ref: '#/definitions/toolExchange' },
        description:
          'The tool calls russo answered, in order (every turn of a conversation). Absent in reports written before they were recorded.',
      },
      turns: {
        anyOf: [{ type: 'array', items: { $ref: '#/definitions/turn' } }, { type: 'null' }],
        description:
          'The turns of a conversation run; null for a one-turn run. Absent in reports written before conversations.',
      },
    },
    required: [
      'prompt',
      'promptIndex',
      'runIndex',
      'voice',
      'status',
      'toolCalls',
      'transcript',
      'text',
      'evalResult',
      'error',
      'latencyMs',
      'agentLatencyMs',
      'usage',
      'fatal',
    ],
  },
  scenario: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      file: { type: 'string' },
      line: count,
      column: count,
      passRate: nullableRate,
      minPassRate: rate,
      passed: { type: 'boolean', description: 'Whether the scenario reached its own threshold.' },
      counts: {
        type: 'object',
        properties: { total: count, passed: count, failed: count, errored: count },
        required: ['total', 'passed', 'failed', 'errored'],
      },
      matchRate: nullableRate,
      interval: { $ref: '#/definitions/interval' },
      latency: { $ref: '#/definitions/latency' },
      prompts: {
        type: 'array',
        items: {
          type: 'object',
          properties: { text: { type: 'string' }, location: { $ref: '#/definitions/location' } },
          required: ['text', 'location'],
        },
      },
      expect: {
        type: 'array',
        items: {
          allOf: [
            { $ref: '#/definitions/expectedCall' },
            { properties: { location: { $ref: '#/definitions/location' } }, required: ['location'] },
          ],
        },
      },
      forbid: { type: 'array', items: { type: 'string' } },
      match: {
        type: 'object',
        properties: {
          order: { enum: ['any', 'in-order', 'exact'] },
          extraCalls: { enum: ['allow', 'fail'] },
          arguments: { enum: ['exact', 'subset'] },
          validateArguments: { type: 'boolean' },
        },
        required: ['order', 'extraCalls', 'arguments'],
      },
      runsPerPrompt: { type: 'integer', minimum: 1 },
      timeoutMs: { type: 'number', minimum: 0 },
      tags: { type: 'array', items: { type: 'string' } },
      expectationHash: {
        type: 'string',
        pattern: '^[0-9a-f]{64}$',
        description:
          'sha256 of what the scenario asks (expect, forbid, match, turns, tool results); a baseline compares only scenarios whose hash is unchanged.',
      },
      turns: {
        anyOf: [{ type: 'array', items: { $ref: '#/definitions/scenarioTurn' } }, { type: 'null' }],
        description:
          "A conversation's turns (then prompts holds its first say and expect is empty); null for a prompts scenario. Absent in reports written before conversations.",
      },
      toolResults: {
        type: ['object', 'null'],
        description: "The scenario's mocked tool outcomes (tool_results) as written; null when none.",
      },
      variants: {
        anyOf: [{ type: 'array', items: { $ref: '#/definitions/scenarioVariant' } }, { type: 'null' }],
        description:
          'The audio conditions the scenario ran under, with their thresholds; null: the one default variant. Absent in reports written before variants.',
      },
      breakdown: {
        type: 'object',
        description:
          'Pass rate and interval per variant (each judged against its threshold) and per voice. Written for readers; recomputed from the runs when a report is read.',
        properties: {
          variants: { type: 'array', items: { $ref: '#/definitions/variantSlice' } },
          voices: { type: 'array', items: { $ref: '#/definitions/slice' } },
        },
        required: ['variants', 'voices'],
      },
      consistency: { $ref: '#/definitions/scenarioConsistency' },
      runs: { type: 'array', items: { $ref: '#/definitions/run' } },
    },
    required: [
      'name',
      'file',
      'line',
      'column',
      'passRate',
      'minPassRate',
      'passed',
      'counts',
      'matchRate',
      'interval',
      'latency',
      'prompts',
      'expect',
      'forbid',
      'match',
      'runsPerPrompt',
      'timeoutMs',
      'tags',
      'runs',
    ],
  },
  cellCounts: {
    description: 'The runs of one prompt in one voice under one variant.',
    type: 'object',
    properties: {
      promptIndex: count,
      prompt: { type: 'string' },
      voice: { type: 'string' },
      variant: {
        type: 'string',
        description:
          'The variant the runs were heard under ("default" without variants); absent in older reports.',
      },
      passed: count,
      failed: count,
      errored: count,
    },
    required: ['promptIndex', 'prompt', 'voice', 'passed', 'failed', 'errored'],
  },
  scenarioConsistency: {
    description:
      'pass^k (the chance that k runs in a row all pass, C(c,k)/C(n,k) over the completed runs), the flaky prompt × voice × variant cells, and the runs a 10-point drop needs. Absent in reports made before it existed.',
    type: 'object',
    properties: {
      k: { type: 'integer', minimum: 1 },
      passHatK: nullableRate,
      cells: count,
      flaky: { type: 'array', items: { $ref: '#/definitions/cellCounts' } },
      runsNeeded: {
        anyOf: [
          {
            type: 'object',
            properties: { total: count, perPromptAndVoice: count },
            required: ['total', 'perPromptAndVoice'],
          },
          { type: 'null' },
        ],
      },
    },
    required: ['k', 'passHatK', 'cells', 'flaky', 'runsNeeded'],
  },
  sideCounts: {
    anyOf: [
      {
        type: 'object',
        properties: { passed: count, failed: count, errored: count, passRate: nullableRate },
        required: ['passed', 'failed', 'errored', 'passRate'],
      },
      { type: 'null' },
    ],
  },
  change: {
    type: 'object',
    properties: {
      base: { $ref: '#/definitions/sideCounts' },
      current: { $ref: '#/definitions/sideCounts' },
      delta: { type: ['number', 'null'], minimum: -1, maximum: 1 },
      interval: {
        anyOf: [
          {
            type: 'object',
            properties: {
              low: { type: 'number', minimum: -1, maximum: 1 },
              high: { type: 'number', minimum: -1, maximum: 1 },
            },
            required: ['low', 'high'],
          },
          { type: 'null' },
        ],
      },
      pValue: nullableRate,
      significant: { type: 'boolean' },
      direction: { enum: ['regression', 'improvement', 'same'] },
    },
    required: ['base', 'current', 'delta', 'interval', 'pValue', 'significant', 'direction'],
  },
  baseline: {
    description:
      'The baseline the run was judged against: the comparison (Barnard exact test per scenario) and the policy it gated with, or why there was none. Null when no baseline was asked for.',
    anyOf: [
      {
        type: 'object',
        properties: {
          status: { const: 'compared' },
          source: { type: 'string' },
          failOn: { enum: ['significant', 'any', 'off'] },
          comparison: {
            type: 'object',
            properties: {
              alpha: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
              test: { const: 'barnard' },
              scenarios: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    name: { type: 'string' },
                    status: { enum: ['compared', 'new', 'removed', 'changed', 'no_completed_runs'] },
                    file: { type: 'string' },
                    line: count,
                    base: { $ref: '#/definitions/sideCounts' },
                    current: { $ref: '#/definitions/sideCounts' },
                    change: { anyOf: [{ $ref: '#/definitions/change' }, { type: 'null' }] },
                  },
                  required: ['name', 'status', 'file', 'line', 'base', 'current', 'change'],
                },
              },
              suite: { $ref: '#/definitions/change' },
            },
            required: ['alpha', 'test', 'scenarios', 'suite'],
          },
        },
        required: ['status', 'source', 'failOn', 'comparison'],
      },
      {
        type: 'object',
        properties: { status: { const: 'missing' }, reason: { type: 'string' } },
        required: ['status', 'reason'],
      },
      { type: 'null' },
    ],
  },
  gateFailure: {
    type: 'object',
    properties: {
      kind: {
        enum: [
          'scenario_pass_rate',
          'variant_pass_rate',
          'suite_pass_rate',
          'regression',
          'flaky_rate',
          'errors',
          'stopped',
          'cancelled',
          'no_runs',
          'missing_runs',
        ],
      },
      message: { type: 'string' },
      scenario: { type: 'string' },
      variant: {
        type: 'string',
        description: 'The variant that fell under its threshold (variant_pass_rate).',
      },
    },
    required: ['kind', 'message'],
  },
  scenarioVariant: {
    type: 'object',
    properties: {
      variant: {
        type: 'object',
        description: 'The condition as written: its name and what it changes (speed, noise, channel, …).',
        properties: { name: { type: 'string' } },
        required: ['name'],
      },
      minPassRate: rate,
      location: { anyOf: [{ $ref: '#/definitions/location' }, { type: 'null' }] },
    },
    required: ['variant', 'minPassRate', 'location'],
  },
  slice: {
    type: 'object',
    description: 'The runs of one variant or one voice.',
    properties: {
      name: { type: 'string' },
      counts: {
        type: 'object',
        properties: { total: count, passed: count, failed: count, errored: count },
        required: ['total', 'passed', 'failed', 'errored'],
      },
      passRate: nullableRate,
      interval: { $ref: '#/definitions/interval' },
    },
    required: ['name', 'counts', 'passRate', 'interval'],
  },
  variantSlice: {
    allOf: [
      { $ref: '#/definitions/slice' },
      {
        properties: { minPassRate: rate, passed: { type: 'boolean' } },
        required: ['minPassRate', 'passed'],
      },
    ],
  },
} as const;

/** JSON Schema (draft-07) of the JSON report, version 1. */
export const reportSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'russo JSON report',
  description: 'The result of a russo run: every run of every scenario, the pass rates and the gate verdict.',
  type: 'object',
  definitions,
  properties: {
    version: { const: 1, description: 'Format version: a renamed or removed field makes a new version.' },
    summary: {
      type: 'object',
      properties: {
        total: count,
        passed: count,
        failed: count,
        errored: count,
        passRate: { ...nullableRate, description: 'passed / (passed + failed); null when no run completed.' },
        matchRate: nullableRate,
        gate: { enum: ['passed', 'failed'] },
        interval: { $ref: '#/definitions/interval' },
        latency: { $ref: '#/definitions/latency' },
      },
      required: [
        'total',
        'passed',
        'failed',
        'errored',
        'passRate',
        'matchRate',
        'gate',
        'interval',
        'latency',
      ],
    },
    gate: {
      type: 'object',
      description:
        'The verdict and its reasons, with the thresholds that applied (a merge judges again with them).',
      properties: {
        passed: { type: 'boolean' },
        failures: { type: 'array', items: { $ref: '#/definitions/gateFailure' } },
        minPassRate: nullableRate,
        maxErrors: count,
        maxFlakyRate: {
          ...nullableRate,
          description:
            'Share of flaky prompt × voice cells allowed (config gate.max_flaky_rate); null: no limit. Absent in reports made before it existed.',
        },
      },
      required: ['passed', 'failures', 'minPassRate', 'maxErrors'],
    },
    consistency: {
      type: 'object',
      description:
        'What pass^k and the runs hint were measured with (alpha, k: null when each scenario used its runs per prompt and voice, at most 8) and the share of flaky prompt × voice cells. Absent in reports made before it existed.',
      properties: {
        alpha: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
        k: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
        cells: count,
        flakyCells: count,
        flakyRate: nullableRate,
      },
      required: ['alpha', 'k', 'cells', 'flakyCells', 'flakyRate'],
    },
    baseline: { $ref: '#/definitions/baseline' },
    replay: {
      description:
        'For a report of russo grade: the report whose recorded answers were graded again, how many runs were, and each run that could not be (its id, scenario and why). Null otherwise.',
      anyOf: [
        {
          type: 'object',
          properties: {
            source: { type: 'string' },
            regraded: count,
            notReplayable: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  scenario: { type: 'string' },
                  reason: { type: 'string' },
                },
                required: ['id', 'scenario', 'reason'],
              },
            },
          },
          required: ['source', 'regraded', 'notReplayable'],
        },
        { type: 'null' },
      ],
    },
    errors: {
      type: 'array',
      description: 'Errors grouped by message, most frequent first.',
      items: {
        type: 'object',
        properties: { message: { type: 'string' }, count: { type: 'integer', minimum: 1 } },
        required: ['message', 'count'],
      },
    },
    agent: { type: 'string' },
    voices: { type: 'array', items: { type: 'string' } },
    startedAt: { type: 'string', description: 'ISO 8601 time the run started.' },
    durationMs: { type: 'number', minimum: 0 },
    cancelled: { type: 'boolean' },
    stoppedBy: { type: ['string', 'null'] },
    providers: {
      type: ['object', 'null'],
      description:
        'What the providers did: requests, retries, throttles, estimated cost, speech, concurrency.',
      properties: {
        requests: { type: 'integer', minimum: 0 },
        retries: { type: 'integer', minimum: 0 },
        throttles: { type: 'integer', minimum: 0 },
        estimatedCostUsd: { type: 'number', minimum: 0 },
        synthesis: {
          type: 'object',
          properties: {
            requests: { type: 'integer', minimum: 0 },
            cacheHits: { type: 'integer', minimum: 0 },
          },
          required: ['requests', 'cacheHits'],
        },
        concurrency: {
          type: 'object',
          properties: { max: { type: 'integer', minimum: 1 }, lowest: { type: 'integer', minimum: 1 } },
          required: ['max', 'lowest'],
        },
        perturbed: {
          type: 'object',
          description:
            'Speech perturbed for variants (made, at most one per text, voice and variant) and served from the audio cache (cacheHits); absent without variants.',
          properties: {
            made: { type: 'integer', minimum: 0 },
            cacheHits: { type: 'integer', minimum: 0 },
          },
          required: ['made', 'cacheHits'],
        },
      },
      required: ['requests', 'retries', 'throttles', 'estimatedCostUsd', 'synthesis', 'concurrency'],
    },
    breakdown: {
      type: 'object',
      description:
        'Pass rate and interval per variant and per voice over every scenario, the SNR and speed sweeps, and the clean variant they are drawn against. Written for readers; recomputed when a report is read. Absent in reports written before variants.',
      properties: {
        variants: { type: 'array', items: { $ref: '#/definitions/slice' } },
        voices: { type: 'array', items: { $ref: '#/definitions/slice' } },
        sweeps: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              axis: { enum: ['snr_db', 'speed'] },
              label: { type: 'string' },
              points: {
                type: 'array',
                items: {
                  allOf: [
                    { $ref: '#/definitions/slice' },
                    { properties: { x: { type: 'number' } }, required: ['x'] },
                  ],
                },
              },
            },
            required: ['axis', 'label', 'points'],
          },
        },
        clean: { anyOf: [{ $ref: '#/definitions/slice' }, { type: 'null' }] },
      },
      required: ['variants', 'voices', 'sweeps', 'clean'],
    },
    shard: {
      type: ['object', 'null'],
      description:
        'The shard this report is (--shard i/n) and the outline of the whole plan, from which a merge lists the runs no shard reported; null when not sharded. Absent in reports made before sharding.',
      properties: {
        index: { type: 'integer', minimum: 1 },
        count: { type: 'integer', minimum: 1 },
        plan: {
          type: 'object',
          properties: {
            totalRuns: { type: 'integer', minimum: 0 },
            voices: { type: 'array', items: { type: 'string' } },
            scenarios: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  conversations: { type: 'integer', minimum: 0 },
                  variants: { type: 'array', items: { type: 'string' } },
                  runsPerCell: { type: 'integer', minimum: 1 },
                  expectationHash: { type: 'string' },
                },
                required: ['name', 'conversations', 'variants', 'runsPerCell', 'expectationHash'],
              },
            },
          },
          required: ['totalRuns', 'voices', 'scenarios'],
        },
      },
      required: ['index', 'count', 'plan'],
    },
    missingRuns: {
      type: ['object', 'null'],
      description:
        'Of a merge of shards: the planned runs that no report held (their count, the first ids, the shards without a report); null when none is missing.',
      properties: {
        count: { type: 'integer', minimum: 1 },
        planned: { type: 'integer', minimum: 1 },
        ids: { type: 'array', items: { type: 'string' } },
        shards: { type: 'array', items: { type: 'integer', minimum: 1 } },
        shardCount: { type: 'integer', minimum: 1 },
      },
      required: ['count', 'planned', 'ids', 'shards', 'shardCount'],
    },
    scenarios: { type: 'array', items: { $ref: '#/definitions/scenario' } },
  },
  required: [
    'version',
    'summary',
    'gate',
    'errors',
    'agent',
    'voices',
    'startedAt',
    'durationMs',
    'cancelled',
    'stoppedBy',
    'scenarios',
  ],
} as const;
